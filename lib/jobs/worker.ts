// A worker: registers the handlers on the queues and, when it plans, the cron schedule. Handlers are
// injected, so the same worker runs the app's sweep in production and a small function in tests.
import "server-only";
import type { Job } from "pg-boss";
import { startSlowLaneWorker, type SlowLaneHandlers } from "@/lib/slowlane/queues";
import type { JobEngine } from "./engine";
import { QUEUES, URGENT_PRIORITY, generateGroupJobSchema, groupKey, topUpJobSchema, topUpKey, type GenerateGroupInput, type GenerateGroupJob, type QueueName, type TopUpJob } from "./queues";

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
  /** Generates one (topic, difficulty) group (fyp-generate). */
  generateGroup?: (job: GenerateGroupJob, ctx: JobContext) => Promise<unknown>;
  /** Tops up one learner's feed (fyp-urgent). */
  topUp?: (job: TopUpJob, ctx: JobContext) => Promise<unknown>;
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
  urgentPollingIntervalSeconds?: number;
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

  const { generateGroup, topUp, planSweep } = handlers;
  if (generateGroup) {
    await boss.work(QUEUES.generate, { ...polling, batchSize: 1, localConcurrency: opts.concurrency ?? 2 }, async ([job]: Job<unknown>[]) =>
      run(QUEUES.generate, job, (ctx) => generateGroup(generateGroupJobSchema.parse(job.data), ctx)),
    );
  }
  if (topUp) {
    // A learner is waiting: poll often (a top-up is picked up within about a second).
    await boss.work(QUEUES.urgent, { pollingIntervalSeconds: opts.urgentPollingIntervalSeconds ?? 1, batchSize: 1, localConcurrency: opts.urgentConcurrency ?? 1 }, async ([job]: Job<unknown>[]) =>
      run(QUEUES.urgent, job, (ctx) => topUp(topUpJobSchema.parse(job.data), ctx)),
    );
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
 * Enqueues one generation job per group. A group that already has a job queued or running is not
 * enqueued again (the queue's `exclusive` policy per singleton key). Returns the ids of the jobs
 * created (null where the group already had one).
 */
export async function enqueueGroups(engine: JobEngine, groups: GenerateGroupInput[]): Promise<(string | null)[]> {
  const ids: (string | null)[] = [];
  for (const g of groups) {
    const job = generateGroupJobSchema.parse(g);
    ids.push(await engine.boss.send(QUEUES.generate, job, { singletonKey: groupKey(job) }));
  }
  return ids;
}

/**
 * A learner's top-up, ahead of the sweep. Returns the job's id and whether it is new: when the learner
 * already has a top-up queued or running, that job's id comes back with `created: false`.
 */
export async function enqueueTopUp(engine: JobEngine, input: TopUpJob): Promise<{ id: string | null; created: boolean }> {
  const job = topUpJobSchema.parse(input);
  const key = topUpKey(job.userId);
  const id = await engine.boss.send(QUEUES.urgent, job, { singletonKey: key, priority: URGENT_PRIORITY });
  if (id) return { id, created: true };
  const inFlight = (await engine.boss.findJobs(QUEUES.urgent, { key })).filter((j) => j.state === "created" || j.state === "retry" || j.state === "active");
  return { id: inFlight.at(-1)?.id ?? null, created: false };
}

export type TopUpState = "queued" | "running" | "done" | "failed";

/** A learner's top-up job as the feed polls it; null when it is not theirs or no longer kept. */
export async function topUpStatus(engine: JobEngine, id: string, userId: string): Promise<{ id: string; state: TopUpState; output: unknown } | null> {
  const job = await engine.boss.getJobById<TopUpJob>(QUEUES.urgent, id);
  if (!job || (job.data as Partial<TopUpJob> | null)?.userId !== userId) return null;
  const state: TopUpState =
    job.state === "active" ? "running" : job.state === "completed" ? "done" : job.state === "failed" || job.state === "cancelled" ? "failed" : "queued";
  return { id: job.id, state, output: job.output ?? null };
}
