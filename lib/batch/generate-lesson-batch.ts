// generateLessonBatch (DESIGN §4): group, chunk, one call per chunk with per-lesson streaming,
// repair only what failed, circuit breaker per model, one usage event per attempt.
import type { BatchRun as BatchRunType } from "./batch-run";
import { BatchRun } from "./batch-run";
import { buildLessonCallParams } from "./lesson-call";
import { chunkSizeFor, groupRequests, outputBudget, type LessonGroup } from "./plan";
import { runPlannedGroup } from "./planner";
import { fillSlotsWithSingleCalls } from "./repair";
import type { BatchDeps, BatchOptions, LessonRequest, LessonResult } from "./types";

export async function generateLessonBatch(
  deps: BatchDeps,
  requests: readonly LessonRequest[],
  opts: BatchOptions = {},
): Promise<LessonResult[]> {
  if (requests.length === 0) return [];
  const run = new BatchRun(deps, requests, opts);
  const groups = groupRequests(requests, run.target.model);
  await Promise.allSettled(groups.map((g) => runGroup(run, g)));
  await run.flushUsage();
  return run.results.map(
    (r, index) =>
      r ?? { ok: false, index, error: { code: "provider_unavailable", message: "The lesson could not be generated." }, attempts: run.attempts[index] },
  );
}

/** Chunk size for a group now: per-call cap, output budget, context window, recent truncation. */
export function planChunkSize(run: BatchRunType, group: LessonGroup): number {
  const caps = run.target.capabilities;
  const memo = run.state.truncationCaps.get(group.key);
  const now = run.deps.clock.now();
  if (memo && memo.until <= now) run.state.truncationCaps.delete(group.key);
  const promptTokens = run.deps.llm.countPromptTokens(
    buildLessonCallParams({
      target: run.target,
      mode: run.mode,
      context: { subject: group.subject, topic: group.topic, difficulty: group.difficulty, instructions: group.instructions, avoidTitles: group.avoidTitles },
      count: run.config.maxPerCall,
      maxOutputTokens: outputBudget(run.config.maxPerCall, caps, run.config),
    }),
  );
  return chunkSizeFor(caps, {
    maxPerCall: run.config.maxPerCall,
    outputTokensPerLesson: run.config.outputTokensPerLesson,
    outputMarginTokens: run.config.outputMarginTokens,
    promptTokens,
    truncationCap: memo && memo.until > now ? memo.cap : undefined,
  });
}

async function runGroup(run: BatchRun, group: LessonGroup): Promise<void> {
  const slots = group.indices;
  // One lesson gains nothing from batching: a plain single-lesson call.
  if (slots.length === 1) {
    await fillSlotsWithSingleCalls(run, group, [{ index: slots[0], lastError: null }], "single", false);
    return;
  }
  // k per call, which calls start together and which after another's prefill: lib/batch/planner.ts.
  await runPlannedGroup(run, group);
}
