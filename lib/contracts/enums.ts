// The app's closed lists, each written once. TypeScript types, zod enums, the dashboard's filters and the
// SQL check constraints (compared by a database test) all read these arrays.
import { z } from "zod";

/** Lesson difficulty, easiest first. */
export const difficulties = ["intro", "easy", "medium", "hard"] as const;
export const difficulty = z.enum(difficulties);
export type Difficulty = z.infer<typeof difficulty>;

/** What a model call served: a playlist's "generate similar", a learner's For You top-up, the cron sweep, the benchmark. */
export const usageFeatures = ["similar", "fyp-learner", "fyp-sweep", "bench"] as const;
export const usageFeature = z.enum(usageFeatures);
export type UsageFeature = z.infer<typeof usageFeature>;

/**
 * How a lesson was produced, and so the mode of the model call that produced it: one batched call for
 * several lessons, one call per lesson (the fallback), or a repair call for a slot that failed checks.
 */
export const callModes = ["single-call", "single", "repair"] as const;
export const callMode = z.enum(callModes);
/** The mode of a usage event: a call mode, or a moderation screen of a generated lesson (docs/quality.md). */
export const usageModes = [...callModes, "moderation"] as const;
export const usageMode = z.enum(usageModes);
export type UsageMode = z.infer<typeof usageMode>;
/** The `via` of a generated lesson. */
export const lessonVias = callModes;
export const lessonVia = callMode;
export type LessonVia = z.infer<typeof lessonVia>;

/** How a model call was billed: an ordinary call, a provider Batch API line, or a flex-tier call (docs/slow-lane.md). */
export const usageLanes = ["fast", "batch", "flex"] as const;
export const usageLane = z.enum(usageLanes);
export type UsageLane = z.infer<typeof usageLane>;

/** How the admin usage dashboard groups its rows. */
export const usageGroupBys = ["day", "model", "mode", "feature", "user"] as const;
export const usageGroupBy = z.enum(usageGroupBys);
export type UsageGroupBy = z.infer<typeof usageGroupBy>;

export const tiers = ["free", "pro", "admin"] as const;
export const tier = z.enum(tiers);
export type Tier = z.infer<typeof tier>;

export const roles = ["learner", "admin"] as const;
export const role = z.enum(roles);
export type Role = z.infer<typeof role>;

/** Final status of a generation request. */
export const generationStatuses = ["succeeded", "partial", "failed", "cancelled"] as const;
export const generationStatus = z.enum(generationStatuses);
export type GenerationStatus = z.infer<typeof generationStatus>;

/** What begin_generation found for an idempotency key. */
export const beginStates = ["new", "replay", "conflict", "in_progress"] as const;
export const beginState = z.enum(beginStates);
export type BeginState = z.infer<typeof beginState>;

export const lessonSources = ["seed", "generated"] as const;
export const feedItemStatuses = ["pending", "seen"] as const;
