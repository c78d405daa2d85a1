// "Generate similar": new lessons like a playlist's. Order matters and is the point of this file:
// context → rate limit → idempotency → quota reserved for the whole ask → only then the model, each
// lesson saved the moment it arrives → quota settled (failed and unstarted lessons refunded) → the
// replayable result stored. Nothing is spent twice and nothing paid for is lost.
import "server-only";
import { AppError } from "@/lib/api/errors";
import type { GenerateSimilarBody } from "@/lib/contracts";
import { generateLessonVariants } from "@/lib/batch";
import type { LessonResult, LessonVia } from "@/lib/batch/types";
import type { Db } from "@/lib/db/port";
import type { Difficulty, LessonRecord } from "@/lib/lessons/types";
import { reserveQuota, settleQuota, type QuotaReservation } from "@/lib/usage/quota";
import { assertSpendCapOpen } from "@/lib/budget/spend-cap";
import type { GenerationDeps } from "./deps";
import { beginGeneration, bodyHash, finishGeneration, type FinishStatus } from "./generation-request";
import { createLessonSaver, lessonRow } from "./lesson-saver";
import { enforceRateLimit } from "./rate-limit";
import { tallyingSink, type UsageSummary } from "./usage-tally";

export const MAX_PER_CALL = 5;

export interface PlaylistContext {
  playlistId: string;
  subjectName: string;
  topicId: string;
  topicName: string;
  difficulty: Difficulty;
  avoidTitles: string[];
  lessonCount: number;
}

export interface LessonError {
  code: string;
  message: string;
}
export interface Plan {
  calls: number;
  perCall: number;
  model: string;
}
export interface QuotaState {
  remaining: number;
  resetsAt: string;
}

export type SimilarEvent =
  | { type: "started"; requestId: string; count: number; plan: Plan }
  | { type: "lesson"; index: number; lesson: LessonRecord; via: LessonVia }
  | { type: "lesson_failed"; index: number; error: LessonError }
  | { type: "done"; succeeded: number; failed: number; usage: UsageSummary; quota: QuotaState };

/** The JSON answer, also stored as the replayable result of the generation request. */
export interface SimilarResult {
  requestId: string;
  count: number;
  plan: Plan;
  lessons: (LessonRecord & { index: number; via: LessonVia })[];
  failed: { index: number; error: LessonError }[];
  usage: UsageSummary;
  quota: QuotaState;
}

// What a denied request stores, so a retry with the same key gets the same answer without new work.
interface StoredDenial {
  error: { code: "quota_exceeded"; message: string; details: unknown };
}

export interface SimilarInput {
  userId: string;
  /** The database as this learner (RLS applies); used to keep the playlist in slot order. */
  learnerDb: () => Promise<Db>;
  playlistId: string;
  body: GenerateSimilarBody;
  idempotencyKey: string | null;
  ip: string | null;
}

export type Prepared =
  | { kind: "replay"; result: SimilarResult }
  | { kind: "run"; started: Extract<SimilarEvent, { type: "started" }>; run: (opts: RunOptions) => Promise<RunOutcome> };

export interface RunOptions {
  /** Aborted when the client goes away: calls in flight finish and are saved, no new ones start. */
  signal: AbortSignal;
  emit?: (event: SimilarEvent) => void;
}
export interface RunOutcome {
  result: SimilarResult;
  /** Set when the engine itself failed (not single lessons), e.g. the provider is down. */
  engineError: unknown;
}

export function planFor(count: number, model: string): Plan {
  const calls = Math.ceil(count / MAX_PER_CALL);
  return { calls, perCall: Math.ceil(count / calls), model };
}

function quotaDenied(r: QuotaReservation): AppError {
  return new AppError(
    "quota_exceeded",
    r.remaining > 0 ? `Only ${r.remaining} lesson(s) left today.` : "You have used today's lesson quota.",
    { remaining: r.remaining, resetsAt: r.resetsAt },
    r.retryAfterSeconds,
  );
}

function isDenial(value: unknown): value is StoredDenial {
  return typeof value === "object" && value !== null && "error" in value;
}

/**
 * Everything that can refuse the request, before any model call. Throws AppError (404, 400, 409, 429);
 * returns a replay of an earlier identical request, or a run to start.
 */
export async function prepareSimilar(input: SimilarInput, deps: GenerationDeps): Promise<Prepared> {
  const db = await deps.service();
  const ctx = await db.rpc("playlist_generation_context", { p_user_id: input.userId, p_playlist_id: input.playlistId });
  await enforceRateLimit(db, "similar", input.userId, input.ip);
  await assertSpendCapOpen(db); // 503 budget_exhausted once the deployment's daily spend cap is reached

  const { count } = input.body;
  const difficulty = input.body.difficulty ?? ctx.difficulty;
  const instructions = input.body.instructions || undefined;
  const begun = await beginGeneration<SimilarResult | StoredDenial>(db, {
    userId: input.userId,
    idempotencyKey: input.idempotencyKey,
    bodyHash: bodyHash({ playlistId: input.playlistId, count, difficulty: input.body.difficulty ?? null, instructions: instructions ?? null }),
    feature: "similar",
    playlistId: input.playlistId,
    count,
  });
  if (begun.state === "conflict") {
    throw new AppError("conflict", "This Idempotency-Key was already used with a different request body.");
  }
  if (begun.state === "in_progress") {
    throw new AppError("conflict", "A request with this Idempotency-Key is still running; retry when it has finished.");
  }
  if (begun.state === "replay") {
    if (isDenial(begun.result)) {
      const e = begun.result.error;
      throw new AppError(e.code, e.message, e.details);
    }
    if (!begun.result) throw new AppError("conflict", "The earlier request with this Idempotency-Key ended without a result; use a new key.");
    return { kind: "replay", result: begun.result };
  }

  const requestId = begun.requestId;
  let reservation: QuotaReservation;
  try {
    // Lessons from learner instructions are saved private to this learner (docs/security.md).
    if (instructions) await db.rpc("mark_generation_private", { p_request_id: requestId });
    reservation = await reserveQuota(db, input.userId, count, requestId, deps.clock.now());
  } catch (err) {
    // Do not leave the key "running" forever: a retry with it gets a clear 409 instead of hanging.
    await finishGeneration(db, requestId, "failed", null).catch(() => undefined);
    throw err;
  }
  if (!reservation.granted || !reservation.reservationId) {
    const denied = quotaDenied(reservation);
    const stored: StoredDenial = { error: { code: "quota_exceeded", message: denied.message, details: denied.details } };
    await finishGeneration(db, requestId, "failed", stored);
    throw denied;
  }
  const reservationId = reservation.reservationId;

  const plan = planFor(count, deps.llm.target("interactive").model);
  const started = { type: "started" as const, requestId, count, plan };

  const run = async ({ signal, emit = () => undefined }: RunOptions): Promise<RunOutcome> => {
    const tally = tallyingSink(deps.usage);
    const saver = createLessonSaver(deps.service, requestId);
    const lessons = new Map<number, SimilarResult["lessons"][number]>();
    const failed = new Map<number, LessonError>();
    const known = new Set<number>();
    const saves: Promise<void>[] = [];
    const arrival: number[] = [];

    const fail = (index: number, error: LessonError) => {
      failed.set(index, error);
      emit({ type: "lesson_failed", index, error });
    };
    const onResult = (r: LessonResult) => {
      if (known.has(r.index) || r.index < 0 || r.index >= count) return;
      known.add(r.index);
      if (!r.ok) return fail(r.index, r.error);
      saves.push(
        saver.save(lessonRow(r.index, ctx.topicId, r.lesson, r.model)).then((record) => {
          if (!record) return fail(r.index, { code: "save_failed", message: "The lesson was generated but could not be saved." });
          lessons.set(r.index, { ...record, index: r.index, via: r.via });
          arrival.push(r.index);
          emit({ type: "lesson", index: r.index, lesson: record, via: r.via });
        }),
      );
    };

    let engineError: unknown = null;
    let settledRemaining = reservation.remaining;
    let status: FinishStatus = "failed";
    try {
      try {
        const results = await generateLessonVariants(
          { llm: deps.llm, usage: tally.sink, clock: deps.clock },
          ctx.subjectName,
          ctx.topicName,
          { difficulty, instructions, avoidTitles: ctx.avoidTitles },
          count,
          { priority: "interactive", signal, onResult, feature: "similar", requestId, userId: input.userId },
        );
        for (const r of results) onResult(r);
      } catch (err) {
        engineError = err;
      }
      await Promise.all(saves);
      await saver.flush();
      if (arrival.some((index, i) => i > 0 && index < arrival[i - 1])) {
        await restoreSlotOrder(input.learnerDb, input.playlistId, lessons);
      }
      for (let i = 0; i < count; i++) {
        if (known.has(i)) continue;
        if (signal.aborted) fail(i, { code: "cancelled", message: "Not generated: the request was cancelled." });
        else fail(i, { code: "provider_unavailable", message: "The lesson generator is unavailable right now." });
      }
      const cancelled = [...failed.values()].some((e) => e.code === "cancelled" || e.code === "aborted");
      status = lessons.size === count ? "succeeded" : cancelled ? "cancelled" : lessons.size === 0 ? "failed" : "partial";
    } finally {
      // Always settle: only saved lessons are charged, the rest of the reservation goes back.
      try {
        settledRemaining = (await settleQuota(db, reservationId, lessons.size)).remaining;
      } catch (err) {
        console.error(`[generation] settling quota for request ${requestId} failed`, err);
      }
    }

    await tally.pending();
    const result: SimilarResult = {
      requestId,
      count,
      plan,
      lessons: [...lessons.values()].sort((a, b) => a.index - b.index),
      failed: [...failed.entries()].sort(([a], [b]) => a - b).map(([index, error]) => ({ index, error })),
      usage: tally.summary(),
      quota: { remaining: settledRemaining, resetsAt: reservation.resetsAt },
    };
    try {
      await finishGeneration(db, requestId, status, result);
    } catch (err) {
      // The lessons are saved and charged correctly; only a later replay of this key is affected.
      console.error(`[generation] storing the result of request ${requestId} failed`, err);
    }
    emit({ type: "done", succeeded: result.lessons.length, failed: result.failed.length, usage: result.usage, quota: result.quota });
    return { result, engineError };
  };

  return { kind: "run", started, run };
}

/**
 * Lessons are appended as they arrive, which with parallel calls and repairs is not slot order. Put this
 * request's lessons back in slot order within the positions they took; everything else stays put.
 * Best effort: a failure here leaves a correct playlist in arrival order.
 */
async function restoreSlotOrder(learnerDb: () => Promise<Db>, playlistId: string, saved: Map<number, LessonRecord>): Promise<void> {
  try {
    const db = await learnerDb();
    const playlist = await db.rpc("get_playlist", { p_playlist_id: playlistId });
    const ids = playlist.lessons.map((l) => l.id);
    const ours = new Set([...saved.values()].map((l) => l.id));
    const inSlotOrder = [...saved.entries()].sort(([a], [b]) => a - b).map(([, l]) => l.id);
    let k = 0;
    const next = ids.map((id) => (ours.has(id) ? inSlotOrder[k++] : id));
    if (next.every((id, i) => id === ids[i])) return;
    await db.rpc("reorder_playlist", { p_playlist_id: playlistId, p_lesson_ids: next });
  } catch (err) {
    console.error(`[generation] restoring slot order in playlist ${playlistId} failed`, err);
  }
}

/** The events a replayed request streams: the stored result, in the same shape as a live run. */
export function replayEvents(result: SimilarResult): SimilarEvent[] {
  const events: SimilarEvent[] = [{ type: "started", requestId: result.requestId, count: result.count, plan: result.plan }];
  const byIndex: [number, SimilarEvent][] = [
    ...result.lessons.map(({ index, via, ...lesson }): [number, SimilarEvent] => [index, { type: "lesson", index, lesson, via }]),
    ...result.failed.map(({ index, error }): [number, SimilarEvent] => [index, { type: "lesson_failed", index, error }]),
  ];
  byIndex.sort(([a], [b]) => a - b);
  events.push(...byIndex.map(([, e]) => e));
  events.push({ type: "done", succeeded: result.lessons.length, failed: result.failed.length, usage: result.usage, quota: result.quota });
  return events;
}
