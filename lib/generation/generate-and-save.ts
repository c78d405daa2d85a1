// Prefetch generation (learner top-ups and the cron sweep): one generation request for a list of
// lessons, run through the shared pipeline, each saved to the shared library the moment it is valid.
import "server-only";
import type { Db } from "@/lib/db/port";
import type { GenerationDeps } from "./deps";
import { beginGeneration, bodyHash } from "./generation-request";
import { runGeneration, type GenerationSlot } from "./pipeline";
import type { UsageSummary } from "./usage-tally";

/** Generates lessons for `slots` under one generation request; returns the saved lesson id per slot. */
export async function generateAndSave(
  deps: GenerationDeps,
  db: Db,
  slots: GenerationSlot[],
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
  const out = await runGeneration(deps, db, {
    requestId: begun.requestId,
    feature: opts.feature,
    userId: opts.userId,
    priority: opts.priority,
    slots,
    signal: opts.signal,
    storedResult: (o) => ({ saved: o.lessons.length, asked: slots.length, error: o.engineError ? "engine_failed" : null }),
  });
  const lessonIds: (string | null)[] = slots.map(() => null);
  for (const l of out.lessons) lessonIds[l.index] = l.lesson.id;
  return { lessonIds, failed: out.failed.length, usage: out.usage };
}
