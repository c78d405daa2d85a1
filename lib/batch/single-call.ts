// One call for a chunk of k lessons of a group: every lesson is checked and emitted as soon as it
// can be read; the slots that came back missing, invalid, duplicated or cut off are then repaired
// with single calls. A lesson that arrived valid is never generated again.
import { checkLesson } from "@/lib/lessons/validate";
import type { BatchRun } from "./batch-run";
import { breakerFor } from "./batch-state";
import { errorFromThrown, qualityCodes, slotErrors, type SlotError } from "./error-codes";
import { buildLessonCallParams, runLessonCall } from "./lesson-call";
import { groupContext, type LessonGroup } from "./plan";
import { fillSlotsWithSingleCalls } from "./repair";
import { baselineCached, buildUsageEvents, singleAnswerTokens } from "./usage-events";

/** Prompt tokens of the single-lesson call each of these lessons would otherwise have needed. */
export function singlePromptTokens(run: BatchRun, group: LessonGroup): number {
  return run.deps.llm.countPromptTokens(buildLessonCallParams(run.callRequest(groupContext(group), 1)));
}

/** How a chunk's call is timed against the other calls of its request (lib/batch/planner.ts). */
export interface ChunkTiming {
  /** The counterfactual's cached-token baseline when this call was not sent as the request began. */
  baselineCachedTokens?: Promise<number>;
  /** Told the cached tokens this call's first attempt saw (for calls that start after it). */
  onBaseline?: (cachedTokens: number) => void;
  /** Told when the model starts answering (its prompt is processed, so now cacheable). */
  onPrefilled?: () => void;
  /** The single-lesson prompt's tokens when the caller already counted them. */
  singlePromptTokens?: number;
}

export async function runSingleCallChunk(run: BatchRun, group: LessonGroup, indices: readonly number[], timing: ChunkTiming = {}): Promise<void> {
  if (run.cancelled) {
    for (const i of indices) run.fail(i, slotErrors.cancelled());
    return;
  }
  const k = indices.length;
  const errors: (SlotError | null)[] = new Array(k).fill(null);
  const filledTitles: (string | null)[] = new Array(k).fill(null);
  let valid = 0;
  const deliveredTokens: number[] = [];
  for (const i of indices) run.attempts[i]++;

  // A lesson goes to the slot it names; without a usable slot, to the first open one in order.
  const openSlot = (wanted: number | undefined, needsError: boolean): number => {
    if (wanted !== undefined && wanted < k && filledTitles[wanted] === null) return wanted;
    return filledTitles.findIndex((t, s) => t === null && (!needsError || errors[s] === null));
  };

  const onLesson = (raw: unknown) => {
    const check = checkLesson(raw);
    if (!check.ok) {
      const s = openSlot(check.slot, true);
      if (s !== -1) errors[s] = slotErrors.invalid(check.message);
      return;
    }
    // The same lesson re-sent for its own slot (a retried stream) is not a second lesson; a copy
    // under another slot is a duplicate and that slot gets repaired.
    if (check.slot !== undefined && filledTitles[check.slot] === check.lesson.title) return;
    const s = openSlot(check.slot, false);
    if (s === -1) return; // more lessons than asked: extras are dropped
    const dup = run.accept(group, indices[s], check.lesson, "single-call");
    if (dup) {
      if (errors[s] === null) errors[s] = dup;
      return;
    }
    filledTitles[s] = check.lesson.title;
    errors[s] = null;
    valid++;
    deliveredTokens.push(singleAnswerTokens(run.deps.llm, raw));
  };

  const call = await runLessonCall(
    run.deps.llm,
    run.callRequest(groupContext(group), k),
    { stream: run.stream, onLesson, startSignal: run.opts.signal, onPrefilled: timing.onPrefilled, userId: run.opts.userId, priority: run.opts.priority ?? "interactive" },
  );
  timing.onPrefilled?.(); // a call that never streamed: its prompt is processed once it answered

  const truncated = call.finishReason === "length";
  const thrown = call.error ? errorFromThrown(call.error) : null;
  const open: { index: number; lastError: SlotError | null }[] = [];
  for (let s = 0; s < k; s++) {
    if (filledTitles[s] !== null) continue;
    let e = errors[s];
    if (thrown) e = thrown;
    else if (truncated && (e === null || e.code === "invalid_output")) e = slotErrors.truncated();
    else if (e === null) e = call.problem ? slotErrors.unreadable(call.problem) : slotErrors.missing();
    open.push({ index: indices[s], lastError: e });
  }

  const now = run.deps.clock.now();
  if (truncated) {
    // Halve this group's chunks for a while: the budget estimate was wrong for this model.
    run.state.truncationCaps.set(group.key, { cap: Math.max(1, Math.floor(k / 2)), until: now + run.config.truncationMemoryMs });
  }
  const breaker = breakerFor(run.state, run.target.model, run.config.circuitBreaker.failureThreshold, run.config.circuitBreaker.cooldownMs);
  if (thrown || valid * 2 < k) breaker.recordFailure(now);
  else breaker.recordSuccess();

  const single = timing.singlePromptTokens ?? singlePromptTokens(run, group);
  const ownBaseline = baselineCached({ singlePromptTokens: single, baselineCachedTokens: null }, call.reports);
  timing.onBaseline?.(ownBaseline);
  // A call started after another of its request gets that call's baseline (the cache state when the
  // request began), not its own warmer one; waiting for it never holds up the repairs.
  const baseline = timing.baselineCachedTokens ? timing.baselineCachedTokens.catch(() => ownBaseline) : Promise.resolve(ownBaseline);
  const record = baseline.then((b) =>
    run.recordUsage(
      buildUsageEvents(
        run.usageContext("single-call", { lessonsAsked: k, circuitOpen: false, counterfactual: { singlePromptTokens: single, baselineCachedTokens: b } }),
        call.reports,
        // Nothing usable: why; some lessons lost to a quality rule: that rule, so the dashboard counts it.
        { lessonsValid: valid, errorCode: valid === 0 ? (open[0]?.lastError?.code ?? null) : (open.find((o) => o.lastError && qualityCodes.has(o.lastError.code))?.lastError?.code ?? null), deliveredCompletionTokens: deliveredTokens },
      ),
    ),
  );

  const repairs = open.length > 0 ? baseline.then((b) => fillSlotsWithSingleCalls(run, group, open, "repair", false, { singlePromptTokens: single, baselineCachedTokens: b })) : null;
  await Promise.all([record, repairs]);
}
