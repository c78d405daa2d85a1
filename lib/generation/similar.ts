// "Generate similar": new lessons like a playlist's. Order matters and is the point of this file:
// context → rate limit → idempotency (the request begins, reserving the playlist positions of its
// slots) → quota reserved for the whole ask → only then the model, through the shared pipeline that
// saves each lesson into its slot as it arrives, settles the quota and stores the replayable result.
// Nothing is spent twice and nothing paid for is lost.
import "server-only";
import { AppError } from "@/lib/api/errors";
import type { GenerateSimilarBody } from "@/lib/contracts";
import { planLessonBatch, planSummary } from "@/lib/batch";
import type { BatchPlan, LessonRequest } from "@/lib/batch/types";
import type { Db } from "@/lib/db/port";
import type { SimilarEvent, SimilarResult, StartedEvent } from "@/lib/contracts/generation-stream";
import type { Difficulty } from "@/lib/lessons/types";
import { reserveQuota, type QuotaReservation } from "@/lib/usage/quota";
import { assertSpendCapOpen } from "@/lib/budget/spend-cap";
import type { GenerationDeps } from "./deps";
import { beginGeneration, bodyHash, finishGeneration } from "./generation-request";
import { runGeneration, type GenerationOutcome } from "./pipeline";
import { enforceRateLimit } from "./rate-limit";

export interface PlaylistContext {
  playlistId: string;
  subjectName: string;
  topicId: string;
  topicName: string;
  difficulty: Difficulty;
  avoidTitles: string[];
  lessonCount: number;
}

// What a denied request stores, so a retry with the same key gets the same answer without new work.
interface StoredDenial {
  error: { code: "quota_exceeded"; message: string; details: unknown };
}

export interface SimilarInput {
  userId: string;
  playlistId: string;
  body: GenerateSimilarBody;
  idempotencyKey: string | null;
  ip: string | null;
}

export type Prepared =
  /** `stored` is the earlier request's result as the database holds it; the response parses it. */
  | { kind: "replay"; stored: unknown }
  | { kind: "run"; started: StartedEvent; run: (opts: RunOptions) => Promise<RunOutcome> };

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
  const requests: LessonRequest[] = Array.from({ length: count }, () => ({
    subject: ctx.subjectName,
    topic: ctx.topicName,
    difficulty,
    instructions,
    avoidTitles: ctx.avoidTitles,
  }));
  // The plan the learner is shown is the one the engine runs: it is handed to the run below.
  const batchPlan = planLessonBatch({ llm: deps.llm, usage: deps.usage, clock: deps.clock }, requests, { priority: "interactive" });
  const plan = planSummary(batchPlan);
  const begun = await beginGeneration<unknown>(db, {
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
    return { kind: "replay", stored: begun.result };
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

  const started: StartedEvent = { type: "started", requestId, count, plan };

  const run = interactiveRun(deps, db, { requestId, count, plan, batchPlan, requests, topicId: ctx.topicId, userId: input.userId, reservation, reservationId });
  return { kind: "run", started, run };
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

/**
 * The run of an interactive generation request (generate-similar, regenerate one lesson): the one
 * pipeline, each slot streamed as it settles, the stored result in the stream contract's shape.
 */
export function interactiveRun(
  deps: GenerationDeps,
  db: Db,
  r: {
    requestId: string;
    count: number;
    plan: SimilarResult["plan"];
    batchPlan: BatchPlan;
    requests: LessonRequest[];
    topicId: string;
    userId: string;
    reservation: QuotaReservation;
    reservationId: string;
  },
): (opts: RunOptions) => Promise<RunOutcome> {
  const { requestId, count, plan, batchPlan, requests, reservation, reservationId } = r;
  return async ({ signal, emit = () => undefined }: RunOptions): Promise<RunOutcome> => {
    const toResult = (o: Omit<GenerationOutcome, "status">): SimilarResult => ({
      requestId,
      count,
      plan,
      lessons: o.lessons.map(({ index, lesson, via }) => ({ ...lesson, index, via })),
      failed: o.failed.map(({ index, error }) => ({ index, error })),
      usage: o.usage,
      quota: { remaining: o.quotaRemaining ?? reservation.remaining, resetsAt: reservation.resetsAt },
    });
    const outcome = await runGeneration(deps, db, {
      requestId,
      feature: "similar",
      userId: r.userId,
      priority: "interactive",
      slots: requests.map((request) => ({ request, topicId: r.topicId })),
      plan: batchPlan,
      signal,
      reservationId,
      onSlot: (o) =>
        emit(o.ok ? { type: "lesson", index: o.index, lesson: o.lesson, via: o.via } : { type: "lesson_failed", index: o.index, error: o.error }),
      storedResult: toResult,
    });
    const result = toResult(outcome);
    emit({ type: "done", succeeded: result.lessons.length, failed: result.failed.length, usage: result.usage, quota: result.quota });
    return { result, engineError: outcome.engineError };
  };
}
