// A learner's For You top-up. The request fills from the shared library (in SQL, under a lock), takes
// the learner's daily top-up allowance for what is still missing — before anything is spent — and hands
// the generation to the job engine as an urgent job (one in flight per learner); it answers at once and
// the feed polls the job. The job (runTopUp) refills, generates only what is still missing, saves it to
// the library and delivers it — never past the per-topic cap (enforced in SQL). Without a job engine
// (PGlite with no worker, as in tests) the request runs the same job inline.
// Top-ups are not charged to the learner's daily quota: prefetch is the product's cost, not the
// learner's ask (docs/api.md). They are rate limited like every generation endpoint.
import "server-only";
import type { LessonRequest } from "@/lib/batch/types";
import type { Db } from "@/lib/db/port";
import type { Difficulty } from "@/lib/lessons/types";
import { allowanceDenied, refundAllowance, takeAllowance } from "@/lib/budget/allowance";
import type { GenerationDeps } from "./deps";
import { generateAndSave } from "./generate-and-save";
import { enforceRateLimit } from "./rate-limit";

export interface TopicShortfall {
  topicId: string;
  subjectName: string;
  topicName: string;
  difficulty: Difficulty;
  missing: number;
  avoidTitles: string[];
}

export interface LearnerTopUp {
  /** "done": finished in the request (no job engine); "queued": an urgent job generates the rest. */
  status: "done" | "queued";
  /** The urgent job to poll (GET /api/fyp/top-ups/{id}); null when nothing was queued. */
  jobId: string | null;
  fromLibrary: number;
  generated: number;
  failed: number;
  pending: number;
}

/** What a top-up job did. */
export interface TopUpOutcome {
  fromLibrary: number;
  generated: number;
  delivered: number;
  failed: number;
}

/** Hands a granted top-up to the job engine; null when there is no engine (the caller runs it inline). */
export type TopUpEnqueuer = (job: { userId: string; granted: number }) => Promise<{ id: string | null; created: boolean }>;

export async function requestTopUp(
  input: { userId: string; ip: string | null; cap: number; learnerDb: () => Promise<Db>; enqueue: TopUpEnqueuer | null },
  deps: GenerationDeps,
): Promise<LearnerTopUp> {
  const db = await deps.service();
  await enforceRateLimit(db, "fyp", input.userId, input.ip);
  const fill = await db.rpc("fyp_fill_from_library", { p_user_id: input.userId, p_cap: input.cap });
  const missing = fill.shortfall.reduce((n, s) => n + Math.max(0, s.missing), 0);
  const answer = async (rest: Omit<LearnerTopUp, "fromLibrary" | "pending">): Promise<LearnerTopUp> => ({ ...rest, fromLibrary: fill.fromLibrary, pending: await pendingOf(input.learnerDb) });
  if (missing === 0) return answer({ status: "done", jobId: null, generated: 0, failed: 0 });

  const grant = await takeAllowance(db, "topup", input.userId, missing);
  if (grant.granted === 0) {
    // Nothing new today; what the library filled still counts, so only an empty top-up is refused.
    if (fill.fromLibrary === 0) throw allowanceDenied(grant);
    return answer({ status: "done", jobId: null, generated: 0, failed: 0 });
  }
  if (!input.enqueue) {
    const out = await runTopUp(deps, { userId: input.userId, granted: grant.granted }, { cap: input.cap });
    return answer({ status: "done", jobId: null, generated: out.delivered, failed: out.failed });
  }
  let queued: { id: string | null; created: boolean };
  try {
    queued = await input.enqueue({ userId: input.userId, granted: grant.granted });
  } catch (err) {
    await refundAllowance(db, "topup", input.userId, grant.granted);
    throw err;
  }
  // The learner's earlier top-up is still queued or running: it covers this one; nothing is taken twice.
  if (!queued.created) await refundAllowance(db, "topup", input.userId, grant.granted);
  return answer({ status: "queued", jobId: queued.id, generated: 0, failed: 0 });
}

/**
 * The urgent job: fill from the library again (lessons a concurrent sweep or an earlier attempt of this
 * job saved are delivered, not generated twice), generate what is still missing — at most `granted`,
 * round-robin over the low topics so a partial grant reaches every one first — deliver, and give back
 * the part of the allowance it did not generate.
 */
export async function runTopUp(
  deps: GenerationDeps,
  job: { userId: string; granted: number },
  opts: { cap: number; signal?: AbortSignal },
): Promise<TopUpOutcome> {
  const db = await deps.service();
  const fill = await db.rpc("fyp_fill_from_library", { p_user_id: job.userId, p_cap: opts.cap });
  const slots = fill.shortfall
    .flatMap((s) =>
      Array.from({ length: Math.max(0, s.missing) }, (_, round) => ({
        round,
        topicId: s.topicId,
        request: { subject: s.subjectName, topic: s.topicName, difficulty: s.difficulty, avoidTitles: s.avoidTitles } satisfies LessonRequest,
      })),
    )
    .sort((a, b) => a.round - b.round)
    .slice(0, job.granted);
  const outcome: TopUpOutcome = { fromLibrary: fill.fromLibrary, generated: 0, delivered: 0, failed: 0 };
  if (slots.length > 0) {
    const out = await generateAndSave(deps, db, slots, { feature: "fyp-learner", userId: job.userId, priority: "interactive", signal: opts.signal });
    const ids = out.lessonIds.filter((id): id is string => id !== null);
    outcome.generated = ids.length;
    outcome.failed = out.failed;
    if (ids.length > 0) outcome.delivered = (await db.rpc("fyp_deliver", { p_user_id: job.userId, p_lesson_ids: ids, p_cap: opts.cap })).delivered;
  }
  // What was not generated goes back once the job completes. An attempt that throws (or is killed)
  // gives nothing back: its retry generates within the same grant.
  await refundAllowance(db, "topup", job.userId, job.granted - outcome.generated);
  return outcome;
}

/** What the learner will see pending (their own view of the feed, RLS applies). */
async function pendingOf(learnerDb: () => Promise<Db>): Promise<number> {
  const feed = await (await learnerDb()).rpc("get_feed");
  return feed.topics.reduce((n, t) => n + t.pending, 0);
}
