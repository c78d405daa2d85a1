// The job queues of the background prefetch, their payloads and their settings, defined once.
//   fyp-plan      the cron tick: find the low feeds, enqueue one generation job per (topic, difficulty)
//   fyp-generate  one group; `stately` + singleton key, so a group is never generated twice at once
//   fyp-urgent    a learner's top-up; its own queue and worker slots, so it never waits behind the sweep
// Jobs that keep failing land in the `*-dead` queue of their queue, where admins see and retry them.
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
export const WORK_QUEUES = [
  { name: QUEUES.generate, deadLetter: QUEUES.generateDead },
  { name: QUEUES.urgent, deadLetter: QUEUES.urgentDead },
] as const;

/** One (topic, difficulty) group's generation: `need` lessons for the learners listed (empty = any). */
export const generateGroupJobSchema = z.object({
  topicId: z.string().min(1),
  difficulty: z.string().min(1),
  need: z.number().int().positive().max(50),
  learners: z.array(z.string().min(1)).max(10_000).default([]),
  // Set on fyp-urgent jobs: the learner whose request asked for the top-up.
  requestedBy: z.string().min(1).nullable().default(null),
  // What the generation asks the model for (set by the planner; a job without them cannot generate).
  subject: z.string().min(1).max(200).optional(),
  topic: z.string().min(1).max(200).optional(),
  avoidTitles: z.array(z.string().max(300)).max(100).default([]),
  // The planner's claim on the learners' shortfall rows; delivery releases each learner's part.
  claimId: z.uuid().nullable().default(null),
});
export type GenerateGroupJob = z.infer<typeof generateGroupJobSchema>;
export type GenerateGroupInput = z.input<typeof generateGroupJobSchema>;

/** The singleton key of a group: at most one queued and one running job per key. */
export function groupKey(job: Pick<GenerateGroupJob, "topicId" | "difficulty"> & { requestedBy?: string | null }): string {
  const group = `${job.topicId}:${job.difficulty}`;
  return job.requestedBy ? `${job.requestedBy}:${group}` : group;
}

export interface QueueSettings {
  /** Seconds a job may stay active before the engine takes it back and retries it (a crashed worker). */
  expireInSeconds: number;
  retryLimit: number;
  /** First retry delay in seconds; doubles (with jitter) on each retry up to `retryDelayMaxSeconds`. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** Cron expression of the planner (UTC). */
  planCron: string;
}

export const defaultQueueSettings: QueueSettings = {
  expireInSeconds: 600,
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryDelayMaxSeconds: 600,
  planCron: "* * * * *",
};

// Dead letters are kept a month so an admin has time to look; nobody works those queues.
export const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;
// Urgent jobs come first when a worker's slots for the queue are shared (pg-boss fetches by priority).
export const URGENT_PRIORITY = 10;
