// The slow lane on the job engine (pg-boss): a submit queue (one job per group sent to a provider
// batch; retried jobs find their batch, they never create a second) and a poll schedule (recover,
// cancel near the deadline, settle). Registered by lib/jobs' worker in one line.
import "server-only";
import type { Job, PgBoss } from "pg-boss";
import { z } from "zod";
import { difficulty } from "@/lib/contracts/enums";
import type { JobEngine } from "@/lib/jobs/engine";

export const SLOW_QUEUES = {
  submit: "slow-submit",
  submitDead: "slow-submit-dead",
  poll: "slow-poll",
  plan: "slow-plan",
} as const;

/** The horizon planner's schedule (UTC): hourly, off the top of the hour. */
export const SLOW_PLAN_CRON = "5 * * * *";

/** A group for the slow lane: the prefetch group's fields plus when its lessons are needed. */
export const slowSubmitJobSchema = z.object({
  topicId: z.string().min(1),
  difficulty,
  need: z.number().int().positive().max(500),
  learners: z.array(z.string().min(1)).max(10_000).default([]),
  subject: z.string().min(1).max(200),
  topic: z.string().min(1).max(200),
  avoidTitles: z.array(z.string().max(300)).max(100).default([]),
  /** ms since the epoch: when the followers will reach these lessons. */
  deadlineAt: z.number().int().positive(),
});
export type SlowSubmitJob = z.infer<typeof slowSubmitJobSchema>;

export interface SlowLaneJobContext {
  id: string;
  retryCount: number;
  signal: AbortSignal;
  engine: JobEngine;
}

export interface SlowLaneHandlers {
  submit: (job: SlowSubmitJob, ctx: SlowLaneJobContext) => Promise<unknown>;
  poll: (ctx: SlowLaneJobContext) => Promise<unknown>;
  /** Cron of the poll (UTC). */
  pollCron: string;
  /** The horizon planner: enqueues submit jobs for what followers will read beyond the fast horizon. */
  plan?: (ctx: SlowLaneJobContext) => Promise<unknown>;
}

async function upsert(boss: PgBoss, name: string, options: NonNullable<Parameters<PgBoss["createQueue"]>[1]>) {
  if (await boss.getQueue(name)) return;
  try {
    await boss.createQueue(name, options);
  } catch (err) {
    if (!(await boss.getQueue(name))) throw err;
  }
}

export async function ensureSlowLaneQueues(engine: JobEngine): Promise<void> {
  const { boss, settings } = engine;
  await upsert(boss, SLOW_QUEUES.submitDead, { policy: "standard", retryLimit: 0, retentionSeconds: 30 * 24 * 3600, deleteAfterSeconds: 30 * 24 * 3600 });
  // stately per group key: one waiting and one running submit per group; the key makes retries idempotent too.
  await upsert(boss, SLOW_QUEUES.submit, {
    policy: "stately",
    expireInSeconds: settings.expireInSeconds,
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: settings.retryDelayMaxSeconds,
    deadLetter: SLOW_QUEUES.submitDead,
  });
  // exclusive: a poll while one runs is dropped; the next tick is its retry.
  await upsert(boss, SLOW_QUEUES.poll, { policy: "exclusive", expireInSeconds: settings.expireInSeconds, retryLimit: 0 });
  await upsert(boss, SLOW_QUEUES.plan, { policy: "exclusive", expireInSeconds: settings.expireInSeconds, retryLimit: 0 });
}

/** Works the slow lane's queues in this process and schedules the poll (pg-boss sends each tick once). */
export async function startSlowLaneWorker(engine: JobEngine, handlers: SlowLaneHandlers | undefined, opts: { pollingIntervalSeconds?: number; schedule?: boolean } = {}): Promise<void> {
  if (!handlers) return;
  await ensureSlowLaneQueues(engine);
  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1 };
  const ctx = (job: Job<unknown>): SlowLaneJobContext => ({ id: job.id, retryCount: job.retryCount, signal: job.signal, engine });
  await engine.boss.work(SLOW_QUEUES.submit, { ...polling, localConcurrency: 1 }, async ([job]: Job<unknown>[]) => handlers.submit(slowSubmitJobSchema.parse(job.data), ctx(job)));
  await engine.boss.work(SLOW_QUEUES.poll, polling, async ([job]: Job<unknown>[]) => handlers.poll(ctx(job)));
  if (opts.schedule !== false) await engine.boss.schedule(SLOW_QUEUES.poll, handlers.pollCron, null, { tz: "UTC" });
  const plan = handlers.plan;
  if (plan) {
    await engine.boss.work(SLOW_QUEUES.plan, polling, async ([job]: Job<unknown>[]) => plan(ctx(job)));
    if (opts.schedule !== false) await engine.boss.schedule(SLOW_QUEUES.plan, SLOW_PLAN_CRON, null, { tz: "UTC" });
  }
}

/** The job's group key (and singleton key): a group's slow work is queued once. */
export function slowGroupKey(job: Pick<SlowSubmitJob, "topicId" | "difficulty" | "deadlineAt">): string {
  return `slow:${job.topicId}:${job.difficulty}:${Math.floor(job.deadlineAt / 3600_000)}`;
}

export async function enqueueSlow(engine: JobEngine, job: z.input<typeof slowSubmitJobSchema>): Promise<string | null> {
  const parsed = slowSubmitJobSchema.parse(job);
  return engine.boss.send(SLOW_QUEUES.submit, parsed, { singletonKey: slowGroupKey(parsed) });
}
