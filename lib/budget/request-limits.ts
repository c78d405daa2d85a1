// Per-user limits on endpoints that are cheap alone but feed generation when scripted: marking feed
// lessons seen (each one opens a slot a top-up would fill). Same Postgres token buckets as the
// generation limits (take_rate_limit), taken inside mark_feed_seen_limited only when a slot opens.
import "server-only";
import { AppError } from "@/lib/api/errors";
import type { Db } from "@/lib/db/port";
import { serverEnv } from "@/lib/env";

/** Marks a feed lesson seen for the learner; 429 rate_limited beyond FEED_SEEN_PER_MINUTE (burst of the same). */
export async function markFeedSeenLimited(db: Db, userId: string, lessonId: string): Promise<{ lessonId: string; status: "seen" }> {
  const r = await db.rpc("mark_feed_seen_limited", {
    p_user_id: userId,
    p_lesson_id: lessonId,
    p_per_minute: serverEnv().FEED_SEEN_PER_MINUTE,
  });
  if (!r.allowed) {
    throw new AppError("rate_limited", "Too many lessons marked seen; slow down a little.", { retryAfterMs: r.retryAfterMs }, Math.max(1, Math.ceil(r.retryAfterMs / 1000)));
  }
  return { lessonId: r.lessonId, status: "seen" };
}
