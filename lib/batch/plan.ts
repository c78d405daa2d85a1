// Planning: group requests by (subject, topic, difficulty, instructions, model) and split each group
// into chunks no bigger than the per-call cap, the output budget and any recent truncation allow.
import type { LessonContext } from "@/lib/lessons/prompts";
import type { Capabilities } from "@/lib/llm/types";
import type { LessonRequest } from "./types";

export interface LessonGroup {
  key: string;
  subject: string;
  topic: string;
  difficulty: LessonRequest["difficulty"];
  instructions: string | undefined;
  model: string;
  /** Union of the members' avoid titles: the shared context tells the model all of them. */
  avoidTitles: string[];
  indices: number[]; // positions in the caller's request list
}

/** The prompt context a group shares: every call for its lessons tells the model the same things. */
export function groupContext(group: LessonGroup): LessonContext {
  return { subject: group.subject, topic: group.topic, difficulty: group.difficulty, instructions: group.instructions, avoidTitles: group.avoidTitles };
}

export function groupRequests(requests: readonly LessonRequest[], model: string): LessonGroup[] {
  const groups = new Map<string, LessonGroup>();
  requests.forEach((r, index) => {
    const instructions = r.instructions?.trim() || undefined;
    const key = JSON.stringify([r.subject, r.topic, r.difficulty, instructions ?? "", model]);
    let g = groups.get(key);
    if (!g) {
      g = { key, subject: r.subject, topic: r.topic, difficulty: r.difficulty, instructions, model, avoidTitles: [], indices: [] };
      groups.set(key, g);
    }
    g.indices.push(index);
    for (const t of r.avoidTitles ?? []) if (!g.avoidTitles.includes(t)) g.avoidTitles.push(t);
  });
  return [...groups.values()];
}

export interface ChunkLimits {
  maxPerCall: number;
  outputTokensPerLesson: number;
  outputMarginTokens: number;
  /** Prompt tokens of the call (for the context window check). */
  promptTokens: number;
  /** Chunk cap left by a recent truncation of this group, if any. */
  truncationCap?: number;
}

/** Largest k whose output fits the model's max output and context window, within the per-call cap. */
export function chunkSizeFor(caps: Pick<Capabilities, "maxOutputTokens" | "contextWindow">, limits: ChunkLimits): number {
  const byOutput = Math.floor((caps.maxOutputTokens - limits.outputMarginTokens) / limits.outputTokensPerLesson);
  const byContext = Math.floor((caps.contextWindow - limits.promptTokens - limits.outputMarginTokens) / limits.outputTokensPerLesson);
  const k = Math.min(limits.maxPerCall, byOutput, byContext, limits.truncationCap ?? Infinity);
  return Math.max(1, k);
}

/** Splits into ceil(n / size) chunks of near-equal size (7 at 5 → 4 + 3), so no chunk lags far behind. */
export function splitIntoChunks<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [];
  const count = Math.ceil(items.length / Math.max(1, size));
  const base = Math.floor(items.length / count);
  let extra = items.length % count;
  const out: T[][] = [];
  let at = 0;
  for (let c = 0; c < count; c++) {
    const n = base + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    out.push(items.slice(at, at + n));
    at += n;
  }
  return out;
}

/** max_completion_tokens for a call asking for k lessons. */
export function outputBudget(k: number, caps: Pick<Capabilities, "maxOutputTokens">, limits: Pick<ChunkLimits, "outputTokensPerLesson" | "outputMarginTokens">): number {
  return Math.min(caps.maxOutputTokens, k * limits.outputTokensPerLesson + limits.outputMarginTokens);
}
