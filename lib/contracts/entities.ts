// The app's entities as JSON, the shapes the database functions return and the API passes on. The db
// function contracts (lib/db/functions) and the API response schemas (./responses.ts) are built from these.
// Structural checks only: the content rules a new lesson must pass live in lib/lessons/schema.ts.
import { z } from "zod";
import { difficulty, feedItemStatuses, lessonSources, role, tier, usageFeature, usageGroupBy, usageLane, usageMode } from "./enums";

/** Any 8-4-4-4-12 hex id. z.uuid() would also demand RFC version bits, which hand-written seed ids need not have. */
export const id = z.guid({ message: "must be a UUID" });
/** An ISO-8601 instant as the database writes it (`YYYY-MM-DDTHH:MM:SS.mmmZ`). */
export const isoInstant = z.string();

// ---- lessons -------------------------------------------------------------------------------------

export const lessonQuestion = z.object({
  question: z.string(),
  choices: z.tuple([z.string(), z.string(), z.string(), z.string()]),
  correctIndex: z.literal([0, 1, 2, 3]),
  explanation: z.string(),
});
export type LessonQuestion = z.infer<typeof lessonQuestion>;

/** lessons.content (jsonb). `version` is set by the server. */
export const lessonContent = z.object({
  version: z.literal(1),
  title: z.string(),
  content: z.string(),
  difficulty,
  questions: z.tuple([lessonQuestion, lessonQuestion, lessonQuestion]),
  keyTerms: z.array(z.object({ term: z.string(), definition: z.string() })),
});
export type LessonContent = z.infer<typeof lessonContent>;

/** A lesson as every database function returns it. */
export const lessonRecord = z.object({
  id,
  topicId: id,
  topicSlug: z.string(),
  topicName: z.string(),
  subjectSlug: z.string(),
  subjectName: z.string(),
  difficulty,
  title: z.string(),
  content: lessonContent,
  source: z.enum(lessonSources),
  model: z.string().nullable(),
  createdAt: isoInstant,
});
export type LessonRecord = z.infer<typeof lessonRecord>;

// ---- playlists -----------------------------------------------------------------------------------

export const playlistSummary = z.object({
  id,
  title: z.string(),
  description: z.string().nullable(),
  lessonCount: z.number().int(),
  topicName: z.string().nullable(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type PlaylistSummary = z.infer<typeof playlistSummary>;

export const playlistLesson = lessonRecord.extend({ position: z.number().int() });
export type PlaylistLesson = z.infer<typeof playlistLesson>;

/** A playlist entry whose lesson an admin removed after review: shown as a placeholder at its position. */
export const removedPlaylistLesson = z.object({ lessonId: id, position: z.number().int() });
export type RemovedPlaylistLesson = z.infer<typeof removedPlaylistLesson>;

export const playlistDetail = playlistSummary.extend({ lessons: z.array(playlistLesson), removed: z.array(removedPlaylistLesson) });
export type PlaylistDetail = z.infer<typeof playlistDetail>;

export const playlistList = z.object({ playlists: z.array(playlistSummary) });
export type PlaylistList = z.infer<typeof playlistList>;

// ---- topics --------------------------------------------------------------------------------------

export const catalogTopic = z.object({
  id,
  slug: z.string(),
  name: z.string(),
  followed: z.boolean(),
  difficulty: difficulty.nullable(),
  lessonCount: z.number().int(),
});
export type CatalogTopic = z.infer<typeof catalogTopic>;

export const catalog = z.object({
  subjects: z.array(z.object({ id, slug: z.string(), name: z.string(), topics: z.array(catalogTopic) })),
});
export type Catalog = z.infer<typeof catalog>;

export const topicFollow = z.object({ topicId: id, followed: z.boolean(), difficulty: difficulty.nullable() });
export type TopicFollow = z.infer<typeof topicFollow>;

// ---- For You feed --------------------------------------------------------------------------------

export const feedItem = z.object({
  lessonId: id,
  status: z.enum(feedItemStatuses),
  createdAt: isoInstant,
  lesson: lessonRecord,
});
export type FeedItem = z.infer<typeof feedItem>;

export const feedTopic = z.object({
  topicId: id,
  topicName: z.string(),
  subjectName: z.string(),
  difficulty,
  pending: z.number().int(),
});
export type FeedTopic = z.infer<typeof feedTopic>;

export const feed = z.object({ items: z.array(feedItem), topics: z.array(feedTopic) });
export type Feed = z.infer<typeof feed>;

// ---- quota ---------------------------------------------------------------------------------------

export const quota = z.object({
  tier,
  lessonsPerDay: z.number().int(),
  usedToday: z.number().int(),
  reserved: z.number().int(),
  remaining: z.number().int(),
  resetsAt: isoInstant,
  monthlySpendUsd: z.number(),
  monthlySpendLimitUsd: z.number(),
});
export type Quota = z.infer<typeof quota>;

// ---- people --------------------------------------------------------------------------------------

/** A profile as get_profile, sync_profile and me return it. */
export const profile = z.object({
  id,
  email: z.string(),
  displayName: z.string().nullable(),
  tier,
  role,
  isAdmin: z.boolean(),
});
export type Profile = z.infer<typeof profile>;

// ---- usage ---------------------------------------------------------------------------------------

/** One model call attempt, as produced by lib/batch and stored in usage_events. */
export const usageEvent = z.object({
  /** Generated by the producer, so retried inserts are idempotent. */
  id,
  /** ISO timestamp of the attempt's start. */
  createdAt: isoInstant,
  /** The generation request (null for bench and sweeps without one). */
  requestId: id.nullable(),
  userId: id.nullable(),
  feature: usageFeature,
  mode: usageMode,
  provider: z.string(),
  model: z.string(),
  /** 1-based attempt number of this logical call (retries of a 429/5xx count up). */
  attempt: z.number().int(),
  lessonsAsked: z.number().int(),
  lessonsValid: z.number().int(),
  promptTokens: z.number().int(),
  cachedTokens: z.number().int(),
  completionTokens: z.number().int(),
  latencyMs: z.number().int(),
  ttftMs: z.number().int().nullable(),
  /** null when there was no response (connection error, timeout). */
  httpStatus: z.number().int().nullable(),
  finishReason: z.string().nullable(),
  /** null on success. */
  errorCode: z.string().nullable(),
  /** = inputUsd + cachedUsd + outputUsd. */
  costUsd: z.number(),
  /** Uncached prompt tokens at the input rate. */
  inputUsd: z.number(),
  /** Cached prompt tokens at the cached-input rate. */
  cachedUsd: z.number(),
  /** Completion tokens at the output rate. */
  outputUsd: z.number(),
  // Calls of a request that batched (batch calls and their repairs): what one call per lesson would
  // have billed for the lessons THIS attempt delivered (0 when it delivered none), docs/cost-model.md.
  // Null for calls that never batched (they are the counterfactual themselves).
  counterfactualPromptTokens: z.number().int().nullable(),
  counterfactualCostUsd: z.number().nullable(),
  priceVersion: z.string(),
  /** true when the circuit breaker routed this chunk to parallel calls. */
  circuitOpen: z.boolean(),
  /** How the call was billed; absent = an ordinary call ("fast"). */
  lane: usageLane.optional(),
});
export type UsageEvent = z.infer<typeof usageEvent>;

export const usageTotals = z.object({
  calls: z.number(),
  lessonsAsked: z.number(),
  lessonsValid: z.number(),
  promptTokens: z.number(),
  cachedTokens: z.number(),
  completionTokens: z.number(),
  costUsd: z.number(),
  /** costUsd split by what was billed: uncached input, cached input, output. */
  inputUsd: z.number(),
  cachedUsd: z.number(),
  outputUsd: z.number(),
  /** What one call per delivered lesson would have billed (costUsd + savedUsd), docs/cost-model.md. */
  counterfactualCostUsd: z.number(),
  savedUsd: z.number(),
  savedPromptTokens: z.number(),
  fallbackShare: z.number(),
  failedCalls: z.number(),
});
export type UsageTotals = z.infer<typeof usageTotals>;

export const usageGroup = usageTotals.extend({ key: z.string().nullable(), label: z.string().nullish() });
export type UsageGroup = z.infer<typeof usageGroup>;

export const latencyRow = z.object({
  mode: z.string(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  calls: z.number().optional(),
});

/** admin_usage: totals, groups, failures by code and latency over whole UTC days. */
export const adminUsage = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.literal("UTC"),
  groupBy: usageGroupBy,
  totals: usageTotals,
  groups: z.array(usageGroup),
  failuresByCode: z.record(z.string(), z.number()),
  latency: z.array(latencyRow),
});
export type AdminUsage = z.infer<typeof adminUsage>;

export const adminUsageEvent = usageEvent.extend({ userEmail: z.string().nullable() });
export type AdminUsageEvent = z.infer<typeof adminUsageEvent>;

export const adminTopUsers = z.object({
  users: z.array(z.object({ userId: id, email: z.string(), calls: z.number(), lessonsValid: z.number(), costUsd: z.number() })),
});
export type AdminTopUsers = z.infer<typeof adminTopUsers>;

// ---- upkeep ----------------------------------------------------------------------------------------

/** What the cron sweep's upkeep did (docs/security.md, retention). */
export const maintenanceReport = z.object({
  abandonedRequests: z.number().int(),
  /** usageEvents: write-ahead usage attempts of dead runs charged at their estimate (docs/security.md). */
  staleReservations: z.object({ settled: z.number().int(), charged: z.number().int(), usageEvents: z.number().int() }),
  rateLimitBuckets: z.number().int(),
  idempotencyKeys: z.number().int(),
  settledReservations: z.number().int(),
  allowanceDays: z.number().int(),
  sessions: z.number().int(),
});
export type MaintenanceReport = z.infer<typeof maintenanceReport>;
