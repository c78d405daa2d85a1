// A learner's For You top-up: fill from the shared library first (in SQL, under a lock), generate only
// the shortfall, save it to the library, and deliver it — never past the per-topic cap (enforced in SQL).
// The fill claims each topic it reports short, so a concurrent sweep or top-up does not generate it too.
// Top-ups are not charged to the learner's daily quota: prefetch is the product's cost, not the
// learner's ask (docs/api.md). They are rate limited like every generation endpoint, and every lesson
// they generate is taken from the learner's daily top-up allowance first (docs/security.md).
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
  fromLibrary: number;
  generated: number;
  failed: number;
  pending: number;
}

export async function topUpLearnerFeed(
  input: { userId: string; ip: string | null; cap: number; learnerDb: () => Promise<Db> },
  deps: GenerationDeps,
): Promise<LearnerTopUp> {
  const db = await deps.service();
  await enforceRateLimit(db, "fyp", input.userId, input.ip);
  const fill = await db.rpc("fyp_fill_from_library", {
    p_user_id: input.userId,
    p_cap: input.cap,
  });

  let generated = 0;
  let failed = 0;
  // Round-robin over topics, so a partly granted allowance still reaches every low topic first.
  let slots = fill.shortfall
    .flatMap((s) =>
      Array.from({ length: Math.max(0, s.missing) }, (_, round) => ({
        round,
        topicId: s.topicId,
        request: { subject: s.subjectName, topic: s.topicName, difficulty: s.difficulty, avoidTitles: s.avoidTitles } satisfies LessonRequest,
      })),
    )
    .sort((a, b) => a.round - b.round);
  // The fill claimed these topics for this top-up; delivery releases the claim, and so does the finally
  // when generation fails or throws, so the next top-up or sweep retries at once.
  let released = fill.claimId === null;
  try {
    if (slots.length > 0) {
      const grant = await takeAllowance(db, "topup", input.userId, slots.length);
      if (grant.granted === 0) {
        // Nothing new today; what the library filled still counts, so only an empty top-up is refused.
        if (fill.fromLibrary === 0) throw allowanceDenied(grant);
        slots = [];
      }
      slots = slots.slice(0, grant.granted);
    }
    if (slots.length > 0) {
      const out = await generateAndSave(deps, db, slots, { feature: "fyp-learner", userId: input.userId, priority: "interactive" });
      const ids = out.lessonIds.filter((id): id is string => id !== null);
      failed = out.failed;
      await refundAllowance(db, "topup", input.userId, slots.length - ids.length);
      if (ids.length > 0) {
        const d = await db.rpc("fyp_deliver", { p_user_id: input.userId, p_lesson_ids: ids, p_cap: input.cap, p_claim_id: fill.claimId });
        generated = d.delivered;
        released = true;
      }
    }
  } finally {
    if (!released) {
      await db.rpc("fyp_release_claims", { p_claim_id: fill.claimId }).catch((err: unknown) =>
        console.error("[generation] releasing fyp claims failed; they expire on their own", err),
      );
    }
  }
  // The learner's own view of the feed (RLS applies), so `pending` is what they will see.
  const feed = await (await input.learnerDb()).rpc("get_feed");
  return { fromLibrary: fill.fromLibrary, generated, failed, pending: feed.topics.reduce((n, t) => n + t.pending, 0) };
}
