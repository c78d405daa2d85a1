// One generation from the first model call to the stored result, for every caller (generate similar,
// a learner's feed top-up, the cron sweep): each lesson saved into its slot the moment it arrives,
// usage tallied, the learner's quota settled for exactly what was saved, the request finished. The
// caller has begun the request (and reserved quota) before; it only builds the stored result.
import "server-only";
import { generateLessonBatch } from "@/lib/batch";
import type { BatchPlan, LessonRequest, LessonVia } from "@/lib/batch/types";
import type { LessonError, UsageSummary } from "@/lib/contracts/generation-stream";
import type { Db } from "@/lib/db/port";
import type { LessonRecord } from "@/lib/lessons/types";
import { rubricModeration } from "@/lib/moderation";
import type { Priority } from "@/lib/llm/types";
import { settleQuota } from "@/lib/usage/quota";
import type { UsageFeature } from "@/lib/usage/types";
import type { GenerationDeps } from "./deps";
import { finishGeneration, type FinishStatus } from "./generation-request";
import { createLessonSaver, lessonRow } from "./lesson-saver";
import { journaledGateway, tallyingSink } from "./usage-tally";

export interface GenerationSlot {
  request: LessonRequest;
  topicId: string;
}

export type SlotOutcome = { index: number; ok: true; lesson: LessonRecord; via: LessonVia } | { index: number; ok: false; error: LessonError };

export interface GenerationOutcome {
  requestId: string;
  status: FinishStatus;
  /** Saved lessons and failed slots, each in slot order. */
  lessons: Extract<SlotOutcome, { ok: true }>[];
  failed: Extract<SlotOutcome, { ok: false }>[];
  usage: UsageSummary;
  /** Quota left after settling; null when nothing was reserved or the settle failed (it is retried by SQL's expiry). */
  quotaRemaining: number | null;
  /** Set when the engine itself failed (not single lessons). */
  engineError: unknown;
}

export interface GenerationRun {
  requestId: string;
  feature: Extract<UsageFeature, "similar" | "fyp-learner" | "fyp-sweep">;
  userId: string | null;
  priority: Priority;
  slots: GenerationSlot[];
  /** The plan shown to the caller (planLessonBatch), so it is the plan that runs. */
  plan?: BatchPlan;
  /** Aborted when the caller goes away: calls in flight finish and are saved, no new ones start. */
  signal?: AbortSignal;
  /** The learner's quota reservation for these slots: settled for the saved lessons, whatever happens. */
  reservationId?: string;
  /** Each slot's outcome the moment it is final (saved, or failed). */
  onSlot?: (slot: SlotOutcome) => void;
  /** The replayable result stored with the finished request. */
  storedResult: (outcome: Omit<GenerationOutcome, "status">) => unknown;
}

const cancelled: LessonError = { code: "cancelled", message: "Not generated: the request was cancelled." };
const unavailable: LessonError = { code: "provider_unavailable", message: "The lesson generator is unavailable right now." };
const saveFailed: LessonError = { code: "save_failed", message: "The lesson was generated but could not be saved." };

/**
 * The final status of a request, one rule for every caller:
 *   every slot saved → "succeeded"; otherwise a slot was cancelled → "cancelled";
 *   otherwise nothing saved → "failed"; otherwise → "partial".
 */
export function finalStatus(asked: number, saved: number, failed: readonly { error: LessonError }[]): FinishStatus {
  if (saved === asked) return "succeeded";
  if (failed.some((f) => f.error.code === cancelled.code)) return "cancelled";
  return saved === 0 ? "failed" : "partial";
}

export async function runGeneration(deps: GenerationDeps, db: Db, run: GenerationRun): Promise<GenerationOutcome> {
  const { requestId, slots } = run;
  const tally = tallyingSink(deps.usage);
  const saver = createLessonSaver(deps.service, requestId, deps.clock);
  const outcomes = new Map<number, SlotOutcome>();
  const settle = (o: SlotOutcome) => {
    outcomes.set(o.index, o);
    try {
      run.onSlot?.(o);
    } catch (err) {
      console.error(`[generation] a listener of request ${requestId} failed`, err);
    }
  };
  const saves: Promise<void>[] = [];
  let engineError: unknown = null;
  let quotaRemaining: number | null = null;
  try {
    try {
      // Every attempt is written ahead before it is sent, so a crash mid-call still leaves its usage event.
      const llm = journaledGateway(deps.llm, tally.sink, { requestId, userId: run.userId, feature: run.feature });
      // A rubric screen is a model call like any other, so it goes through the same journal; the provider's
      // moderation endpoint is free and is logged when it answers (docs/quality.md).
      const moderation = deps.moderation?.kind === "rubric" ? rubricModeration(llm) : deps.moderation;
      const results = generateLessonBatch({ llm, usage: tally.sink, clock: deps.clock, moderation }, slots.map((s) => s.request), {
        priority: run.priority,
        signal: run.signal,
        plan: run.plan,
        feature: run.feature,
        requestId,
        userId: run.userId,
      });
      for await (const r of results) {
        if (!r.ok) {
          settle({ index: r.index, ok: false, error: r.error });
          continue;
        }
        saves.push(
          saver.save(lessonRow(r.index, slots[r.index].topicId, r.lesson, r.model)).then((record) =>
            settle(record ? { index: r.index, ok: true, lesson: record, via: r.via } : { index: r.index, ok: false, error: saveFailed }),
          ),
        );
      }
    } catch (err) {
      engineError = err;
      console.error(`[generation] ${run.feature} generation of request ${requestId} failed`, err);
    }
    await Promise.all(saves);
    await saver.flush();
    // Only an engine failure leaves slots unanswered.
    for (let i = 0; i < slots.length; i++) if (!outcomes.has(i)) settle({ index: i, ok: false, error: run.signal?.aborted ? cancelled : unavailable });
  } finally {
    // Always settle: only saved lessons are charged, the rest of the reservation goes back.
    if (run.reservationId) {
      const saved = [...outcomes.values()].filter((o) => o.ok).length;
      try {
        quotaRemaining = (await settleQuota(db, run.reservationId, saved)).remaining;
      } catch (err) {
        console.error(`[generation] settling quota for request ${requestId} failed`, err);
      }
    }
  }
  await tally.pending();

  const inOrder = [...outcomes.values()].sort((a, b) => a.index - b.index);
  const lessons = inOrder.filter((o): o is Extract<SlotOutcome, { ok: true }> => o.ok);
  const failed = inOrder.filter((o): o is Extract<SlotOutcome, { ok: false }> => !o.ok);
  const outcome = { requestId, lessons, failed, usage: tally.summary(), quotaRemaining, engineError };
  const status = finalStatus(slots.length, lessons.length, failed);
  try {
    await finishGeneration(db, requestId, status, run.storedResult(outcome));
  } catch (err) {
    // The lessons are saved and charged correctly; only a later replay of this request is affected.
    console.error(`[generation] storing the result of request ${requestId} failed`, err);
  }
  return { ...outcome, status };
}
