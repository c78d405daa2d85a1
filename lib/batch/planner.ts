// The cache-aware batch planner: for one group of n same-context lessons it decides how many lessons
// each call asks for (k), which calls start at once and which wait for the first call's prompt to
// be processed (so they find it cached), minimising the estimated dollars per lesson subject to the
// learner's reading wait (interactive) staying within a bound of one-call-per-lesson's. Estimates
// come from the provider behaviour (lib/llm/capabilities.ts) and the price table; docs/cost-model.md
// describes the model. `runPlannedGroup` executes exactly the plan `planGroupCalls` returns.
import { behaviourFor, type ProviderBehaviour } from "@/lib/llm/capabilities";
import type { ModelTarget, OutputMode, Priority } from "@/lib/llm/types";
import { encodeChatPrompt } from "@/lib/llm/sim/tokens";
import { NaiveWorld, type NaiveLimits } from "@/lib/usage/counterfactual";
import { priceFor } from "@/lib/usage/prices";
import type { BatchRun } from "./batch-run";
import { batchStateFor, breakerFor, type BatchState } from "./batch-state";
import { resolveBatchConfig, resolvePlannerPolicy, type PlannerPolicy } from "./config";
import { chooseOutputMode } from "./output-mode";
import type { BatchConfig, BatchDeps } from "./types";

export { defaultPlannerPolicy, type PlannerPolicy } from "./config";
import { buildLessonCallParams } from "./lesson-call";
import { chunkSizeFor, outputBudget, splitIntoChunks, type LessonGroup } from "./plan";
import { groupContext } from "./batch-run";
import { fillSlotsWithSingleCalls } from "./repair";
import { runSingleCallChunk } from "./single-call";
import type { CounterfactualBasis } from "./usage-events";

export interface PlannedCall {
  /** Positions in the group's slot list this call fills. */
  slots: number[];
  /** Index of the call whose first token this one waits for (its prompt then cacheable), or null. */
  startAfterPrefillOf: number | null;
}

export interface GroupPlan {
  calls: PlannedCall[];
  /** Estimated USD of the prompts (output is the same whatever the plan) and reading wait. */
  estimate: { promptUsd: number; readingWaitMs: number };
}

export interface PlanInput {
  n: number;
  priority: Priority;
  behaviour: ProviderBehaviour;
  price: { inputPerMTok: number; cachedInputPerMTok: number };
  /** Prompt tokens of a call asking for k lessons. */
  promptTokens: (k: number) => number;
  /** Largest k the model's output budget, context window and recent truncations allow. */
  capK: number;
  policy: PlannerPolicy;
}

/** Reading wait of lessons arriving at these times: the first arrival plus every gap the reader waits. */
export function readingWaitMs(arrivals: readonly number[], readingMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  let wait = sorted[0];
  let free = sorted[0] + readingMs;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] > free) wait += sorted[i] - free;
    free = Math.max(free, sorted[i]) + readingMs;
  }
  return wait;
}

/**
 * Latency jitter the planner assumes (± uniform share of time to first token and of decode time):
 * round figures of what providers show call to call. Calls sent together race, so the first lesson of
 * m simultaneous calls comes at the expected minimum of m draws, not at one call's mean.
 */
export const LATENCY_JITTER = { ttft: 0.25, decode: 0.1 };

/** Expected minimum of m draws of (1 ± j) uniform: 1 − j + 2j / (m + 1). */
export function expectedMinFactor(m: number, j: number): number {
  return 1 - j + (2 * j) / (Math.max(1, m) + 1);
}

function estimate(input: PlanInput, calls: readonly { chunk: number[]; warm: boolean }[]): GroupPlan["estimate"] {
  const b = input.behaviour;
  const out = input.policy.expectedOutputTokensPerLesson;
  const shared = Math.min(...calls.map((c) => input.promptTokens(c.chunk.length))) - 64; // the per-call ask differs at the end
  const cacheable = b.cache && shared >= b.cache.minTokens ? b.cache.minTokens + Math.floor((shared - b.cache.minTokens) / b.cache.blockTokens) * b.cache.blockTokens : 0;
  const arrivals: number[] = [];
  let promptUsd = 0;
  let leaderPrefill = 0;
  // The first lesson of the calls sent at once: the fastest of them (expected minimum of m draws).
  const atOnce = calls.filter((c) => !c.warm).length;
  let firstAtOnce = Infinity;
  calls.forEach(({ chunk, warm }, i) => {
    const p = input.promptTokens(chunk.length);
    const cached = warm ? cacheable * (b.cache?.hitRate ?? 0) : 0;
    promptUsd += ((p - cached) * input.price.inputPerMTok + cached * input.price.cachedInputPerMTok) / 1e6;
    const ttft = b.ttftMs + ((p - (b.cache?.speedsUp ? cached : 0)) / b.prefillTokensPerSecond) * 1000;
    if (i === 0) leaderPrefill = ttft;
    const start = warm ? leaderPrefill : 0;
    const lessonMs = (out * 1000) / b.decodeTokensPerSecond;
    if (!warm) firstAtOnce = Math.min(firstAtOnce, ttft * expectedMinFactor(atOnce, LATENCY_JITTER.ttft) + lessonMs * expectedMinFactor(atOnce, LATENCY_JITTER.decode));
    for (let j = 1; j <= chunk.length; j++) arrivals.push(start + ttft + j * lessonMs);
  });
  // The race moves the earliest arrival only; the rest keep their expected times.
  const sorted = [...arrivals].sort((a, c) => a - c);
  if (sorted.length > 0 && firstAtOnce < sorted[0]) sorted[0] = firstAtOnce;
  return { promptUsd, readingWaitMs: readingWaitMs(sorted, input.policy.readingSeconds * 1000) };
}

/** The plan for n lessons of one group. */
export function planGroupCalls(input: PlanInput): GroupPlan {
  const slots = Array.from({ length: input.n }, (_, i) => i);
  const cap = Math.max(1, Math.min(input.capK, input.policy.maxPerCall[input.priority]));
  const toPlan = (chunks: number[][], warm: boolean): GroupPlan => {
    const calls = chunks.map((chunk, i) => ({ chunk, warm: warm && i > 0 }));
    return { calls: calls.map((c) => ({ slots: c.chunk, startAfterPrefillOf: c.warm ? 0 : null })), estimate: estimate(input, calls) };
  };
  if (input.policy.mode === "fixed") return toPlan(splitIntoChunks(slots, cap), false);
  const baseline = toPlan(slots.map((s) => [s]), false).estimate;
  const bound = input.priority === "interactive" ? baseline.readingWaitMs * input.policy.interactiveWaitFactor : Infinity;
  // Candidates: chunks of k (all at once, or the rest after the first one's prefill), and a lead
  // single-lesson call racing chunks of k of the rest (its lesson is often the first to arrive).
  const candidates: [number[][], boolean][] = [];
  for (let k = 1; k <= cap; k++) {
    const chunks = splitIntoChunks(slots, k);
    candidates.push([chunks, false]);
    if (input.policy.warmStart[input.priority] && chunks.length > 1) candidates.push([chunks, true]);
    if (k > 1 && input.n > 2) candidates.push([[[0], ...splitIntoChunks(slots.slice(1), k)], false]);
  }
  let best: GroupPlan | null = null;
  for (const [chunks, warm] of candidates) {
    const plan = toPlan(chunks, warm);
    if (plan.estimate.readingWaitMs > bound) continue;
    const better =
      !best ||
      plan.estimate.promptUsd < best.estimate.promptUsd - 1e-12 ||
      (Math.abs(plan.estimate.promptUsd - best.estimate.promptUsd) <= 1e-12 && plan.estimate.readingWaitMs < best.estimate.readingWaitMs);
    if (better) best = plan;
  }
  // Nothing meets the bound (it always can: the baseline itself does); fall back to the fastest plan.
  return best ?? toPlan(slots.map((s) => [s]), false);
}

/** What planning a group needs: the engine's view of the model, its config and its memory. */
export interface PlanningContext {
  deps: BatchDeps;
  target: ModelTarget;
  mode: OutputMode;
  config: Required<BatchConfig>;
  state: BatchState;
  priority: Priority;
}

export function planningContext(deps: BatchDeps, priority: Priority): PlanningContext {
  const target = deps.llm.target(priority);
  return { deps, target, mode: chooseOutputMode(target.capabilities), config: resolveBatchConfig(deps.config), state: batchStateFor(deps.llm, deps.state), priority };
}

/** A group's plan plus what running it needs to know. */
export type GroupRunPlan = GroupPlan & { singlePromptTokens: number };

/** The plan for a group now; computed before a run starts and shown to the learner, then executed. */
export function planGroup(ctx: PlanningContext, group: LessonGroup): GroupRunPlan {
  // One lesson gains nothing from batching: a plain single-lesson call.
  if (group.indices.length === 1) return { calls: [{ slots: [0], startAfterPrefillOf: null }], estimate: { promptUsd: 0, readingWaitMs: 0 }, singlePromptTokens: 0 };
  const caps = ctx.target.capabilities;
  const policy = resolvePlannerPolicy(ctx.deps.config);
  const context = { subject: group.subject, topic: group.topic, difficulty: group.difficulty, instructions: group.instructions, avoidTitles: group.avoidTitles };
  // Two tokenisations, not one per k: the prompts differ only in the per-call ask, which grows
  // (near) linearly with k, so the others are interpolated.
  const count = (k: number) =>
    ctx.deps.llm.countPromptTokens(buildLessonCallParams({ target: ctx.target, mode: ctx.mode, context, count: k, maxOutputTokens: outputBudget(k, caps, ctx.config) }));
  const maxK = policy.maxPerCall[ctx.priority];
  const top = Math.max(2, Math.min(maxK, group.indices.length));
  const one = count(1);
  const many = count(top);
  const promptTokens = (k: number) => (k === 1 ? one : k === top ? many : Math.round(one + ((many - one) * (k - 1)) / (top - 1)));
  const now = ctx.deps.clock.now();
  const memo = ctx.state.truncationCaps.get(group.key);
  if (memo && memo.until <= now) ctx.state.truncationCaps.delete(group.key);
  const capK = chunkSizeFor(caps, {
    maxPerCall: maxK,
    outputTokensPerLesson: ctx.config.outputTokensPerLesson,
    outputMarginTokens: ctx.config.outputMarginTokens,
    promptTokens: many,
    truncationCap: memo && memo.until > now ? memo.cap : undefined,
  });
  const { price } = priceFor(ctx.target.provider, ctx.target.model);
  const plan = planGroupCalls({ n: group.indices.length, priority: ctx.priority, behaviour: behaviourFor(ctx.target.provider, ctx.target.model), price, promptTokens, capK, policy });
  return { ...plan, singlePromptTokens: one };
}

/** The plan a run would execute for a group now. */
export function planForRun(run: BatchRun, group: LessonGroup): GroupRunPlan {
  return planGroup({ deps: run.deps, target: run.target, mode: run.mode, config: run.config, state: run.state, priority: run.opts.priority ?? "interactive" }, group);
}

// The counterfactual's world (lib/usage/counterfactual.ts), one per clock (its times are that clock's:
// the process's real clock in the app, one simulated clock per simulator in tests and the bench) and
// model. In-process, so single calls another process would have made are not in it.
const naiveWorlds = new WeakMap<object, Map<string, NaiveWorld>>();

interface LimiterView {
  limiterSnapshot?: (model?: string) => { concurrencyCap: number; rpmAvailable: number; tpmAvailable: number };
}

/**
 * The one-call-per-lesson calls of a group sent now through this gateway's limits (docs/cost-model.md,
 * "The counterfactual, as modelled"). `settle` takes how long the group's first call took to have its
 * prompt processed on this clock (capped by the provider's modelled time to first token) and returns
 * the expected cached prompt tokens per lesson; it also records those single calls in the world, so
 * later requests find their prompts.
 */
export function counterfactualCalls(run: BatchRun, group: LessonGroup): { settle(observedPrefillMs: number): number } {
  const { target, deps } = run;
  const now = deps.clock.now();
  const params = buildLessonCallParams(run.callRequest(groupContext(group), 1));
  const { tokens, overhead } = encodeChatPrompt(params);
  const b = behaviourFor(target.provider, target.model);
  // The limiter is the root gateway's: per-request wrappers (the usage journal, the spend cap) have none.
  let root = deps.llm;
  while (root.underlying) root = root.underlying;
  const snap = (root as LimiterView).limiterSnapshot?.(target.model);
  // The limits as the limiter reports them when idle: the most it ever had available.
  const seen: NaiveLimits = { rpm: snap?.rpmAvailable ?? Infinity, tpm: snap?.tpmAvailable ?? Infinity, concurrency: snap?.concurrencyCap ?? Infinity };
  let byModel = naiveWorlds.get(deps.clock);
  if (!byModel) naiveWorlds.set(deps.clock, (byModel = new Map()));
  const key = `${target.provider}|${target.model}`;
  let world = byModel.get(key);
  if (!world) byModel.set(key, (world = new NaiveWorld(b.cache, seen)));
  world.limits = { rpm: Math.max(world.limits.rpm, seen.rpm), tpm: Math.max(world.limits.tpm, seen.tpm), concurrency: Math.max(world.limits.concurrency, seen.concurrency) };
  const promptTokens = tokens.length + overhead;
  const modelledPrefillMs = b.ttftMs + (promptTokens / b.prefillTokensPerSecond) * 1000;
  const expectedOutput = resolvePlannerPolicy(deps.config).expectedOutputTokensPerLesson;
  const decodeMs = (expectedOutput / b.decodeTokensPerSecond) * 1000;
  const w = world;
  return {
    settle(observedPrefillMs) {
      // Observed when the clock is not the provider's (a time-scaled simulator under a real clock);
      // the model's own figure when the first call also waited for the limiter or answered whole.
      const prefillMs = Math.max(0, Math.min(observedPrefillMs, modelledPrefillMs));
      const scale = modelledPrefillMs > 0 ? prefillMs / modelledPrefillMs : 1;
      const cached = w.singleCalls({
        now,
        promptTokens: tokens,
        n: group.indices.length,
        reserveTokens: promptTokens + (params.max_completion_tokens ?? params.max_tokens ?? 0),
        usedTokens: promptTokens + expectedOutput,
        prefillMs,
        callMs: prefillMs + decodeMs * scale,
      });
      return cached.reduce((a, c) => a + c, 0) / Math.max(1, cached.length);
    },
  };
}

/** Runs a group of two or more lessons by its plan: leaders at once, followers after a leader's prefill. */
export async function runPlannedGroup(run: BatchRun, group: LessonGroup, plan: GroupRunPlan = planForRun(run, group)): Promise<void> {
  // A one-lesson group's single call is the same in both worlds (it only warms the counterfactual's
  // cache); in a batched group every call (lead single calls and repairs too) carries the
  // counterfactual of the lessons it delivers, priced with the expected cache of its single calls.
  const counterfactual = counterfactualCalls(run, group);
  const batched = group.indices.length > 1;
  const startedAt = run.deps.clock.now();
  const breaker = breakerFor(run.state, run.target.model, run.config.circuitBreaker.failureThreshold, run.config.circuitBreaker.cooldownMs);
  const prefilled: Promise<void>[] = [];
  // The prefill observed is the first multi-lesson call's (it streams); single calls answer whole.
  const observed = plan.calls.findIndex((c) => c.slots.length > 1);
  let firstPrefilled!: () => void;
  const cfCached =
    observed === -1
      ? Promise.resolve(counterfactual.settle(Infinity))
      : new Promise<void>((r) => (firstPrefilled = r)).then(() => counterfactual.settle(run.deps.clock.now() - startedAt));
  let cfValue: number | null = null;
  void cfCached.then((v) => (cfValue = v));
  // Read when the single call's usage is recorded, after it answered: by then the batch call's prompt
  // has long been processed (both were sent together), so the value is known.
  const singleBasis: CounterfactualBasis = {
    singlePromptTokens: plan.singlePromptTokens,
    get baselineCachedTokens() {
      return cfValue ?? 0;
    },
  };
  const tasks = plan.calls.map((call, c) => {
    let markPrefilled!: () => void;
    prefilled[c] = new Promise<void>((r) => (markPrefilled = r));
    if (c === observed) void prefilled[c].then(() => firstPrefilled());
    const indices = call.slots.map((s) => group.indices[s]);
    const leader = call.startAfterPrefillOf;
    return (async () => {
      try {
        if (leader !== null) await prefilled[leader];
        if (indices.length > 1 && breaker.isOpen(run.deps.clock.now())) {
          // Batching keeps failing for this model: parallel single calls, marked in the usage log.
          await fillSlotsWithSingleCalls(run, group, indices.map((index) => ({ index, lastError: null })), "single", true);
          return;
        }
        if (indices.length === 1) {
          await fillSlotsWithSingleCalls(run, group, [{ index: indices[0], lastError: null }], "single", false, batched ? singleBasis : null);
          return;
        }
        await runSingleCallChunk(run, group, indices, {
          onPrefilled: markPrefilled,
          baselineCachedTokens: cfCached,
          singlePromptTokens: plan.singlePromptTokens,
        });
      } finally {
        // Never leave a follower waiting on a call that ended without streaming.
        markPrefilled();
      }
    })();
  });
  await Promise.allSettled(tasks);
}
