// Single-lesson calls for the slots a batch did not deliver (or for every slot when batching is not
// used): all in parallel under the concurrency cap, with Promise.allSettled, each slot retried up to
// its attempt budget with the previous error fed back to the model.
import type { LessonContext } from "@/lib/lessons/prompts";
import { REPAIR_RETRY, withRetry } from "@/lib/llm/retry-policy";
import { checkLesson } from "@/lib/lessons/validate";
import type { BatchRun } from "./batch-run";
import { errorFromThrown, slotErrors, type SlotError } from "./error-codes";
import { runLessonCall } from "./lesson-call";
import { groupContext, type LessonGroup } from "./plan";
import { buildUsageEvents, singleAnswerTokens, type CounterfactualBasis } from "./usage-events";

export interface SlotToFill {
  index: number;
  lastError: SlotError | null;
}

export async function fillSlotsWithSingleCalls(
  run: BatchRun,
  group: LessonGroup,
  slots: readonly SlotToFill[],
  via: "single" | "repair",
  circuitOpen: boolean,
  /** Repairs of a batch: the counterfactual of the lessons they deliver (their cost is netted against it). */
  counterfactual: CounterfactualBasis | null = null,
): Promise<void> {
  await Promise.allSettled(slots.map((s) => fillSlot(run, group, s, via, circuitOpen, counterfactual)));
  // Anything still open here failed in a way fillSlot did not catch; never leave a slot unanswered.
  for (const s of slots) if (!run.isSettled(s.index)) run.fail(s.index, s.lastError ?? slotErrors.missing());
}

// A slot is retried with the shared policy: at once (a repair is a new prompt with feedback, and the
// gateway already backed off for transient failures), until its attempt budget is spent.
async function fillSlot(
  run: BatchRun,
  group: LessonGroup,
  slot: SlotToFill,
  via: "single" | "repair",
  circuitOpen: boolean,
  counterfactual: CounterfactualBasis | null,
): Promise<void> {
  let lastError = slot.lastError;
  const left = run.config.maxAttemptsPerSlot - run.attempts[slot.index];
  if (left > 0 && !run.isSettled(slot.index)) {
    await withRetry(
      () =>
        run.repairLimit.run(async () => {
          // Checked once a slot in the cap is ours: a cancelled batch starts no new calls.
          if (run.cancelled) {
            run.fail(slot.index, slotErrors.cancelled());
            return;
          }
          run.attempts[slot.index]++;
          lastError = await singleCall(run, group, slot.index, lastError, via, circuitOpen, counterfactual);
          if (!run.isSettled(slot.index)) throw new Error(lastError?.message ?? "The slot is still open.");
        }),
      { ...REPAIR_RETRY, maxAttempts: left, clock: run.deps.clock },
    ).catch(() => undefined);
  }
  if (!run.isSettled(slot.index)) run.fail(slot.index, lastError ?? slotErrors.missing());
}

/**
 * The one regeneration of a slot whose lesson moderation flagged: a single call with the reason fed
 * back, outside the slot's attempt budget (docs/quality.md); its lesson is checked and screened again.
 */
export async function regenerateFlagged(run: BatchRun, group: LessonGroup, index: number, flagged: SlotError): Promise<SlotError | null> {
  run.attempts[index]++;
  return run.repairLimit.run(() => singleCall(run, group, index, flagged, "repair", false, null));
}

async function singleCall(
  run: BatchRun,
  group: LessonGroup,
  index: number,
  lastError: SlotError | null,
  via: "single" | "repair",
  circuitOpen: boolean,
  counterfactual: CounterfactualBasis | null,
): Promise<SlotError | null> {
  const context: LessonContext = {
    ...groupContext(group),
    // Titles accepted so far in this batch are off limits too, so a repair does not collide with them.
    avoidTitles: [...group.avoidTitles, ...(run.requests[index].avoidTitles ?? []), ...run.registry(group).titles()].filter(
      (t, i, all) => all.indexOf(t) === i,
    ),
  };
  let error: SlotError | null = null;
  let first = true;
  let accepted = false;
  let deliveredTokens = 0;
  const call = await runLessonCall(
    run.deps.llm,
    run.callRequest(context, 1, lastError?.feedback ?? undefined),
    {
      stream: run.stream,
      startSignal: run.opts.signal,
      userId: run.opts.userId,
      priority: run.opts.priority ?? "interactive",
      onLesson: (raw) => {
        if (!first || !run.awaitsLesson(index)) return; // one lesson asked; extras are ignored
        first = false;
        const check = checkLesson(raw);
        error = check.ok ? run.accept(group, index, check.lesson, via) : slotErrors.invalid(check.message);
        accepted = check.ok && error === null;
        if (accepted) deliveredTokens = singleAnswerTokens(run.deps.llm, raw);
      },
    },
  );
  // Accepted: settled, or held while moderation screens it (lib/batch/batch-run.ts).
  const valid = accepted ? 1 : 0;
  if (!valid && !error) {
    if (call.error) error = errorFromThrown(call.error);
    else if (call.finishReason === "length") error = slotErrors.truncated();
    else error = call.problem ? slotErrors.unreadable(call.problem) : slotErrors.missing();
  }
  if (!valid && call.finishReason === "length" && error?.code === "invalid_output") error = slotErrors.truncated();
  run.recordUsage(
    buildUsageEvents(
      run.usageContext(via, { lessonsAsked: 1, circuitOpen, counterfactual }),
      call.reports,
      { lessonsValid: valid, errorCode: valid ? null : (error?.code ?? null), deliveredCompletionTokens: valid ? [deliveredTokens] : [] },
    ),
  );
  return valid ? null : error;
}
