// Reads what a request asks for from its prompt text, so simulated lessons are about the right thing.
//
// Cue format (one per line, case-insensitive, anywhere in any message; the last occurrence wins,
// because the per-call ask comes after the shared context):
//   Subject: <subject>            e.g. "Subject: Biology"
//   Topic: <topic>                e.g. "Topic: Photosynthesis"
//   Difficulty: <difficulty>      intro | easy | medium | hard (anything else is kept as text)
//   Number of lessons: <k>        how many lessons the call asks for (1..50)
//   Slot: <n>                     optional, the slot a single-lesson repair call fills
// Cues may be wrapped in Markdown emphasis or list markers ("- **Topic:** X"); those are stripped.

export interface PromptCues {
  subject: string;
  topic: string;
  difficulty: string;
  count: number | null;
  slot: number | null;
}

const DEFAULTS = { subject: "General Studies", topic: "Learning Strategies", difficulty: "easy" };

function lastMatch(text: string, label: string): string | null {
  const re = new RegExp(`^[\\s>*_#-]*${label}[*_]*\\s*:[*_]*\\s*(.+?)\\s*$`, "gim");
  let found: string | null = null;
  for (const m of text.matchAll(re)) found = m[1].replace(/^[*_"'`]+|[*_"'`.]+$/g, "").trim();
  return found && found.length > 0 ? found : null;
}

export function parsePromptCues(text: string): PromptCues {
  const count = Number.parseInt(lastMatch(text, "Number of lessons") ?? "", 10);
  const slot = Number.parseInt(lastMatch(text, "Slot") ?? "", 10);
  return {
    subject: (lastMatch(text, "Subject") ?? DEFAULTS.subject).slice(0, 80),
    topic: (lastMatch(text, "Topic") ?? DEFAULTS.topic).slice(0, 80),
    difficulty: (lastMatch(text, "Difficulty") ?? DEFAULTS.difficulty).toLowerCase(),
    count: Number.isFinite(count) && count >= 1 ? Math.min(count, 50) : null,
    slot: Number.isFinite(slot) && slot >= 0 ? slot : null,
  };
}

/** All message text of a request, in order, for cue parsing and the "mentions JSON" check. */
export function promptText(messages: ReadonlyArray<{ content?: unknown }>): string {
  return messages
    .map((m) => {
      if (typeof m.content === "string") return m.content;
      if (Array.isArray(m.content)) {
        return m.content.map((p) => (p && typeof p === "object" && "text" in p && typeof p.text === "string" ? p.text : "")).join("\n");
      }
      return "";
    })
    .join("\n");
}
