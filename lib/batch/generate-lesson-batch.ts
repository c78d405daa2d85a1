// generateLessonBatch (docs/architecture.md): group, chunk, one call per chunk with per-lesson streaming,
// repair only what failed, circuit breaker per model, one usage event per attempt. Results come out as
// an async iterable, each lesson the moment it settles; callers `for await` them.
import { BatchRun } from "./batch-run";
import { batchStateFor, breakerFor } from "./batch-state";
import { resolveBatchConfig } from "./config";
import { buildLessonCallParams } from "./lesson-call";
import { chooseOutputMode } from "./output-mode";
import { chunkSizeFor, groupRequests, outputBudget, splitIntoChunks, type LessonGroup } from "./plan";
import { fillSlotsWithSingleCalls } from "./repair";
import { runSingleCallChunk } from "./single-call";
import type { BatchDeps, BatchOptions, BatchPlan, LessonRequest, LessonResult, PlannedGroup } from "./types";

/**
 * The chunk plan a batch runs: requests grouped, each group split into calls. Computed once; pass it
 * back as `opts.plan` so what a caller showed is what runs. (A call that fails may still be repaired
 * with single calls, and an open circuit turns a chunk into single calls: those are not planned.)
 */
export function planLessonBatch(deps: BatchDeps, requests: readonly LessonRequest[], opts: Pick<BatchOptions, "priority"> = {}): BatchPlan {
  const target = deps.llm.target(opts.priority ?? "interactive");
  const groups = groupRequests(requests, target.model).map((group): PlannedGroup => {
    // One lesson gains nothing from batching: a plain single-lesson call.
    if (group.indices.length === 1) return { group, chunks: [group.indices] };
    return { group, chunks: splitIntoChunks(group.indices, chunkSize(deps, target, group)) };
  });
  return { model: target.model, groups };
}

/** Model calls and the largest chunk of a plan, as the learner is shown them. */
export function planSummary(plan: BatchPlan): { calls: number; perCall: number; model: string } {
  const chunks = plan.groups.flatMap((g) => g.chunks);
  return { calls: chunks.length, perCall: Math.max(0, ...chunks.map((c) => c.length)), model: plan.model };
}

/** Chunk size for a group now: per-call cap, output budget, context window, recent truncation. */
function chunkSize(deps: BatchDeps, target: ReturnType<BatchDeps["llm"]["target"]>, group: LessonGroup): number {
  const config = resolveBatchConfig(deps.config);
  const state = batchStateFor(deps.llm, deps.state);
  const caps = target.capabilities;
  const memo = state.truncationCaps.get(group.key);
  const now = deps.clock.now();
  if (memo && memo.until <= now) state.truncationCaps.delete(group.key);
  const promptTokens = deps.llm.countPromptTokens(
    buildLessonCallParams({
      target,
      mode: chooseOutputMode(caps),
      context: { subject: group.subject, topic: group.topic, difficulty: group.difficulty, instructions: group.instructions, avoidTitles: group.avoidTitles },
      count: config.maxPerCall,
      maxOutputTokens: outputBudget(config.maxPerCall, caps, config),
    }),
  );
  return chunkSizeFor(caps, {
    maxPerCall: config.maxPerCall,
    outputTokensPerLesson: config.outputTokensPerLesson,
    outputMarginTokens: config.outputMarginTokens,
    promptTokens,
    truncationCap: memo && memo.until > now ? memo.cap : undefined,
  });
}

/**
 * Generates one lesson per request. Yields every slot exactly once (a lesson or an explicit failure),
 * as soon as it is known, and finishes once every usage event is recorded. Stopping the iteration early
 * cancels what has not started; calls in flight finish and are recorded.
 */
export async function* generateLessonBatch(
  deps: BatchDeps,
  requests: readonly LessonRequest[],
  opts: BatchOptions = {},
): AsyncGenerator<LessonResult, void, undefined> {
  if (requests.length === 0) return;
  const run = new BatchRun(deps, requests, opts);
  const plan = opts.plan ?? planLessonBatch(deps, requests, opts);
  const work = Promise.allSettled(plan.groups.map((g) => runGroup(run, g))).then(async () => {
    await run.flushUsage();
    run.close();
  });
  let finished = false;
  try {
    yield* run.drain();
    finished = true;
  } finally {
    if (!finished) run.abandon();
    await work;
  }
}

async function runGroup(run: BatchRun, { group, chunks }: PlannedGroup): Promise<void> {
  const breaker = breakerFor(run.state, run.target.model, run.config.circuitBreaker.failureThreshold, run.config.circuitBreaker.cooldownMs);
  await Promise.allSettled(
    chunks.map((chunk) => {
      if (chunk.length === 1) return fillSlotsWithSingleCalls(run, group, [{ index: chunk[0], lastError: null }], "single", false);
      if (breaker.isOpen(run.deps.clock.now())) {
        // Batching keeps failing for this model: parallel single calls, marked in the usage log.
        return fillSlotsWithSingleCalls(run, group, chunk.map((index) => ({ index, lastError: null })), "single", true);
      }
      return runSingleCallChunk(run, group, chunk);
    }),
  );
}
