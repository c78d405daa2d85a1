// The batch input: one JSONL line per chunk call, built with the fast lane's own request builder
// (same prompts, same structured-output mode, same output budget), `custom_id` = the chunk's id.
import { groupContext } from "@/lib/batch/batch-run";
import { resolveBatchConfig } from "@/lib/batch/config";
import { buildLessonCallParams } from "@/lib/batch/lesson-call";
import { chooseOutputMode } from "@/lib/batch/output-mode";
import { outputBudget, splitIntoChunks, type LessonGroup } from "@/lib/batch/plan";
import type { ModelTarget } from "@/lib/llm/types";
import type { SlowChunk, SlowGroup } from "./types";

export const BATCH_ENDPOINT = "/v1/chat/completions" as const;

/** The fast lane's view of a slow group (what groupContext and the prompt builder take). */
export function lessonGroup(group: SlowGroup, model: string): LessonGroup {
  return { key: group.key, subject: group.subject, topic: group.topic, difficulty: group.difficulty, instructions: undefined, model, avoidTitles: group.avoidTitles, indices: [] };
}

/** Splits the group's slots into lines of near-equal size; the ids are stable for the same key. */
export function planChunks(key: string, slots: readonly number[], maxPerLine: number): SlowChunk[] {
  return splitIntoChunks(slots, Math.max(1, maxPerLine)).map((s, i) => ({ chunkId: `${key}#${i}`, slots: [...s] }));
}

export function buildBatchLine(target: ModelTarget, group: SlowGroup, chunk: SlowChunk) {
  const config = resolveBatchConfig(undefined);
  const count = chunk.slots.length;
  const body = buildLessonCallParams({
    target,
    mode: chooseOutputMode(target.capabilities),
    context: groupContext(lessonGroup(group, target.model)),
    count,
    maxOutputTokens: outputBudget(count, target.capabilities, config),
  });
  return { custom_id: chunk.chunkId, method: "POST", url: BATCH_ENDPOINT, body };
}

export function buildBatchJsonl(target: ModelTarget, group: SlowGroup, chunks: readonly SlowChunk[]): string {
  return chunks.map((c) => `${JSON.stringify(buildBatchLine(target, group, c))}\n`).join("");
}
