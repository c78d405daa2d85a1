// A worker: registers the handlers on the queues and, when it plans, the cron schedule. Handlers are
// injected, so the same worker runs the app's sweep in production and a small function in tests.
import "server-only";
import type { Job } from "pg-boss";
import { startSlowLaneWorker, type SlowLaneHandlers } from "@/lib/slowlane/queues";
import type { JobEngine } from "./engine";
import { QUEUES, URGENT_PRIORITY, generateGroupJobSchema, groupKey, type GenerateGroupInput, type GenerateGroupJob, type QueueName } from "./queues";

export interface JobContext {
  id: string;
  queue: QueueName;
  retryCount: number;
  /** Aborted when the worker stops and its grace period is over: stop at the next safe point. */
  signal: AbortSignal;
  /** The engine the job runs on (to enqueue follow-up jobs). */
  engine: JobEngine;
}

export interface JobHandlers {
  /** Generates one (topic, difficulty) group; runs for fyp-generate and fyp-urgent jobs. */
  generateGroup?: (job: GenerateGroupJob, ctx: JobContext) => Promise<unknown>;
  /** The cron tick: plans the sweep and enqueues its groups (see `enqueueGroups`). */
  planSweep?: (ctx: JobContext) => Promise<unknown>;
  /** The slow lane's submit queue and poll schedule (lib/slowlane/queues.ts). */
  slowLane?: SlowLaneHandlers;
}

export interface WorkerOptions {
  /** Jobs of fyp-generate this process runs at once. */
  concurrency?: number;
  /** Slots reserved for fyp-urgent, so a top-up never waits behind the sweep. */
  urgentConcurrency?: number;
  pollingIntervalSeconds?: number;
  /** Register the planner's cron schedule (any number of processes may; pg-boss sends each tick once). */
  schedulePlan?: boolean;
}

export interface Worker {
  /** Jobs running in this process right now. */
  active(): number;
  /** Stop taking jobs; wait up to `timeoutMs` for the running ones, then hand them back for a retry. */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
}

export async function startWorker(engine: JobEngine, handlers: JobHandlers, opts: WorkerOptions = {}): Promise<Worker> {
  const { boss } = engine;
  let active = 0;
  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 };
  const run = async <T>(queue: QueueName, job: Job<T>, fn: (ctx: JobContext) => Promise<unknown>) => {
    active++;
    try {
      return await fn({ id: job.id, queue, retryCount: job.retryCount, signal: job.signal, engine });
    } finally {
      active--;
    }
  };

  const { generateGroup, planSweep } = handlers;
  if (generateGroup) {
    const handle = (queue: QueueName) => async ([job]: Job<unknown>[]) =>
      run(queue, job, (ctx) => generateGroup(generateGroupJobSchema.parse(job.data), ctx));
    await boss.work(QUEUES.generate, { ...polling, batchSize: 1, localConcurrency: opts.concurrency ?? 2 }, handle(QUEUES.generate));
    await boss.work(QUEUES.urgent, { ...polling, batchSize: 1, localConcurrency: opts.urgentConcurrency ?? 1 }, handle(QUEUES.urgent));
  }
  if (planSweep) {
    await boss.work(QUEUES.plan, { ...polling, batchSize: 1 }, async ([job]: Job<unknown>[]) => run(QUEUES.plan, job, planSweep));
    if (opts.schedulePlan !== false) await boss.schedule(QUEUES.plan, engine.settings.planCron, null, { tz: "UTC" });
  }
  await startSlowLaneWorker(engine, handlers.slowLane, { ...polling, schedule: opts.schedulePlan !== false });

  return {
    active: () => active,
    stop: ({ timeoutMs = 30_000 } = {}) => engine.stop({ graceful: true, timeoutMs }),
  };
}

/**
 * Enqueues one generation job per group. A group already queued is not queued again and a running
 * one gets at most one follow-up (the queue's `stately` policy per singleton key). Returns the ids
 * of the jobs created (null where a group was already waiting).
 */
export async function enqueueGroups(engine: JobEngine, groups: GenerateGroupInput[]): Promise<(string | null)[]> {
  const ids: (string | null)[] = [];
  for (const g of groups) {
    const job = generateGroupJobSchema.parse({ ...g, requestedBy: null });
    ids.push(await engine.boss.send(QUEUES.generate, job, { singletonKey: groupKey(job) }));
  }
  return ids;
}

/** A learner's top-up, ahead of the sweep. Null when the same top-up is already waiting. */
export async function enqueueUrgent(engine: JobEngine, group: GenerateGroupInput & { requestedBy: string }): Promise<string | null> {
  const job = generateGroupJobSchema.parse(group);
  return engine.boss.send(QUEUES.urgent, job, { singletonKey: groupKey(job), priority: URGENT_PRIORITY });
}
