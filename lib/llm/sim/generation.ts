// What a chat-completions request gets back: a tool call, JSON content or prose, generated from the
// request's JSON Schema (tool parameters or response_format) with lesson text about the cued topic.
import { writeLesson, writeProse, type LessonDraft } from "./lesson-writer";
import { parsePromptCues, promptText } from "./prompt-cues";
import { createRandom, hashString } from "./random";
import { PROMPTED_LESSONS_SCHEMA, rootSource, valueFor, type JsonSchema, type ValueContext } from "./schema-values";

export interface ChatBody {
  model: string;
  messages: { role: string; content?: unknown; name?: string }[];
  tools?: { type?: string; function?: { name?: string; parameters?: JsonSchema; strict?: boolean } }[];
  tool_choice?: unknown;
  response_format?: { type?: string; json_schema?: { name?: string; schema?: JsonSchema; strict?: boolean } };
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  prompt_cache_key?: string | null;
}

export type OutputPlan =
  | { kind: "tool"; toolName: string; schema: JsonSchema; forced: boolean }
  | { kind: "json"; schema: JsonSchema; prompted: boolean }
  | { kind: "text" };

/** Decides the shape of the answer, or returns a 400 message for requests OpenAI would reject. */
export function planOutput(body: ChatBody, text: string): OutputPlan | { error: string; param: string } {
  const tools = (body.tools ?? []).filter((t) => t && t.type === "function" && t.function?.name);
  const choice = body.tool_choice;
  if (tools.length > 0 && choice !== "none") {
    let tool = tools[0];
    let forced = false;
    if (choice && typeof choice === "object") {
      const name = (choice as { function?: { name?: string } }).function?.name;
      const found = tools.find((t) => t.function?.name === name);
      if (!found) return { error: `Tool choice '${name}' not found in 'tools' parameter.`, param: "tool_choice" };
      tool = found;
      forced = true;
    }
    return { kind: "tool", toolName: tool.function!.name!, schema: tool.function!.parameters ?? { type: "object", properties: {} }, forced };
  }
  const rf = body.response_format;
  if (rf?.type === "json_schema") {
    if (!rf.json_schema?.schema) return { error: "Missing required parameter: 'response_format.json_schema.schema'.", param: "response_format" };
    return { kind: "json", schema: rf.json_schema.schema, prompted: false };
  }
  const mentionsJson = /\bjson\b/i.test(text);
  if (rf?.type === "json_object") {
    if (!mentionsJson) return { error: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", param: "messages" };
    return { kind: "json", schema: PROMPTED_LESSONS_SCHEMA, prompted: false };
  }
  if (mentionsJson) return { kind: "json", schema: PROMPTED_LESSONS_SCHEMA, prompted: true };
  return { kind: "text" };
}

/** Per-topic memory so titles keep changing from call to call. */
export class TopicLedger {
  private next = new Map<string, number>();
  private lastTitle = new Map<string, string>();

  /** Reserves `n` lesson numbers for a topic and returns the first. */
  reserve(key: string, n: number): number {
    const first = this.next.get(key) ?? 0;
    this.next.set(key, first + n);
    return first;
  }
  previousTitle(key: string): string | null {
    return this.lastTitle.get(key) ?? null;
  }
  remember(key: string, title: string) {
    this.lastTitle.set(key, title);
  }
}

export interface Generated {
  plan: OutputPlan;
  value: unknown; // the structured value before serialisation (null for prose)
  text: string; // prose, or null when structured
  topicKey: string;
  drafts: LessonDraft[];
}

/**
 * Generates the answer for a request. Lesson numbers come from the ledger, so successive calls for the
 * same topic get new angles and titles; the text of lesson number n depends only on (seed, topic, n).
 */
export function generate(body: ChatBody, plan: OutputPlan, seed: number, ledger: TopicLedger): Generated {
  const text = promptText(body.messages);
  const cues = parsePromptCues(text);
  const brief = { subject: cues.subject, topic: cues.topic, difficulty: cues.difficulty };
  const topicKey = `${cues.subject.toLowerCase()}|${cues.topic.toLowerCase()}|${cues.difficulty}`;
  const reserveCount = plan.kind === "text" ? 1 : Math.max(1, cues.count ?? 1, (cues.slot ?? 0) + 1);
  const base = ledger.reserve(topicKey, reserveCount);
  const callRng = createRandom(hashString(`${topicKey}|call|${base}`, seed));
  const drafts = new Map<number, LessonDraft>();
  const lesson = (slot: number) => {
    let d = drafts.get(slot);
    if (!d) {
      d = writeLesson(brief, base + slot, slot, createRandom(hashString(`${topicKey}|lesson|${base + slot}`, seed)));
      drafts.set(slot, d);
    }
    return d;
  };

  if (plan.kind === "text") {
    const prose = writeProse(brief, base, callRng);
    return { plan, value: null, text: prose, topicKey, drafts: [] };
  }
  const ctx: ValueContext = {
    root: plan.schema,
    lesson,
    count: cues.count,
    loneSlot: cues.slot ?? 0,
    difficulty: cues.difficulty,
    topic: cues.topic,
    rng: callRng,
  };
  const value = valueFor(plan.schema, rootSource(ctx, plan.schema), null, 0, ctx);
  return { plan, value, text: "", topicKey, drafts: [...drafts.values()] };
}

/** Serialises a structured answer; prompted JSON is fenced half the time, as chat models do. */
export function serialise(generated: Generated, rng: () => number): string {
  if (generated.value === null) return generated.text;
  const json = JSON.stringify(generated.value);
  if (generated.plan.kind === "json" && generated.plan.prompted && rng() < 0.5) return "```json\n" + json + "\n```";
  return json;
}

/** The "model ignored the tool" answer: friendly prose listing the lessons instead of JSON. */
export function proseInsteadOfJson(generated: Generated): string {
  const lines = generated.drafts.map((d, i) => `${i + 1}. ${d.title}: ${d.content.split(". ")[0]}.`);
  return `Sure! Here are the lessons you asked for:\n\n${lines.join("\n")}`;
}
