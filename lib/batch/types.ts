// Public types of the batch-lesson module (docs/generation.md).
export type { Clock } from "@/lib/clock";
import type { Clock } from "@/lib/clock";
import type { Difficulty, LessonContent } from "@/lib/lessons/types";
import type { LlmGateway, Priority } from "@/lib/llm/types";
import type { UsageFeature, UsageSink } from "@/lib/usage/types";

export interface LessonRequest {
  subject: string;
  topic: string;
  difficulty: Difficulty;
  /** The learner's optional instructions, passed to the model as quoted data. */
  instructions?: string;
  /** Titles to avoid (playlist + topic's recent lessons); checked for exact and near duplicates. */
  avoidTitles?: string[];
}

/** A generated lesson before it is saved: content plus the request it answers. */
export interface GeneratedLesson extends LessonContent {
  subject: string;
  topic: string;
}

import type { LessonVia } from "@/lib/contracts/enums";

export type { LessonVia };

export type LessonResult =
  | { ok: true; index: number; lesson: GeneratedLesson; via: LessonVia; model: string }
  | { ok: false; index: number; error: { code: string; message: string }; attempts: number };

export interface BatchConfig {
  maxPerCall: number; // default 5
  maxAttemptsPerSlot: number; // default 4 (the batch call counts as the first)
  repairConcurrency: number; // default: the gateway's concurrency cap
  circuitBreaker: { failureThreshold: number; cooldownMs: number };
  /** Output tokens budgeted per lesson when sizing a chunk and its max_completion_tokens (default 750). */
  outputTokensPerLesson?: number;
  /** Extra output tokens per call for the JSON wrapper (default 200). */
  outputMarginTokens?: number;
  /** How long a truncation keeps that group's chunks halved (default 10 min). */
  truncationMemoryMs?: number;
  /** The cache-aware planner's policy (lib/batch/planner.ts); partial overrides merge with the default. */
  planner?: Partial<Omit<import("./config").PlannerPolicy, "maxPerCall" | "warmStart">> & {
    maxPerCall?: Partial<import("./config").PlannerPolicy["maxPerCall"]>;
    warmStart?: Partial<import("./config").PlannerPolicy["warmStart"]>;
  };
}

export interface BatchDeps {
  llm: LlmGateway;
  usage: UsageSink;
  clock: Clock;
  config?: Partial<BatchConfig>;
  /** Shuffles answer choices; inject a seeded one for reproducible runs (default Math.random). */
  random?: () => number;
  /** Circuit breakers and truncation memory; default: one shared state per gateway object. */
  state?: import("./batch-state").BatchState;
  /** Screens every accepted lesson before it is yielded (lib/moderation, docs/quality.md); none: not screened. */
  moderation?: import("@/lib/moderation/types").ModerationPort;
}

export interface BatchOptions {
  priority?: Priority; // default interactive
  signal?: AbortSignal; // calls in flight finish, no new ones start
  /** Stream calls lesson by lesson (default true); false when the caller waits for the whole batch. */
  stream?: boolean;
  /** A plan from planLessonBatch for these requests, so what the caller showed is what runs. */
  plan?: BatchPlan;
  feature?: UsageFeature;
  requestId?: string | null;
  userId?: string | null;
}

/** One group of requests and the planner's calls for it (lib/batch/planner.ts). */
export interface PlannedGroup {
  group: import("./plan").LessonGroup;
  plan: import("./planner").GroupRunPlan;
}

export interface BatchPlan {
  model: string;
  groups: PlannedGroup[];
}
