// Reporting a lesson and the admin review, through the routes: 201 once, 409 again (nothing changes);
// the lesson leaves the reporter's feed at once; the review queue is admin-only; removal takes the lesson
// out of other learners' feeds and lesson reads while playlists keep a placeholder; bad input gets the
// standard error body and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as report from "@/app/api/lessons/[id]/report/route";
import * as lesson from "@/app/api/lessons/[id]/route";
import * as queue from "@/app/api/admin/reports/route";
import * as review from "@/app/api/admin/reports/[lessonId]/route";
import * as fyp from "@/app/api/fyp/route";
import * as seen from "@/app/api/fyp/seen/route";
import * as playlist from "@/app/api/playlists/[id]/route";
import { adminReportsResponse, errorBody, feedResponse, playlistDetailResponse, reportLessonResponse, reviewLessonResponse } from "@/lib/contracts";
import { call, errorCode, makeLesson, makePlaylist, makeTopics, makeUser, rowCounts, setupHarness, type Harness, type User } from "./harness";

let h: Harness;
let alice: User;
let bob: User;
let carol: User;
let admin: User;
let topicId: string;
let lessons: string[];
const missing = "00000000-0000-4000-8000-000000000000";

async function reportCount(): Promise<number> {
  return Number((await h.db.sql.query("select count(*)::int as n from public.lesson_reports"))[0].n);
}

async function feedOf(u: User): Promise<string[]> {
  const res = await call(fyp.GET, "GET", "/api/fyp", { cookie: u.cookie });
  return feedResponse.parse(await res.json()).items.map((i) => i.lessonId);
}

beforeAll(async () => {
  h = await setupHarness();
  alice = await makeUser(h, "alice@example.com");
  bob = await makeUser(h, "bob@example.com");
  carol = await makeUser(h, "carol@example.com");
  admin = await makeUser(h, "boss@example.com", { admin: true });
  const [topic] = await makeTopics(h, 1);
  topicId = topic.id;
  lessons = [];
  for (const title of ["Event horizons", "Hawking radiation", "Spaghettification"]) lessons.push(await makeLesson(h, topicId, title));
  for (const u of [alice, bob, carol]) {
    await u.db.rpc("set_topic_follow", { p_topic_id: topicId, p_follow: true });
    await h.service.rpc("fyp_fill_from_library", { p_user_id: u.userId, p_cap: 3 });
  }
});

afterAll(async () => {
  await h?.cleanup();
});

type Who = "alice" | "admin" | "nobody";
interface Case {
  name: string;
  handler: () => unknown;
  path: () => string;
  params: () => Record<string, string>;
  method?: string;
  who?: Who;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const reportCase = (name: string, json: unknown, status: number, code: string, over: Partial<Case> = {}): Case => ({
  name,
  handler: () => report.POST,
  path: () => `/api/lessons/${lessons[0]}/report`,
  params: () => ({ id: lessons[0] }),
  json,
  status,
  code,
  ...over,
});
const reviewCase = (name: string, json: unknown, status: number, code: string, over: Partial<Case> = {}): Case => ({
  name,
  handler: () => review.POST,
  path: () => `/api/admin/reports/${lessons[0]}`,
  params: () => ({ lessonId: lessons[0] }),
  who: "admin",
  json,
  status,
  code,
  ...over,
});

const badRequests: Case[] = [
  reportCase("report without a session", { reason: "unclear" }, 401, "unauthenticated", { who: "nobody" }),
  reportCase("report: malformed lesson id", { reason: "unclear" }, 400, "invalid_request", { params: () => ({ id: "not-a-uuid" }) }),
  reportCase("report: unknown lesson", { reason: "unclear" }, 404, "not_found", { params: () => ({ id: missing }) }),
  reportCase("report: no reason", {}, 400, "invalid_request"),
  reportCase("report: unknown reason", { reason: "boring" }, 400, "invalid_request"),
  reportCase("report: reason of the wrong type", { reason: 3 }, 400, "invalid_request"),
  reportCase("report: note over 500 characters", { reason: "other", note: "x".repeat(501) }, 400, "invalid_request"),
  reportCase("report: note not a string", { reason: "other", note: ["x"] }, 400, "invalid_request"),
  reportCase("report: unknown field", { reason: "other", severity: "high" }, 400, "invalid_request"),
  reportCase("report: empty body", undefined, 400, "invalid_request"),
  reportCase("report: malformed JSON", undefined, 400, "invalid_request", { body: "{reason:", headers: { "content-type": "application/json" } }),
  reportCase("report: not JSON", undefined, 415, "unsupported_media_type", { body: "reason=other", headers: { "content-type": "application/x-www-form-urlencoded" } }),
  {
    name: "queue without a session",
    handler: () => queue.GET,
    method: "GET",
    path: () => "/api/admin/reports",
    params: () => ({}),
    who: "nobody",
    status: 401,
    code: "unauthenticated",
  },
  { name: "queue as a learner", handler: () => queue.GET, method: "GET", path: () => "/api/admin/reports", params: () => ({}), status: 403, code: "forbidden" },
  { name: "queue: unknown parameter", handler: () => queue.GET, method: "GET", path: () => "/api/admin/reports?status=all", params: () => ({}), who: "admin", status: 400, code: "invalid_request" },
  { name: "queue: limit 0", handler: () => queue.GET, method: "GET", path: () => "/api/admin/reports?limit=0", params: () => ({}), who: "admin", status: 400, code: "invalid_request" },
  reviewCase("review without a session", { action: "remove" }, 401, "unauthenticated", { who: "nobody" }),
  reviewCase("review as a learner", { action: "remove" }, 403, "forbidden", { who: "alice" }),
  reviewCase("review: unknown action", { action: "delete" }, 400, "invalid_request"),
  reviewCase("review: no action", {}, 400, "invalid_request"),
  reviewCase("review: unknown field", { action: "remove", why: "spam" }, 400, "invalid_request"),
  reviewCase("review: malformed lesson id", { action: "remove" }, 400, "invalid_request", { params: () => ({ lessonId: "42" }) }),
  reviewCase("review: unknown lesson", { action: "remove" }, 404, "not_found", { params: () => ({ lessonId: missing }) }),
];

describe("bad requests", () => {
  it.each(badRequests)("$name → $status $code, nothing written", async (c) => {
    const before = { ...(await rowCounts(h)), reports: await reportCount() };
    const cookie = { alice: alice.cookie, admin: admin.cookie, nobody: undefined }[c.who ?? "alice"];
    const res = await call(c.handler(), c.method ?? "POST", c.path(), { cookie, json: c.json, body: c.body, headers: c.headers, params: c.params() });
    expect(res.status).toBe(c.status);
    expect(errorBody.parse(await res.clone().json())).toBeTruthy();
    expect(await errorCode(res)).toBe(c.code);
    expect({ ...(await rowCounts(h)), reports: await reportCount() }).toEqual(before);
  });
});

describe("reporting and review", () => {
  let alicePlaylist: string;

  it("a report answers 201 and takes the lesson out of the reporter's feed at once", async () => {
    alicePlaylist = await makePlaylist(alice, "Black holes", [lessons[1], lessons[0], lessons[2]]);
    expect((await feedOf(alice)).sort()).toEqual([...lessons].sort());
    const res = await call(report.POST, "POST", `/api/lessons/${lessons[0]}/report`, {
      cookie: alice.cookie,
      json: { reason: "wrong_answer", note: "Question 2 has two right answers." },
      params: { id: lessons[0] },
    });
    expect(res.status).toBe(201);
    const body = reportLessonResponse.parse(await res.json());
    expect(body.report).toMatchObject({ lessonId: lessons[0], reason: "wrong_answer", note: "Question 2 has two right answers." });
    expect(await feedOf(alice)).not.toContain(lessons[0]);
    expect(await feedOf(bob)).toContain(lessons[0]);
    // A feed page opened before the report may still mark it seen: no error.
    const stale = await call(seen.POST, "POST", "/api/fyp/seen", { cookie: alice.cookie, json: { lessonId: lessons[0] } });
    expect(stale.status).toBe(200);
  });

  it("a second report of the same lesson answers 409 and changes nothing", async () => {
    const before = { ...(await rowCounts(h)), reports: await reportCount() };
    const res = await call(report.POST, "POST", `/api/lessons/${lessons[0]}/report`, { cookie: alice.cookie, json: { reason: "unclear" }, params: { id: lessons[0] } });
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("conflict");
    expect({ ...(await rowCounts(h)), reports: await reportCount() }).toEqual(before);
    const [row] = await h.db.sql.query("select reason from public.lesson_reports where reporter_id = $1", [alice.userId]);
    expect(row.reason).toBe("wrong_answer");
  });

  it("a learner cannot see another learner's report", async () => {
    expect(await h.db.runAs({ role: "authenticated", userId: bob.userId, email: bob.email }, "select id from public.lesson_reports")).toEqual([]);
    expect(await h.db.runAs({ role: "authenticated", userId: alice.userId, email: alice.email }, "select lesson_id from public.lesson_reports")).toEqual([
      { lesson_id: lessons[0] },
    ]);
  });

  it("the admin's queue lists the lesson with its reports", async () => {
    await call(report.POST, "POST", `/api/lessons/${lessons[0]}/report`, { cookie: bob.cookie, json: { reason: "inappropriate" }, params: { id: lessons[0] } });
    await call(report.POST, "POST", `/api/lessons/${lessons[1]}/report`, { cookie: bob.cookie, json: { reason: "duplicate" }, params: { id: lessons[1] } });
    const res = await call(queue.GET, "GET", "/api/admin/reports", { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const body = adminReportsResponse.parse(await res.json());
    expect(body.lessons.map((l) => [l.lesson.title, l.openReports])).toEqual([
      ["Event horizons", 2],
      ["Hawking radiation", 1],
    ]);
    expect(body.lessons[0].reports.map((r) => [r.reporterEmail, r.reason])).toEqual([
      ["alice@example.com", "wrong_answer"],
      ["bob@example.com", "inappropriate"],
    ]);
  });

  it("removal: gone from another learner's feed and from lesson reads; the playlist keeps a placeholder", async () => {
    expect(await feedOf(carol)).toContain(lessons[0]);
    const res = await call(review.POST, "POST", `/api/admin/reports/${lessons[0]}`, { cookie: admin.cookie, json: { action: "remove" }, params: { lessonId: lessons[0] } });
    expect(res.status).toBe(200);
    expect(reviewLessonResponse.parse(await res.json())).toMatchObject({ lessonId: lessons[0], action: "remove", reportsClosed: 2 });
    expect(await feedOf(carol)).not.toContain(lessons[0]);
    const read = await call(lesson.GET, "GET", `/api/lessons/${lessons[0]}`, { cookie: carol.cookie, params: { id: lessons[0] } });
    expect(read.status).toBe(404);
    const p = playlistDetailResponse.parse(await (await call(playlist.GET, "GET", `/api/playlists/${alicePlaylist}`, { cookie: alice.cookie, params: { id: alicePlaylist } })).json());
    expect(p.lessons.map((l) => [l.id, l.position])).toEqual([
      [lessons[1], 0],
      [lessons[2], 2],
    ]);
    expect(p.removed).toEqual([{ lessonId: lessons[0], position: 1 }]);
    // A removed lesson cannot be reported any more.
    const again = await call(report.POST, "POST", `/api/lessons/${lessons[0]}/report`, { cookie: carol.cookie, json: { reason: "other" }, params: { id: lessons[0] } });
    expect(again.status).toBe(404);
  });

  it("dismissal closes the reports and leaves the lesson where it was", async () => {
    const res = await call(review.POST, "POST", `/api/admin/reports/${lessons[1]}`, { cookie: admin.cookie, json: { action: "dismiss" }, params: { lessonId: lessons[1] } });
    expect(reviewLessonResponse.parse(await res.json())).toEqual({ lessonId: lessons[1], action: "dismiss", reportsClosed: 1, removedAt: null });
    expect(adminReportsResponse.parse(await (await call(queue.GET, "GET", "/api/admin/reports", { cookie: admin.cookie })).json()).lessons).toEqual([]);
    expect(await feedOf(carol)).toContain(lessons[1]);
  });
});
