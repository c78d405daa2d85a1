// Every JSON route answers exactly what its response schema in lib/contracts says: each answer parses,
// and parsing drops nothing (a field the route sends but the contract does not list fails here too).
// The generate-similar answers are checked against their own schema by the generation tests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import * as adminEvents from "@/app/api/admin/usage/events/route";
import * as adminUsage from "@/app/api/admin/usage/route";
import * as adminReports from "@/app/api/admin/reports/route";
import * as adminReview from "@/app/api/admin/reports/[lessonId]/route";
import * as report from "@/app/api/lessons/[id]/report/route";
import * as authLocal from "@/app/api/auth/local/route";
import * as signOut from "@/app/api/auth/sign-out/route";
import * as fyp from "@/app/api/fyp/route";
import * as pending from "@/app/api/fyp/generate-pending/route";
import * as seen from "@/app/api/fyp/seen/route";
import * as health from "@/app/api/health/route";
import * as lesson from "@/app/api/lessons/[id]/route";
import * as me from "@/app/api/me/route";
import * as playlistLesson from "@/app/api/playlists/[id]/lessons/[lessonId]/route";
import * as playlistLessons from "@/app/api/playlists/[id]/lessons/route";
import * as playlist from "@/app/api/playlists/[id]/route";
import * as playlists from "@/app/api/playlists/route";
import * as quota from "@/app/api/quota/route";
import * as topics from "@/app/api/topics/route";
import * as follow from "@/app/api/topics/[id]/follow/route";
import * as contracts from "@/lib/contracts";
import { call, CRON_SECRET, makeLesson, makePlaylist, makeTopics, makeUser, setupHarness, type CallOptions, type Harness, type User } from "./harness";

let h: Harness;
let learner: User;
let admin: User;
let topicId = "";
let lessonIds: string[] = [];
let playlistId = "";

beforeAll(async () => {
  h = await setupHarness();
  learner = await makeUser(h, "contracts@example.com");
  admin = await makeUser(h, "contracts-admin@example.com", { admin: true });
  const [topic] = await makeTopics(h, 1, "Science", ["Cells"]);
  topicId = topic.id;
  lessonIds = [await makeLesson(h, topicId, "Cells Have Walls"), await makeLesson(h, topicId, "Cells Have Nuclei"), await makeLesson(h, topicId, "Cells Divide Often")];
  playlistId = await makePlaylist(learner, "Biology", lessonIds.slice(0, 2));
}, 120_000);

afterAll(async () => {
  await h?.cleanup();
});

interface Case {
  name: string;
  handler: () => unknown;
  method: string;
  path: () => string;
  opts?: () => CallOptions;
  status?: number;
  schema: z.ZodType;
}

// Options are built when the case runs, after beforeAll made the fixtures.
const asLearner = (extra: () => Omit<CallOptions, "cookie"> = () => ({})) => () => ({ cookie: learner.cookie, ...extra() });
const withId = (extra: () => Omit<CallOptions, "cookie" | "params"> = () => ({})) => () => ({ cookie: learner.cookie, params: { id: playlistId }, ...extra() });

// In order: later cases see what earlier ones did (the feed is filled before a lesson is marked seen).
const cases: Case[] = [
  { name: "GET /api/health", handler: () => health.GET, method: "GET", path: () => "/api/health", schema: contracts.healthResponse },
  { name: "POST /api/auth/local", handler: () => authLocal.POST, method: "POST", path: () => "/api/auth/local", opts: () => ({ json: { email: "contracts@example.com" } }), schema: contracts.signInResponse },
  { name: "GET /api/me", handler: () => me.GET, method: "GET", path: () => "/api/me", opts: asLearner(), schema: contracts.meResponse },
  { name: "GET /api/topics", handler: () => topics.GET, method: "GET", path: () => "/api/topics", opts: asLearner(), schema: contracts.topicsResponse },
  { name: "PUT /api/topics/{id}/follow", handler: () => follow.PUT, method: "PUT", path: () => `/api/topics/${topicId}/follow`, opts: () => ({ cookie: learner.cookie, params: { id: topicId }, json: { difficulty: "easy" } }), schema: contracts.followResponse },
  { name: "GET /api/playlists", handler: () => playlists.GET, method: "GET", path: () => "/api/playlists", opts: asLearner(), schema: contracts.playlistsResponse },
  { name: "POST /api/playlists", handler: () => playlists.POST, method: "POST", path: () => "/api/playlists", opts: asLearner(() => ({ json: { title: "Another", description: "for later" } })), status: 201, schema: contracts.playlistResponse },
  { name: "GET /api/playlists/{id}", handler: () => playlist.GET, method: "GET", path: () => `/api/playlists/${playlistId}`, opts: withId(), schema: contracts.playlistDetailResponse },
  { name: "PATCH /api/playlists/{id}", handler: () => playlist.PATCH, method: "PATCH", path: () => `/api/playlists/${playlistId}`, opts: withId(() => ({ json: { title: "Cell biology" } })), schema: contracts.playlistResponse },
  { name: "POST /api/playlists/{id}/lessons", handler: () => playlistLessons.POST, method: "POST", path: () => `/api/playlists/${playlistId}/lessons`, opts: withId(() => ({ json: { lessonId: lessonIds[2] } })), schema: contracts.playlistResponse },
  { name: "PUT /api/playlists/{id}/lessons", handler: () => playlistLessons.PUT, method: "PUT", path: () => `/api/playlists/${playlistId}/lessons`, opts: withId(() => ({ json: { lessonIds: [...lessonIds].reverse() } })), schema: contracts.playlistResponse },
  { name: "DELETE /api/playlists/{id}/lessons/{lessonId}", handler: () => playlistLesson.DELETE, method: "DELETE", path: () => `/api/playlists/${playlistId}/lessons/${lessonIds[0]}`, opts: () => ({ cookie: learner.cookie, params: { id: playlistId, lessonId: lessonIds[0] } }), schema: contracts.playlistResponse },
  { name: "GET /api/lessons/{id}", handler: () => lesson.GET, method: "GET", path: () => `/api/lessons/${lessonIds[1]}`, opts: () => ({ cookie: learner.cookie, params: { id: lessonIds[1] } }), schema: contracts.lessonResponse },
  { name: "POST /api/fyp/generate-pending (learner)", handler: () => pending.POST, method: "POST", path: () => "/api/fyp/generate-pending", opts: asLearner(), schema: contracts.topUpResponse },
  { name: "GET /api/fyp", handler: () => fyp.GET, method: "GET", path: () => "/api/fyp", opts: asLearner(), schema: contracts.feedResponse },
  { name: "POST /api/fyp/seen", handler: () => seen.POST, method: "POST", path: () => "/api/fyp/seen", opts: asLearner(() => ({ json: { lessonId: "" } })), schema: contracts.feedSeenResponse },
  { name: "POST /api/fyp/generate-pending (cron)", handler: () => pending.POST, method: "POST", path: () => "/api/fyp/generate-pending", opts: () => ({ headers: { authorization: `Bearer ${CRON_SECRET}` } }), schema: contracts.sweepResponse },
  { name: "GET /api/quota", handler: () => quota.GET, method: "GET", path: () => "/api/quota", opts: asLearner(), schema: contracts.quotaResponse },
  { name: "GET /api/admin/usage", handler: () => adminUsage.GET, method: "GET", path: () => "/api/admin/usage?groupBy=feature", opts: () => ({ cookie: admin.cookie }), schema: contracts.adminUsageResponse },
  { name: "GET /api/admin/usage/events", handler: () => adminEvents.GET, method: "GET", path: () => "/api/admin/usage/events", opts: () => ({ cookie: admin.cookie }), schema: contracts.adminUsageEventsResponse },
  { name: "POST /api/lessons/{id}/report", handler: () => report.POST, method: "POST", path: () => `/api/lessons/${lessonIds[2]}/report`, opts: () => ({ cookie: learner.cookie, params: { id: lessonIds[2] }, json: { reason: "unclear", note: "Which wall?" } }), status: 201, schema: contracts.reportLessonResponse },
  { name: "GET /api/admin/reports", handler: () => adminReports.GET, method: "GET", path: () => "/api/admin/reports", opts: () => ({ cookie: admin.cookie }), schema: contracts.adminReportsResponse },
  { name: "POST /api/admin/reports/{lessonId}", handler: () => adminReview.POST, method: "POST", path: () => `/api/admin/reports/${lessonIds[2]}`, opts: () => ({ cookie: admin.cookie, params: { lessonId: lessonIds[2] }, json: { action: "dismiss" } }), schema: contracts.reviewLessonResponse },
  { name: "PUT /api/playlists/{id}/lessons with a bad id (error body)", handler: () => playlistLessons.PUT, method: "PUT", path: () => `/api/playlists/${playlistId}/lessons`, opts: withId(() => ({ json: { lessonIds: ["nope"] } })), status: 400, schema: contracts.errorBody },
  { name: "DELETE /api/topics/{id}/follow", handler: () => follow.DELETE, method: "DELETE", path: () => `/api/topics/${topicId}/follow`, opts: () => ({ cookie: learner.cookie, params: { id: topicId } }), schema: contracts.followResponse },
  { name: "DELETE /api/playlists/{id}", handler: () => playlist.DELETE, method: "DELETE", path: () => `/api/playlists/${playlistId}`, opts: withId(), schema: contracts.deletedResponse },
  { name: "POST /api/auth/sign-out", handler: () => signOut.POST, method: "POST", path: () => "/api/auth/sign-out", opts: asLearner(), schema: contracts.signOutResponse },
];

describe("every JSON route answers its response schema", () => {
  let feedLessonId = "";
  it.each(cases)("$name", async (c) => {
    let opts = c.opts?.() ?? {};
    if (c.schema === contracts.feedSeenResponse) opts = { ...opts, json: { lessonId: feedLessonId } };
    const res = await call(c.handler(), c.method, c.path(), opts);
    const body: unknown = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(c.status ?? 200);
    const parsed = c.schema.safeParse(body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(body); // nothing the route sent was dropped by the schema
    if (c.schema === contracts.feedResponse) {
      const feed = contracts.feedResponse.parse(body);
      expect(feed.items.length).toBeGreaterThan(0);
      feedLessonId = feed.items[0].lessonId;
    }
  });
});
