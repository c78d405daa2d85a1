// Prefetch generation (learner top-ups and the cron sweep): generate a list of lessons under one
// generation request, saving each to the shared library the moment it is valid.
import "server-only";
import { generateLessonBatch } from "@/lib/batch";
import type { LessonRequest, LessonResult } from "@/lib/batch/types";
import type { Db } from "@/lib/db/port";
import type { GenerationDeps } from "./deps";
import { beginGeneration, bodyHash, finishGeneration } from "./generation-request";
import { createLessonSaver, lessonRow } from "./lesson-saver";
import { tallyingSink, type UsageSummary } from "./usage-tally";

/** Generates lessons for `slots`, saving each as it arrives under one generation request; returns saved ids per slot. */
export async function generateAndSave(
  deps: GenerationDeps,
  db: Db,
  slots: { request: LessonRequest; topicId: string }[],
  opts: { feature: "fyp-learner" | "fyp-sweep"; userId: string | null; priority: "interactive" | "background"; signal?: AbortSignal },
): Promise<{ lessonIds: (string | null)[]; failed: number; usage: UsageSummary }> {
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
