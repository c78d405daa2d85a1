// What every JSON route answers (docs/api.md lists which schema belongs to which route). The browser
// parses answers with these (lib/ui/api-client.ts), and the route tests check every route against them.
// The generate-similar answers and stream events live in ./generation-stream.ts.
import { z } from "zod";
import {
  adminUsage,
  adminUsageEvent,
  catalog,
  feed,
  id,
  lessonRecord,
  playlistDetail,
  playlistList,
  playlistSummary,
  profile,
  quota,
  topicFollow,
  maintenanceReport,
} from "./entities";
import { feedItemStatuses } from "./enums";

/** The standard error body of every 4xx/5xx. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** GET /api/health */
export const healthResponse = z.object({
  ok: z.boolean(),
  // Detail only for admins and the cron secret; anonymous callers get `ok` alone (docs/security.md).
  db: z.object({ mode: z.enum(["pglite", "postgres", "supabase"]), status: z.enum(["ok", "error"]), migrationVersion: z.string().nullable() }).optional(),
  provider: z.object({ mode: z.string(), model: z.string(), simulated: z.boolean() }).optional(),
});
export type HealthResponse = z.infer<typeof healthResponse>;

/** The signed-in user as the API shows it (the profile's fields). */
export const user = profile;
export type User = z.infer<typeof user>;

/** POST /api/auth/local */
export const signInResponse = z.object({ user });
/** POST /api/auth/sign-out */
export const signOutResponse = z.object({ signedOut: z.literal(true) });

/** GET /api/me */
export const meResponse = z.object({ user, quota, provider: z.object({ simulated: z.boolean() }) });
export type MeResponse = z.infer<typeof meResponse>;

/** GET /api/topics */
export const topicsResponse = catalog;
/** PUT and DELETE /api/topics/{id}/follow */
export const followResponse = topicFollow;

/** GET /api/playlists */
export const playlistsResponse = playlistList;
/** POST /api/playlists (201), PATCH /api/playlists/{id}, and the three /lessons routes. */
export const playlistResponse = playlistSummary;
/** GET /api/playlists/{id} */
export const playlistDetailResponse = playlistDetail;
/** DELETE /api/playlists/{id} */
export const deletedResponse = z.object({ deleted: z.literal(true) });

/** GET /api/lessons/{id} */
export const lessonResponse = z.object({ lesson: lessonRecord });

/** GET /api/fyp */
export const feedResponse = feed;
/** POST /api/fyp/seen */
export const feedSeenResponse = z.object({ lessonId: id, status: z.enum(feedItemStatuses) });

/**
 * POST /api/fyp/generate-pending as a learner: what the top-up did. `queued` (HTTP 202): the library
 * fill is done and an urgent job generates the rest; poll `jobId` at GET /api/fyp/top-ups/{jobId}.
 * `done` (200): nothing was left to generate, or it ran in the request (no job engine).
 */
export const topUpResponse = z.object({
  status: z.enum(["done", "queued"]),
  jobId: z.string().nullable(),
  fromLibrary: z.number().int(),
  generated: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
});
export type TopUpResponse = z.infer<typeof topUpResponse>;

/** GET /api/fyp/top-ups/{id}: a learner's top-up job. `done`/`failed` are final. */
export const topUpStatusResponse = z.object({
  id: z.string(),
  state: z.enum(["queued", "running", "done", "failed"]),
  /** Once done: lessons put into the feed by the job (library and new). */
  delivered: z.number().int().nullable(),
});
export type TopUpStatusResponse = z.infer<typeof topUpStatusResponse>;

/** POST or GET /api/fyp/generate-pending with the cron secret: what the sweep did. */
export const sweepResponse = z.object({
  learnersToppedUp: z.number().int(),
  fromLibrary: z.number().int(),
  generated: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int(),
  groups: z.number().int(),
  calls: z.number().int(),
  promptTokens: z.number().int(),
  cachedTokens: z.number().int(),
  completionTokens: z.number().int(),
  costUsd: z.number(),
  /** The upkeep run before the sweep; null when it failed (the next sweep retries). */
  maintenance: maintenanceReport.nullable(),
});
export type SweepResponse = z.infer<typeof sweepResponse>;

/** POST/GET /api/fyp/generate-pending (cron) when the job engine runs: the sweep was planned and its groups enqueued. */
export const sweepQueuedResponse = z.object({
  queued: z.literal(true),
  learnersToppedUp: z.number().int(),
  fromLibrary: z.number().int(),
  groups: z.number().int(),
  enqueued: z.number().int(),
  alreadyQueued: z.number().int(),
  maintenance: maintenanceReport.nullable(),
});
export type SweepQueuedResponse = z.infer<typeof sweepQueuedResponse>;

/** POST /api/admin/jobs/{id}/retry — a dead job moved back onto the queue it failed on. */
export const jobRetryResponse = z.object({ retried: z.literal(true), id: z.string() });
export type JobRetryResponse = z.infer<typeof jobRetryResponse>;

/** GET /api/quota */
export const quotaResponse = quota;

/** GET /api/admin/usage (JSON) */
export const adminUsageResponse = adminUsage.extend({ dayBoundaries: z.string() });
export type AdminUsageResponse = z.infer<typeof adminUsageResponse>;

/** GET /api/admin/usage/events (JSON) */
export const adminUsageEventsResponse = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.literal("UTC"),
  dayBoundaries: z.string(),
  events: z.array(adminUsageEvent),
});
export type AdminUsageEventsResponse = z.infer<typeof adminUsageEventsResponse>;
