// Single-lesson calls for the slots a batch did not deliver (or for every slot when batching is not
// used): all in parallel under the concurrency cap, with Promise.allSettled, each slot retried up to
// its attempt budget with the previous error fed back to the model.
import type { LessonContext } from "@/lib/lessons/prompts";
import { checkLesson } from "@/lib/lessons/validate";
import type { BatchRun } from "./batch-run";
import { errorFromThrown, slotErrors, type SlotError } from "./error-codes";
import { runLessonCall } from "./lesson-call";
import { outputBudget, type LessonGroup } from "./plan";
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

async function fillSlot(
  run: BatchRun,
  group: LessonGroup,
  slot: SlotToFill,
  via: "single" | "repair",
  circuitOpen: boolean,
  counterfactual: CounterfactualBasis | null,
): Promise<void> {
  let lastError = slot.lastError;
  while (!run.isSettled(slot.index)) {
    if (run.attempts[slot.index] >= run.config.maxAttemptsPerSlot) {
      run.fail(slot.index, lastError ?? slotErrors.missing());
      return;
    }
    await run.repairLimit.run(async () => {
      // Checked once a slot in the cap is ours: a cancelled batch starts no new calls.
      if (run.cancelled) {
        run.fail(slot.index, slotErrors.cancelled());
        return;
      }
      run.attempts[slot.index]++;
      lastError = await singleCall(run, group, slot.index, lastError, via, circuitOpen, counterfactual);
    });
  }
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
  const caps = run.target.capabilities;
  const context: LessonContext = {
    subject: group.subject,
    topic: group.topic,
    difficulty: group.difficulty,
    instructions: group.instructions,
    // Titles accepted so far in this batch are off limits too, so a repair does not collide with them.
    avoidTitles: [...group.avoidTitles, ...(run.requests[index].avoidTitles ?? []), ...run.registry(group).titles()].filter(
      (t, i, all) => all.indexOf(t) === i,
    ),
  };
  let error: SlotError | null = null;
  let first = true;
  let deliveredTokens = 0;
  const call = await runLessonCall(
    run.deps.llm,
    {
      target: run.target,
      mode: run.mode,
      context,
      count: 1,
      maxOutputTokens: outputBudget(1, caps, run.config),
      repairError: lastError?.feedback ?? undefined,
    },
    {
      stream: run.stream,
      startSignal: run.opts.signal,
      onLesson: (raw) => {
        if (!first || run.isSettled(index)) return; // one lesson asked; extras are ignored
        first = false;
        const check = checkLesson(raw);
        error = check.ok ? run.accept(group, index, check.lesson, via) : slotErrors.invalid(check.message);
        if (check.ok && error === null) deliveredTokens = singleAnswerTokens(run.deps.llm, raw);
      },
    },
  );
  const valid = run.isSettled(index) && run.results[index]?.ok ? 1 : 0;
  if (!valid && !error) {
    if (call.error) error = errorFromThrown(call.error);
    else if (call.finishReason === "length") error = slotErrors.truncated();
    else error = call.problem ? slotErrors.unreadable(call.problem) : slotErrors.missing();
  }
  if (!valid && call.finishReason === "length" && error?.code === "invalid_output") error = slotErrors.truncated();
  run.recordUsage(
    buildUsageEvents(
      {
        target: run.target,
        mode: via,
        feature: run.feature,
        requestId: run.opts.requestId ?? null,
        userId: run.opts.userId ?? null,
        lessonsAsked: 1,
        circuitOpen,
        counterfactual,
      },
      call.reports,
      { lessonsValid: valid, errorCode: valid ? null : (error?.code ?? null), deliveredCompletionTokens: valid ? [deliveredTokens] : [] },
    ),
  );
  return valid ? null : error;
}
