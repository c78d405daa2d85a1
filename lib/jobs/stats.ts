// What the admin jobs panel shows, read through pg-boss's own API (no SQL of ours on its tables).
// Counts are pg-boss's queue counters, refreshed by its monitor pass (EngineOptions.monitorIntervalSeconds,
// 10 s by default); the oldest waiting job and the dead letters are read live.
import "server-only";
import type { JobEngine } from "./engine";
import { QUEUES, WORK_QUEUES, type QueueName } from "./queues";

export interface DeadLetter {
  id: string;
  /** The queue it failed on. */
  sourceQueue: string | null;
  data: unknown;
  /** Attempts made before it was given up. */
  attempts: number;
  /** The last error's message (never its stack). */
  lastError: string | null;
  deadSince: string;
}

export interface QueueStatsRow {
  queue: QueueName;
  /** Waiting to run (new, or waiting for a retry). */
  queued: number;
  active: number;
  /** Finished jobs still retained (completed or cancelled; pg-boss deletes them after deleteAfterSeconds). */
  completed: number;
  failed: number;
  /** Seconds the oldest waiting job has waited; null when nothing waits. */
  oldestWaitingSeconds: number | null;
  deadLetters: DeadLetter[];
  deadLetterCount: number;
}

const DEAD_LETTERS_SHOWN = 50;

function errorMessage(output: unknown): string | null {
  if (output && typeof output === "object" && "message" in output && typeof output.message === "string") return output.message.slice(0, 500);
  return output == null ? null : String(JSON.stringify(output)).slice(0, 500);
}

/** Per queue: queued, active, completed, failed, oldest waiting age and (work queues) the dead letters. */
export async function jobStats(engine: JobEngine, now: Date = new Date()): Promise<QueueStatsRow[]> {
  const { boss } = engine;
  const names: QueueName[] = [QUEUES.plan, ...WORK_QUEUES.map((q) => q.name)];
  const rows: QueueStatsRow[] = [];
  for (const queue of names) {
    const q = await boss.getQueue(queue);
    if (!q) continue;
    const [oldest] = await boss.findJobs(queue, { queued: true, limit: 1 });
    const deadQueue = WORK_QUEUES.find((w) => w.name === queue)?.deadLetter;
    const dead = deadQueue ? await boss.findJobs(deadQueue, { queued: true, limit: DEAD_LETTERS_SHOWN }) : [];
    const deadInfo = deadQueue ? await boss.getQueue(deadQueue) : null;
    rows.push({
      queue,
      queued: q.queuedCount,
      active: q.activeCount,
      // We never cancel jobs, so what is neither waiting, running nor failed has completed.
      completed: Math.max(0, q.totalCount - q.queuedCount - q.activeCount - q.failedCount),
      failed: q.failedCount,
      oldestWaitingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - new Date(oldest.createdOn).getTime()) / 1000)) : null,
      deadLetterCount: deadInfo?.queuedCount ?? 0,
      deadLetters: dead
        .map((j) => ({
          id: j.id,
          sourceQueue: j.sourceName,
          data: j.data,
          attempts: (j.sourceRetryCount ?? 0) + 1,
          lastError: errorMessage(j.sourceOutput),
          deadSince: new Date(j.createdOn).toISOString(),
        }))
        .reverse(), // newest first
    });
  }
  return rows;
}

/**
 * Moves a dead job back onto the queue it failed on, with a fresh retry budget. False when no dead
 * letter has that id (already retried, or expired).
 */
export async function retryDeadJob(engine: JobEngine, id: string): Promise<boolean> {
  for (const { deadLetter } of WORK_QUEUES) {
    if ((await engine.boss.redrive(deadLetter, { ids: [id], limit: 1 })) > 0) return true;
  }
  return false;
}

/** The admin panel's view: every queue's row, each dead letter labelled by its group; null without an engine. */
export async function jobsPanelRows(engine: JobEngine | null): Promise<(Omit<QueueStatsRow, "deadLetters"> & { deadLetters: (Omit<DeadLetter, "data" | "sourceQueue"> & { label: string })[] })[] | null> {
  if (!engine) return null;
  return (await jobStats(engine)).map((r) => ({
    ...r,
    deadLetters: r.deadLetters.map(({ data, sourceQueue: _source, ...d }) => {
      const job = data && typeof data === "object" ? (data as Record<string, unknown>) : {};
      const label = [job.topic ?? job.topicId, job.difficulty].filter((v) => typeof v === "string").join(" · ") || (typeof job.userId === "string" ? "a learner's top-up" : "job");
      return { ...d, label };
    }),
  }));
}
