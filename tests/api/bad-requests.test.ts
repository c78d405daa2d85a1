// A table of bad requests across the API: each gets the right status and error code, writes no row and
// makes no model call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as similar from "@/app/api/playlists/[id]/generate-similar/route";
import * as playlists from "@/app/api/playlists/route";
import * as playlist from "@/app/api/playlists/[id]/route";
import * as playlistLessons from "@/app/api/playlists/[id]/lessons/route";
import * as playlistLesson from "@/app/api/playlists/[id]/lessons/[lessonId]/route";
import * as follow from "@/app/api/topics/[id]/follow/route";
import * as lesson from "@/app/api/lessons/[id]/route";
import * as seen from "@/app/api/fyp/seen/route";
import * as pending from "@/app/api/fyp/generate-pending/route";
import * as adminUsage from "@/app/api/admin/usage/route";
import * as adminEvents from "@/app/api/admin/usage/events/route";
import { call, errorCode, makeLesson, makePlaylist, makeTopics, makeUser, rowCounts, setupHarness, type Harness, type User } from "./harness";

let h: Harness;
let alice: User;
let bob: User;
let admin: User;
let alicePlaylist: string;
let aliceEmpty: string;
let bobPlaylist: string;
let lessonId: string;
let topicId: string;

const missing = "00000000-0000-4000-8000-000000000000";
const notJson = { "content-type": "application/json" };

beforeAll(async () => {
  h = await setupHarness();
  alice = await makeUser(h, "alice@example.com");
  bob = await makeUser(h, "bob@example.com");
  admin = await makeUser(h, "boss@example.com", { admin: true });
  const [topic] = await makeTopics(h, 1);
  topicId = topic.id;
  lessonId = await makeLesson(h, topicId, "Event horizons in plain words");
  const second = await makeLesson(h, topicId, "Hawking radiation basics");
  alicePlaylist = await makePlaylist(alice, "Mine", [lessonId, second]);
  aliceEmpty = await makePlaylist(alice, "Empty", []);
  bobPlaylist = await makePlaylist(bob, "Bob's", [lessonId]);
});

afterAll(async () => {
  await h?.cleanup();
});

type Who = "alice" | "admin" | "nobody";
interface Case {
  name: string;
  handler: () => unknown;
  method: string;
  path: () => string;
  params?: () => Record<string, string>;
  who?: Who;
  json?: unknown;
  /** For bodies that name fixtures created in beforeAll. */
  jsonOf?: () => unknown;
  body?: () => BodyInit;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const gen = (extra: Partial<Case> & Pick<Case, "name" | "status" | "code">): Case => ({
  handler: () => similar.POST,
  method: "POST",
  path: () => `/api/playlists/${alicePlaylist}/generate-similar`,
  params: () => ({ id: alicePlaylist }),
  who: "alice",
  ...extra,
});

const cases: Case[] = [
  gen({ name: "similar: no session", who: "nobody", json: { count: 2 }, status: 401, code: "unauthenticated" }),
  gen({ name: "similar: bad JSON", body: () => '{"count": 2', headers: notJson, status: 400, code: "invalid_request" }),
  gen({ name: "similar: count 0", json: { count: 0 }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: count 11", json: { count: 11 }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: count 2.5", json: { count: 2.5 }, status: 400, code: "invalid_request" }),
  gen({ name: 'similar: count "3"', json: { count: "3" }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: count -1", json: { count: -1 }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: count 1e9", body: () => '{"count": 1e9}', headers: notJson, status: 400, code: "invalid_request" }),
  gen({ name: "similar: count null", json: { count: null }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: count as object", json: { count: { n: 3 } }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: missing count", json: { difficulty: "easy" }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: unknown field", json: { count: 2, model: "gpt-5" }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: bad difficulty", json: { count: 2, difficulty: "expert" }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: instructions too long", json: { count: 2, instructions: "x".repeat(501) }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: array body", json: [2], status: 400, code: "invalid_request" }),
  gen({ name: "similar: null body", json: null, status: 400, code: "invalid_request" }),
  gen({ name: "similar: empty body", status: 400, code: "invalid_request" }),
  gen({ name: "similar: oversize body", json: { count: 2, instructions: "x".repeat(70_000) }, status: 413, code: "payload_too_large" }),
  gen({ name: "similar: text/plain", body: () => '{"count":2}', headers: { "content-type": "text/plain" }, status: 415, code: "unsupported_media_type" }),
  gen({ name: "similar: form body", body: () => "count=2", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415, code: "unsupported_media_type" }),
  gen({ name: "similar: bad UUID", path: () => "/api/playlists/abc/generate-similar", params: () => ({ id: "abc" }), json: { count: 2 }, status: 400, code: "invalid_request" }),
  gen({ name: "similar: someone else's playlist", path: () => `/api/playlists/${bobPlaylist}/generate-similar`, params: () => ({ id: bobPlaylist }), json: { count: 2 }, status: 404, code: "not_found" }),
  gen({ name: "similar: unknown playlist", params: () => ({ id: missing }), json: { count: 2 }, status: 404, code: "not_found" }),
  gen({ name: "similar: empty playlist", params: () => ({ id: aliceEmpty }), json: { count: 2 }, status: 400, code: "playlist_empty" }),
  gen({ name: "similar: bad Idempotency-Key", json: { count: 2 }, headers: { "idempotency-key": "has spaces in it" }, status: 400, code: "invalid_request" }),
  { name: "playlists: no session", handler: () => playlists.POST, method: "POST", path: () => "/api/playlists", who: "nobody", json: { title: "x" }, status: 401, code: "unauthenticated" },
  { name: "playlists: empty title", handler: () => playlists.POST, method: "POST", path: () => "/api/playlists", json: { title: "  " }, status: 400, code: "invalid_request" },
  { name: "playlists: title too long", handler: () => playlists.POST, method: "POST", path: () => "/api/playlists", json: { title: "t".repeat(81) }, status: 400, code: "invalid_request" },
  { name: "playlists: title wrong type", handler: () => playlists.POST, method: "POST", path: () => "/api/playlists", json: { title: 42 }, status: 400, code: "invalid_request" },
  { name: "playlists: unknown field", handler: () => playlists.POST, method: "POST", path: () => "/api/playlists", json: { title: "ok", userId: missing }, status: 400, code: "invalid_request" },
  { name: "playlist: bad UUID", handler: () => playlist.GET, method: "GET", path: () => "/api/playlists/1", params: () => ({ id: "1" }), status: 400, code: "invalid_request" },
  { name: "playlist: someone else's (GET)", handler: () => playlist.GET, method: "GET", path: () => `/api/playlists/${bobPlaylist}`, params: () => ({ id: bobPlaylist }), status: 404, code: "not_found" },
  { name: "playlist: someone else's (PATCH)", handler: () => playlist.PATCH, method: "PATCH", path: () => `/api/playlists/${bobPlaylist}`, params: () => ({ id: bobPlaylist }), json: { title: "mine now" }, status: 404, code: "not_found" },
  { name: "playlist: someone else's (DELETE)", handler: () => playlist.DELETE, method: "DELETE", path: () => `/api/playlists/${bobPlaylist}`, params: () => ({ id: bobPlaylist }), status: 404, code: "not_found" },
  { name: "playlist: PATCH nothing", handler: () => playlist.PATCH, method: "PATCH", path: () => `/api/playlists/${alicePlaylist}`, params: () => ({ id: alicePlaylist }), json: {}, status: 400, code: "invalid_request" },
  { name: "playlist lessons: bad lessonId", handler: () => playlistLessons.POST, method: "POST", path: () => `/api/playlists/${alicePlaylist}/lessons`, params: () => ({ id: alicePlaylist }), json: { lessonId: "nope" }, status: 400, code: "invalid_request" },
  { name: "playlist lessons: add to someone else's", handler: () => playlistLessons.POST, method: "POST", path: () => `/api/playlists/${bobPlaylist}/lessons`, params: () => ({ id: bobPlaylist }), jsonOf: () => ({ lessonId }), status: 404, code: "not_found" },
  { name: "playlist lessons: reorder wrong type", handler: () => playlistLessons.PUT, method: "PUT", path: () => `/api/playlists/${alicePlaylist}/lessons`, params: () => ({ id: alicePlaylist }), jsonOf: () => ({ lessonIds: lessonId }), status: 400, code: "invalid_request" },
  { name: "playlist lessons: reorder not a permutation", handler: () => playlistLessons.PUT, method: "PUT", path: () => `/api/playlists/${alicePlaylist}/lessons`, params: () => ({ id: alicePlaylist }), jsonOf: () => ({ lessonIds: [lessonId] }), status: 400, code: "invalid_request" },
  { name: "playlist lesson: bad lesson UUID", handler: () => playlistLesson.DELETE, method: "DELETE", path: () => `/api/playlists/${alicePlaylist}/lessons/zzz`, params: () => ({ id: alicePlaylist, lessonId: "zzz" }), status: 400, code: "invalid_request" },
  { name: "follow: bad difficulty", handler: () => follow.PUT, method: "PUT", path: () => `/api/topics/${topicId}/follow`, params: () => ({ id: topicId }), json: { difficulty: 3 }, status: 400, code: "invalid_request" },
  { name: "follow: unknown topic", handler: () => follow.PUT, method: "PUT", path: () => `/api/topics/${missing}/follow`, params: () => ({ id: missing }), json: {}, status: 404, code: "not_found" },
  { name: "lesson: bad UUID", handler: () => lesson.GET, method: "GET", path: () => "/api/lessons/x", params: () => ({ id: "x" }), status: 400, code: "invalid_request" },
  { name: "lesson: unknown", handler: () => lesson.GET, method: "GET", path: () => `/api/lessons/${missing}`, params: () => ({ id: missing }), status: 404, code: "not_found" },
  { name: "fyp seen: not in feed", handler: () => seen.POST, method: "POST", path: () => "/api/fyp/seen", jsonOf: () => ({ lessonId }), status: 404, code: "not_found" },
  { name: "fyp seen: missing field", handler: () => seen.POST, method: "POST", path: () => "/api/fyp/seen", json: {}, status: 400, code: "invalid_request" },
  { name: "generate-pending: wrong cron secret", handler: () => pending.POST, method: "POST", path: () => "/api/fyp/generate-pending", who: "nobody", headers: { authorization: "Bearer not-the-secret-at-all" }, status: 401, code: "unauthenticated" },
  { name: "generate-pending: empty bearer", handler: () => pending.POST, method: "POST", path: () => "/api/fyp/generate-pending", who: "alice", headers: { authorization: "Bearer " }, status: 401, code: "unauthenticated" },
  { name: "generate-pending: GET without secret", handler: () => pending.GET, method: "GET", path: () => "/api/fyp/generate-pending", who: "alice", status: 401, code: "unauthenticated" },
  { name: "generate-pending: no session", handler: () => pending.POST, method: "POST", path: () => "/api/fyp/generate-pending", who: "nobody", status: 401, code: "unauthenticated" },
  { name: "generate-pending: unknown field", handler: () => pending.POST, method: "POST", path: () => "/api/fyp/generate-pending", jsonOf: () => ({ topicId }), status: 400, code: "invalid_request" },
  { name: "generate-pending: text/plain", handler: () => pending.POST, method: "POST", path: () => "/api/fyp/generate-pending", body: () => "go", headers: { "content-type": "text/plain" }, status: 415, code: "unsupported_media_type" },
  { name: "admin usage: no session", handler: () => adminUsage.GET, method: "GET", path: () => "/api/admin/usage", who: "nobody", status: 401, code: "unauthenticated" },
  { name: "admin usage: learner", handler: () => adminUsage.GET, method: "GET", path: () => "/api/admin/usage", who: "alice", status: 403, code: "forbidden" },
  { name: "admin events: learner", handler: () => adminEvents.GET, method: "GET", path: () => "/api/admin/usage/events", who: "alice", status: 403, code: "forbidden" },
  { name: "admin usage: bad date", handler: () => adminUsage.GET, method: "GET", path: () => "/api/admin/usage?from=2026-02-30", who: "admin", status: 400, code: "invalid_request" },
  { name: "admin usage: from after to", handler: () => adminUsage.GET, method: "GET", path: () => "/api/admin/usage?from=2026-03-02&to=2026-03-01", who: "admin", status: 400, code: "invalid_request" },
  { name: "admin usage: bad groupBy", handler: () => adminUsage.GET, method: "GET", path: () => "/api/admin/usage?groupBy=week", who: "admin", status: 400, code: "invalid_request" },
  { name: "admin usage: unknown parameter", handler: () => adminUsage.GET, method: "GET", path: () => "/api/admin/usage?debug=1", who: "admin", status: 400, code: "invalid_request" },
  { name: "admin usage: range over a year", handler: () => adminUsage.GET, method: "GET", path: () => "/api/admin/usage?from=2024-01-01&to=2026-01-01", who: "admin", status: 400, code: "invalid_request" },
  { name: "admin events: limit 0", handler: () => adminEvents.GET, method: "GET", path: () => "/api/admin/usage/events?limit=0", who: "admin", status: 400, code: "invalid_request" },
  { name: "admin events: limit not a number", handler: () => adminEvents.GET, method: "GET", path: () => "/api/admin/usage/events?limit=ten", who: "admin", status: 400, code: "invalid_request" },
];

describe("bad requests", () => {
  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = await rowCounts(h);
    const callsBefore = h.simCalls();
    const cookie = c.who === "nobody" ? undefined : c.who === "admin" ? admin.cookie : alice.cookie;
    const res = await call(c.handler(), c.method, c.path(), {
      cookie,
      json: c.jsonOf ? c.jsonOf() : c.json,
      body: c.body?.(),
      headers: c.headers,
      params: c.params?.() ?? {},
    });
    const body = await res.clone().text();
    expect({ status: res.status, code: await errorCode(res) }, body).toEqual({ status: c.status, code: c.code });
    const parsed = JSON.parse(body) as { error: { message: string } };
    expect(typeof parsed.error.message).toBe("string");
    expect(await rowCounts(h)).toEqual(before);
    expect(h.simCalls()).toBe(callsBefore);
  });
});
