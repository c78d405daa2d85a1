// generateLessonBatch (docs/generation.md): group, chunk, one call per chunk with per-lesson streaming,
// repair only what failed, circuit breaker per model, one usage event per attempt. Results come out as
// an async iterable, each lesson the moment it settles; callers `for await` them.
import { BatchRun } from "./batch-run";
import { groupRequests } from "./plan";
import { planGroup, planningContext, runPlannedGroup } from "./planner";
import type { BatchDeps, BatchOptions, BatchPlan, LessonRequest, LessonResult, PlannedGroup } from "./types";

/**
 * The chunk plan a batch runs: requests grouped, each group split into calls. Computed once; pass it
 * back as `opts.plan` so what a caller showed is what runs. (A call that fails may still be repaired
 * with single calls, and an open circuit turns a chunk into single calls: those are not planned.)
 */
export function planLessonBatch(deps: BatchDeps, requests: readonly LessonRequest[], opts: Pick<BatchOptions, "priority"> = {}): BatchPlan {
  const ctx = planningContext(deps, opts.priority ?? "interactive");
  const groups = groupRequests(requests, ctx.target.model).map((group): PlannedGroup => ({ group, plan: planGroup(ctx, group) }));
  return { model: ctx.target.model, groups };
}

/** Model calls and the largest chunk of a plan, as the learner is shown them. */
export function planSummary(plan: BatchPlan): { calls: number; perCall: number; model: string } {
  const calls = plan.groups.flatMap((g) => g.plan.calls);
  return { calls: calls.length, perCall: Math.max(0, ...calls.map((c) => c.slots.length)), model: plan.model };
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

// k per call, which calls start together and which after another's prefill: lib/batch/planner.ts.
async function runGroup(run: BatchRun, { group, plan }: PlannedGroup): Promise<void> {
  await runPlannedGroup(run, group, plan);
}
