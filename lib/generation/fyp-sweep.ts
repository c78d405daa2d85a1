// The cron sweep over every low feed. SQL fills what it can from the shared library; the rest is grouped
// by (topic, difficulty) ACROSS learners and generated once per group with the background model:
// learners of a group need unseen lessons of the same topic, so one new lesson serves all of them.
// A group therefore asks for the largest shortfall among its learners, not the sum, and the engine
// packs each group into calls of at most five lessons. On the job engine a group has at most one job
// queued or running (its singleton key), and the job fills from the library before it generates, so
// no gap is paid for twice; the inline sweep (no engine: tests on PGlite) runs one plan at a time.
import "server-only";
import type { LessonRequest } from "@/lib/batch/types";
import { difficulty as difficultySchema } from "@/lib/contracts/enums";
import type { Db } from "@/lib/db/port";
import { BACKGROUND_SUBJECT, refundAllowance, takeAllowance } from "@/lib/budget/allowance";
import type { GenerationDeps } from "./deps";
import type { TopicShortfall } from "./fyp-learner";
import { generateAndSave } from "./generate-and-save";
import { emptyUsage, type UsageSummary } from "./usage-tally";

/** A learner's shortfall on one topic, as fyp_sweep_plan reports it. */
export type SweepShortfall = TopicShortfall & { userId: string };

export interface SweepPlan {
  learnersToppedUp: number;
  fromLibrary: number;
  shortfall: SweepShortfall[];
}

/** What a sweep did, with the usage of its one generation request (calls, tokens, cost). */
export interface SweepSummary extends Omit<UsageSummary, "savedUsd"> {
  learnersToppedUp: number;
  fromLibrary: number;
  generated: number;
  delivered: number;
  failed: number;
  groups: number;
}

interface Group {
  topicId: string;
  request: Omit<LessonRequest, "avoidTitles">;
  need: number;
  avoid: Set<string>;
  learners: Set<string>;
}

/** Learners one sweep serves; the next sweep continues with the rest. */
export const DEFAULT_SWEEP_LEARNERS = 1000;

// Enough to steer the model away from repeats without bloating the shared prompt.
const MAX_AVOID_TITLES = 60;

export function groupShortfall(shortfall: SweepShortfall[]): Group[] {
  const groups = new Map<string, Group>();
  for (const s of shortfall) {
    if (s.missing <= 0) continue;
    const key = `${s.topicId}|${s.difficulty}`;
    let g = groups.get(key);
    if (!g) {
      g = { topicId: s.topicId, request: { subject: s.subjectName, topic: s.topicName, difficulty: s.difficulty }, need: 0, avoid: new Set(), learners: new Set() };
      groups.set(key, g);
    }
    g.need = Math.max(g.need, s.missing);
    g.learners.add(s.userId);
    for (const t of s.avoidTitles) if (g.avoid.size < MAX_AVOID_TITLES) g.avoid.add(t);
  }
  return [...groups.values()];
}

export async function sweepFeeds(deps: GenerationDeps, opts: { cap: number; maxLearners: number }): Promise<SweepSummary> {
  const db = await deps.service();
  const plan = await db.rpc("fyp_sweep_plan", { p_cap: opts.cap, p_max_learners: opts.maxLearners });
  return generateAndDeliver(deps, db, plan, opts.cap);
}

async function generateAndDeliver(deps: GenerationDeps, db: Db, plan: SweepPlan, cap: number): Promise<SweepSummary> {
  const groups = groupShortfall(plan.shortfall);
  const { savedUsd: _none, ...noUsage } = emptyUsage();
  const summary: SweepSummary = { learnersToppedUp: plan.learnersToppedUp, fromLibrary: plan.fromLibrary, generated: 0, delivered: 0, failed: 0, groups: groups.length, ...noUsage };
  if (groups.length === 0) return summary;

  const wanted = groups.flatMap((g, groupIndex) =>
    Array.from({ length: g.need }, (_, round) => ({ round, groupIndex, topicId: g.topicId, request: { ...g.request, avoidTitles: [...g.avoid] } })),
  );
  // The deployment's daily background allowance (and spend cap), taken before any model call; a
  // partial grant serves every group once before any group twice.
  const grant = await takeAllowance(db, "background", BACKGROUND_SUBJECT, wanted.length);
  const slots = wanted.sort((a, b) => a.round - b.round).slice(0, grant.granted);
  if (slots.length === 0) return summary;
  const out = await generateAndSave(deps, db, slots, { feature: "fyp-sweep", userId: null, priority: "background" });
  await refundAllowance(db, "background", BACKGROUND_SUBJECT, slots.length - out.lessonIds.filter((id) => id !== null).length);

  // Each learner gets their groups' new lessons in one call; fyp_deliver stops at the cap per topic.
  const perLearner = new Map<string, string[]>();
  slots.forEach((slot, i) => {
    const lessonId = out.lessonIds[i];
    if (!lessonId) return;
    for (const userId of groups[slot.groupIndex].learners) {
      const list = perLearner.get(userId) ?? [];
      list.push(lessonId);
      perLearner.set(userId, list);
    }
  });
  const toppedUp = new Set<string>();
  for (const [userId, lessonIds] of perLearner) {
    const d = await db.rpc("fyp_deliver", { p_user_id: userId, p_lesson_ids: lessonIds, p_cap: cap });
    summary.delivered += d.delivered;
    if (d.delivered > 0) toppedUp.add(userId);
  }

  summary.generated = out.lessonIds.filter((id) => id !== null).length;
  summary.failed = out.failed;
  summary.learnersToppedUp = Math.max(plan.learnersToppedUp, toppedUp.size);
  const { savedUsd: _saved, ...usage } = out.usage;
  return { ...summary, ...usage };
}

// ---- The sweep on the job engine: the planner enqueues one job per group, a worker generates each ----

/** One (topic, difficulty) group as a generation job's payload (see generateGroupJobSchema in lib/jobs). */
export interface PlannedGroup {
  topicId: string;
  difficulty: string;
  need: number;
  /** Empty: the job serves every learner of the group, found when it runs. */
  learners: string[];
  subject: string;
  topic: string;
  avoidTitles: string[];
}

/**
 * Plans a sweep without generating: fills what the library can and returns one group per
 * (topic, difficulty) still short. The caller enqueues them; a group whose job is still queued or
 * running is not enqueued again (its singleton key), so planning the same gap twice costs nothing.
 */
export async function planSweepGroups(deps: GenerationDeps, opts: { cap: number; maxLearners: number }): Promise<{ plan: SweepPlan; groups: PlannedGroup[] }> {
  const db = await deps.service();
  const plan = await db.rpc("fyp_sweep_plan", { p_cap: opts.cap, p_max_learners: opts.maxLearners });
  const groups = groupShortfall(plan.shortfall).map((g) => ({
    topicId: g.topicId,
    difficulty: g.request.difficulty,
    need: g.need,
    learners: [],
    subject: g.request.subject,
    topic: g.request.topic,
    avoidTitles: [...g.avoid],
  }));
  return { plan, groups };
}

/** What one group's job did. */
export interface GroupSummary extends Omit<UsageSummary, "savedUsd"> {
  /** Lessons the job's library fills put into feeds (before generating: an earlier attempt's, or other groups'). */
  fromLibrary: number;
  generated: number;
  delivered: number;
  failed: number;
  learnersToppedUp: number;
}

/**
 * Generates one planned group through the pipeline and delivers it. First the group's learners are
 * filled from the library: lessons an earlier attempt of this job saved (a worker killed mid-job) are
 * delivered, not generated again, and only what the most-short learner still misses is generated
 * (at most `need`), under the background allowance, with the background model, each lesson saved to
 * the library as it is valid. Then the same fill delivers the new lessons, never past the cap.
 */
export async function generateGroup(
  deps: GenerationDeps,
  group: { topicId: string; difficulty: string; need: number; learners: string[]; subject?: string; topic?: string; avoidTitles: string[] },
  opts: { cap: number; signal?: AbortSignal },
): Promise<GroupSummary> {
  if (!group.subject || !group.topic) throw new Error(`generation job for ${group.topicId}:${group.difficulty} carries no subject/topic`);
  const difficulty = difficultySchema.parse(group.difficulty);
  const db = await deps.service();
  const fill = () => db.rpc("fyp_fill_group", { p_topic_id: group.topicId, p_difficulty: difficulty, p_cap: opts.cap, p_user_ids: group.learners.length > 0 ? group.learners : null });
  const { savedUsd: _none, ...noUsage } = emptyUsage();
  const before = await fill();
  const summary: GroupSummary = { fromLibrary: before.fromLibrary, generated: 0, delivered: 0, failed: 0, learnersToppedUp: 0, ...noUsage };
  const need = Math.min(group.need, before.missing);
  if (need <= 0) return summary;
  const request = { subject: group.subject, topic: group.topic, difficulty, avoidTitles: group.avoidTitles.slice(0, MAX_AVOID_TITLES) };
  const grant = await takeAllowance(db, "background", BACKGROUND_SUBJECT, need);
  const slots = Array.from({ length: grant.granted }, () => ({ topicId: group.topicId, request }));
  if (slots.length === 0) return summary;
  const out = await generateAndSave(deps, db, slots, { feature: "fyp-sweep", userId: null, priority: "background", signal: opts.signal });
  const generated = out.lessonIds.filter((id) => id !== null).length;
  await refundAllowance(db, "background", BACKGROUND_SUBJECT, slots.length - generated);
  const after = await fill();
  summary.generated = generated;
  summary.delivered = after.fromLibrary;
  summary.learnersToppedUp = after.learners;
  summary.failed = out.failed;
  const { savedUsd: _saved, ...usage } = out.usage;
  return { ...summary, ...usage };
}
