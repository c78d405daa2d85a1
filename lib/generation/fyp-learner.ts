// A learner's For You top-up: fill from the shared library first (in SQL, under a lock), generate only
// the shortfall, save it to the library, and deliver it — never past the per-topic cap (enforced in SQL).
// Top-ups are not charged to the learner's daily quota: prefetch is the product's cost, not the
// learner's ask (docs/api.md). They are rate limited like every generation endpoint.
import "server-only";
import { generateLessonBatch } from "@/lib/batch";
import type { LessonRequest, LessonResult } from "@/lib/batch/types";
import type { Db } from "@/lib/db/port";
import type { Difficulty } from "@/lib/lessons/types";
import type { GenerationDeps } from "./deps";
import { beginGeneration, bodyHash, finishGeneration } from "./generation-request";
import { createLessonSaver, lessonRow } from "./lesson-saver";
import { enforceRateLimit } from "./rate-limit";
import { tallyingSink } from "./usage-tally";

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

/** Generates lessons for `slots`, saving each as it arrives under one generation request; returns saved ids per slot. */
export async function generateAndSave(
  deps: GenerationDeps,
  db: Db,
  slots: { request: LessonRequest; topicId: string }[],
  opts: { feature: "fyp-learner" | "fyp-sweep"; userId: string | null; priority: "interactive" | "background"; signal?: AbortSignal },
): Promise<{ lessonIds: (string | null)[]; failed: number; usage: ReturnType<ReturnType<typeof tallyingSink>["summary"]> }> {
  const begun = await beginGeneration(db, {
    userId: opts.userId,
    idempotencyKey: null,
    bodyHash: bodyHash(slots.map((s) => [s.topicId, s.request.difficulty])),
    feature: opts.feature,
    playlistId: null,
    count: slots.length,
  });
  const requestId = begun.requestId;
  const tally = tallyingSink(deps.usage);
  const saver = createLessonSaver(deps.service, requestId);
  const lessonIds: (string | null)[] = slots.map(() => null);
  const saves: Promise<void>[] = [];
  const known = new Set<number>();
  const onResult = (r: LessonResult) => {
    if (known.has(r.index) || !slots[r.index]) return;
    known.add(r.index);
    if (!r.ok) return;
    saves.push(
      saver.save(lessonRow(r.index, slots[r.index].topicId, r.lesson, r.model)).then((record) => {
        lessonIds[r.index] = record?.id ?? null;
      }),
    );
  };
  let engineError: unknown = null;
  try {
    const results = await generateLessonBatch(
      { llm: deps.llm, usage: tally.sink, clock: deps.clock },
      slots.map((s) => s.request),
      { priority: opts.priority, signal: opts.signal, onResult, feature: opts.feature, requestId, userId: opts.userId },
    );
    for (const r of results) onResult(r);
  } catch (err) {
    engineError = err;
    console.error(`[generation] ${opts.feature} generation failed`, err);
  }
  await Promise.all(saves);
  await saver.flush();
  await tally.pending();
  const saved = lessonIds.filter((id) => id !== null).length;
  const status = saved === slots.length ? "succeeded" : saved === 0 ? "failed" : "partial";
  await finishGeneration(db, requestId, status, { saved, asked: slots.length, error: engineError ? "engine_failed" : null }).catch((err) =>
    console.error(`[generation] storing the result of request ${requestId} failed`, err),
  );
  return { lessonIds, failed: slots.length - saved, usage: tally.summary() };
}

export async function topUpLearnerFeed(
  input: { userId: string; ip: string | null; cap: number; learnerDb: () => Promise<Db> },
  deps: GenerationDeps,
): Promise<LearnerTopUp> {
  const db = await deps.service();
  await enforceRateLimit(db, "fyp", input.userId, input.ip);
  const fill = await db.rpc<{ fromLibrary: number; shortfall: TopicShortfall[] }>("fyp_fill_from_library", { p_user_id: input.userId, p_cap: input.cap });

  let generated = 0;
  let failed = 0;
  const slots = fill.shortfall.flatMap((s) =>
    Array.from({ length: Math.max(0, s.missing) }, () => ({
      topicId: s.topicId,
      request: { subject: s.subjectName, topic: s.topicName, difficulty: s.difficulty, avoidTitles: s.avoidTitles } satisfies LessonRequest,
    })),
  );
  if (slots.length > 0) {
    const out = await generateAndSave(deps, db, slots, { feature: "fyp-learner", userId: input.userId, priority: "interactive" });
    const ids = out.lessonIds.filter((id): id is string => id !== null);
    failed = out.failed;
    if (ids.length > 0) {
      const d = await db.rpc<{ delivered: number }>("fyp_deliver", { p_user_id: input.userId, p_lesson_ids: ids, p_cap: input.cap });
      generated = d.delivered;
    }
  }
  // The learner's own view of the feed (RLS applies), so `pending` is what they will see.
  const feed = await (await input.learnerDb()).rpc<{ topics: { pending: number }[] }>("get_feed");
  return { fromLibrary: fill.fromLibrary, generated, failed, pending: feed.topics.reduce((n, t) => n + t.pending, 0) };
}
