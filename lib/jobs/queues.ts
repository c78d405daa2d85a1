// The job queues, their payloads and their settings, defined once.
//   fyp-plan      the cron tick: find the low feeds, enqueue one generation job per (topic, difficulty)
//   fyp-generate  one group; `exclusive` + singleton key `topicId:difficulty`, so a group has at most one
//                 job queued or running: it is never generated twice at once, and a tick that finds it
//                 still low while its job waits or runs enqueues nothing
//   fyp-urgent    a learner's top-up; `exclusive` + key `learner:<id>`, its own worker slots, so it never
//                 waits behind the sweep and a learner has at most one top-up in flight
// Jobs that keep failing land in the `*-dead` queue of their queue, where admins see and retry them.
// Another feature adds its queues by adding a row to WORK_QUEUES (and a handler in lib/jobs/worker.ts).
import { z } from "zod";

export const QUEUES = {
  plan: "fyp-plan",
  generate: "fyp-generate",
  generateDead: "fyp-generate-dead",
  urgent: "fyp-urgent",
  urgentDead: "fyp-urgent-dead",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Work queues (handlers run on them) with the dead-letter queue each one fails into. */
export const WORK_QUEUES: readonly { name: QueueName; deadLetter: QueueName }[] = [
  { name: QUEUES.generate, deadLetter: QUEUES.generateDead },
  { name: QUEUES.urgent, deadLetter: QUEUES.urgentDead },
];

/**
 * One (topic, difficulty) group's generation. The worker fills the group's learners from the library
 * first and generates only what is still missing (at most `need`), so a retried job pays for nothing
 * its first attempt saved. `learners` empty = every learner who follows the topic at that difficulty.
 */
export const generateGroupJobSchema = z.object({
  topicId: z.string().min(1),
  difficulty: z.string().min(1),
  need: z.number().int().positive().max(50),
  learners: z.array(z.string().min(1)).max(10_000).default([]),
  // What the generation asks the model for (set by the planner; a job without them cannot generate).
  subject: z.string().min(1).max(200).optional(),
  topic: z.string().min(1).max(200).optional(),
  avoidTitles: z.array(z.string().max(300)).max(100).default([]),
});
export type GenerateGroupJob = z.infer<typeof generateGroupJobSchema>;
export type GenerateGroupInput = z.input<typeof generateGroupJobSchema>;

/**
 * A learner's top-up: the request filled from the library and took `granted` lessons of the learner's
 * daily top-up allowance; the worker refills, generates what is still missing (at most `granted`),
 * delivers, and gives back what it did not generate.
 */
export const topUpJobSchema = z.object({
  userId: z.string().min(1),
  granted: z.number().int().positive().max(500),
});
export type TopUpJob = z.infer<typeof topUpJobSchema>;

/** The singleton key of a group: at most one queued-or-running job per key. */
export function groupKey(job: Pick<GenerateGroupJob, "topicId" | "difficulty">): string {
  return `${job.topicId}:${job.difficulty}`;
}

/** The singleton key of a learner's top-up: one in flight per learner. */
export function topUpKey(userId: string): string {
  return `learner:${userId}`;
}

export interface QueueSettings {
  /** The longest one attempt may run; past it the engine takes the job back and retries it. */
  expireInSeconds: number;
  /**
   * A running job's worker confirms it is alive this often (every half of it); a job whose worker stops
   * confirming (killed, host lost) is taken back and retried after this many seconds, however long its
   * attempt may run. At least 10 (pg-boss). Fixed when the queue is created.
   */
  heartbeatSeconds: number;
  retryLimit: number;
  /** First retry delay in seconds; doubles (with jitter) on each retry up to `retryDelayMaxSeconds`. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** Cron expression of the planner (UTC). */
  planCron: string;
}

export const defaultQueueSettings: QueueSettings = {
  expireInSeconds: 600,
  heartbeatSeconds: 30,
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryDelayMaxSeconds: 600,
  planCron: "* * * * *",
};

// Dead letters are kept a month so an admin has time to look; nobody works those queues.
export const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;
// Urgent jobs come first when a worker's slots for the queue are shared (pg-boss fetches by priority).
export const URGENT_PRIORITY = 10;
