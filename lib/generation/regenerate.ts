// Regenerate one lesson of a playlist, in place. The same order as "generate similar" and the same
// engine: the lesson's context → rate limit → idempotency (the request begins for the playlist) → the
// request is marked as the lesson's replacement → quota for one lesson → the shared pipeline. The new
// lesson takes the old one's playlist row in the transaction that saves it (a trigger, docs/database.md),
// so the position never changes; the old lesson stays in the library. The answer and the NDJSON stream
// are generate-similar's (lib/contracts/generation-stream.ts), for one slot.
import "server-only";
import { AppError } from "@/lib/api/errors";
import { planLessonBatch, planSummary } from "@/lib/batch";
import type { LessonRequest } from "@/lib/batch/types";
import { assertSpendCapOpen } from "@/lib/budget/spend-cap";
import { DbError } from "@/lib/db/port";
import type { RegenerateLessonBody } from "@/lib/contracts/reports";
import type { StartedEvent } from "@/lib/contracts/generation-stream";
import { reserveQuota } from "@/lib/usage/quota";
import type { GenerationDeps } from "./deps";
import { beginGeneration, bodyHash, finishGeneration } from "./generation-request";
import { enforceRateLimit } from "./rate-limit";
import { interactiveRun, type Prepared } from "./similar";

export interface RegenerateInput {
  userId: string;
  playlistId: string;
  lessonId: string;
  body: RegenerateLessonBody;
  idempotencyKey: string | null;
  ip: string | null;
}

interface StoredDenial {
  error: { code: "quota_exceeded"; message: string; details: unknown };
}

const COUNT = 1;

/** A stored result to replay, or the stored quota refusal thrown again. */
function replayOrDenial(stored: unknown): Prepared {
  if (typeof stored === "object" && stored !== null && "error" in stored) {
    const e = (stored as StoredDenial).error;
    throw new AppError(e.code, e.message, e.details);
  }
  return { kind: "replay", stored };
}

/**
 * Everything that can refuse the request, before any model call (404, 409, 429, 503); then a run of one
 * slot, or the replay of an earlier request with the same Idempotency-Key.
 */
export async function prepareRegenerate(input: RegenerateInput, deps: GenerationDeps): Promise<Prepared> {
  const db = await deps.service();
  const instructions = input.body.instructions || undefined;
  const begin = () =>
    beginGeneration<unknown>(db, {
      userId: input.userId,
      idempotencyKey: input.idempotencyKey,
      bodyHash: bodyHash({ regenerate: input.lessonId, playlistId: input.playlistId, instructions: instructions ?? null }),
      feature: "similar",
      playlistId: input.playlistId,
      count: COUNT,
    });
  let ctx;
  try {
    ctx = await db.rpc("lesson_regeneration_context", { p_user_id: input.userId, p_playlist_id: input.playlistId, p_lesson_id: input.lessonId });
  } catch (err) {
    // Once replaced, the lesson is no longer in the playlist: a retry with the first request's key
    // still gets that request's result.
    if (input.idempotencyKey === null || !DbError.is(err) || err.message !== "not_found") throw err;
    const begun = await begin();
    if (begun.state === "replay" && begun.result) return replayOrDenial(begun.result);
    if (begun.state === "new") await finishGeneration(db, begun.requestId, "failed", null);
    throw err;
  }
  // Charged like one lesson of "generate similar": the same rate limit, spend cap and quota.
  await enforceRateLimit(db, "similar", input.userId, input.ip);
  await assertSpendCapOpen(db);

  const requests: LessonRequest[] = [
    // The replaced lesson's title is among the titles to avoid, so the new one is a different lesson.
    { subject: ctx.subjectName, topic: ctx.topicName, difficulty: ctx.difficulty, instructions, avoidTitles: ctx.avoidTitles },
  ];
  const batchPlan = planLessonBatch({ llm: deps.llm, usage: deps.usage, clock: deps.clock }, requests, { priority: "interactive" });
  const plan = planSummary(batchPlan);
  const begun = await begin();
  if (begun.state === "conflict") throw new AppError("conflict", "This Idempotency-Key was already used with a different request body.");
  if (begun.state === "in_progress") throw new AppError("conflict", "A request with this Idempotency-Key is still running; retry when it has finished.");
  if (begun.state === "replay") {
    if (!begun.result) throw new AppError("conflict", "The earlier request with this Idempotency-Key ended without a result; use a new key.");
    return replayOrDenial(begun.result);
  }

  const requestId = begun.requestId;
  let reservation;
  try {
    await db.rpc("mark_generation_replacement", { p_request_id: requestId, p_lesson_id: input.lessonId });
    // Lessons from learner instructions are saved private to this learner (docs/security.md).
    if (instructions) await db.rpc("mark_generation_private", { p_request_id: requestId });
    reservation = await reserveQuota(db, input.userId, COUNT, requestId, deps.clock.now());
  } catch (err) {
    await finishGeneration(db, requestId, "failed", null).catch(() => undefined);
    throw err;
  }
  if (!reservation.granted || !reservation.reservationId) {
    const denied = new AppError(
      "quota_exceeded",
      "You have used today's lesson quota.",
      { remaining: reservation.remaining, resetsAt: reservation.resetsAt },
      reservation.retryAfterSeconds,
    );
    const stored: StoredDenial = { error: { code: "quota_exceeded", message: denied.message, details: denied.details } };
    await finishGeneration(db, requestId, "failed", stored);
    throw denied;
  }
  const reservationId = reservation.reservationId;
  const started: StartedEvent = { type: "started", requestId, count: COUNT, plan };

  const run = interactiveRun(deps, db, { requestId, count: COUNT, plan, batchPlan, requests, topicId: ctx.topicId, userId: input.userId, reservation, reservationId });
  return { kind: "run", started, run };
}
