// Regenerating one playlist lesson through the route: charged one lesson of quota, replaced in place
// (same position, the old lesson stays in the library), streamed with generate-similar's contract;
// bad input, someone else's playlist (404) and an empty quota (429) change nothing and call no model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/playlists/[id]/lessons/[lessonId]/regenerate/route";
import { generationEventSchema, similarResponseSchema } from "@/lib/contracts/generation-stream";
import { errorBody, playlistDetail } from "@/lib/contracts";
import { call, errorCode, makeLesson, makePlaylist, makeTopics, makeUser, quotaOf, readNdjson, rowCounts, setupHarness, type Harness, type User } from "./harness";

let h: Harness;
let alice: User;
let bob: User;
let topicId: string;
let seed: string[];
let playlistId: string;
let bobPlaylist: string;
const missing = "00000000-0000-4000-8000-000000000000";

function regenerate(user: User | null, playlist: string, lessonId: string, opts: { json?: unknown; body?: string; headers?: Record<string, string> } = {}) {
  return call(POST, "POST", `/api/playlists/${playlist}/lessons/${lessonId}/regenerate`, {
    cookie: user?.cookie,
    json: opts.json,
    body: opts.body,
    headers: opts.headers,
    params: { id: playlist, lessonId },
  });
}

async function lessonsOf(user: User, playlist: string) {
  return playlistDetail.parse(await user.db.rpc("get_playlist", { p_playlist_id: playlist })).lessons.map((l) => ({ id: l.id, title: l.title, position: l.position }));
}

beforeAll(async () => {
  h = await setupHarness();
  alice = await makeUser(h, "alice@example.com");
  bob = await makeUser(h, "bob@example.com");
  const [topic] = await makeTopics(h, 1, "Geology", ["Volcanoes"]);
  topicId = topic.id;
  seed = [];
  for (const title of ["How volcanoes form", "Lava and magma", "Famous eruptions", "Supervolcanoes"]) seed.push(await makeLesson(h, topicId, title));
  playlistId = await makePlaylist(alice, "Volcanoes", seed.slice(0, 3));
  bobPlaylist = await makePlaylist(bob, "Bob's volcanoes", [seed[1]]);
});

afterAll(async () => {
  await h?.cleanup();
});

describe("bad requests change nothing and call no model", () => {
  const cases: { name: string; who?: "alice" | "nobody"; playlist: () => string; lesson: () => string; json?: unknown; body?: string; headers?: Record<string, string>; status: number; code: string }[] = [
    { name: "no session", who: "nobody", playlist: () => playlistId, lesson: () => seed[1], json: {}, status: 401, code: "unauthenticated" },
    { name: "someone else's playlist", playlist: () => bobPlaylist, lesson: () => seed[1], json: {}, status: 404, code: "not_found" },
    { name: "unknown playlist", playlist: () => missing, lesson: () => seed[1], json: {}, status: 404, code: "not_found" },
    { name: "a lesson not in the playlist", playlist: () => playlistId, lesson: () => seed[3], json: {}, status: 404, code: "not_found" },
    { name: "malformed playlist id", playlist: () => "nope", lesson: () => seed[1], json: {}, status: 400, code: "invalid_request" },
    { name: "malformed lesson id", playlist: () => playlistId, lesson: () => "123", json: {}, status: 400, code: "invalid_request" },
    { name: "instructions too long", playlist: () => playlistId, lesson: () => seed[1], json: { instructions: "x".repeat(501) }, status: 400, code: "invalid_request" },
    { name: "instructions not a string", playlist: () => playlistId, lesson: () => seed[1], json: { instructions: 5 }, status: 400, code: "invalid_request" },
    { name: "unknown field", playlist: () => playlistId, lesson: () => seed[1], json: { count: 2 }, status: 400, code: "invalid_request" },
    { name: "malformed JSON", playlist: () => playlistId, lesson: () => seed[1], body: "{", headers: { "content-type": "application/json" }, status: 400, code: "invalid_request" },
    { name: "malformed Idempotency-Key", playlist: () => playlistId, lesson: () => seed[1], json: {}, headers: { "idempotency-key": "bad\u0007key" }, status: 400, code: "invalid_request" },
  ];
  it.each(cases)("$name → $status $code", async (c) => {
    const before = await rowCounts(h);
    const calls = h.simCalls();
    const res = await regenerate(c.who === "nobody" ? null : alice, c.playlist(), c.lesson(), { json: c.json, body: c.body, headers: c.headers });
    expect(res.status).toBe(c.status);
    expect(errorBody.parse(await res.clone().json())).toBeTruthy();
    expect(await errorCode(res)).toBe(c.code);
    expect(await rowCounts(h)).toEqual(before);
    expect(h.simCalls()).toBe(calls);
  });
});

describe("regenerate one lesson", () => {
  it("replaces the lesson in place, charges one lesson, keeps the old one in the library (JSON answer)", async () => {
    const before = await quotaOf(alice);
    const calls = h.simCalls();
    const res = await regenerate(alice, playlistId, seed[1], { json: {} });
    expect(res.status).toBe(200);
    const body = similarResponseSchema.parse(await res.json());
    expect(body.lessons).toHaveLength(1);
    expect(body.failed).toEqual([]);
    const fresh = body.lessons[0];
    expect(fresh.index).toBe(0);
    expect(fresh.title).not.toBe("Lava and magma");
    expect(await lessonsOf(alice, playlistId)).toEqual([
      { id: seed[0], title: "How volcanoes form", position: 0 },
      { id: fresh.id, title: fresh.title, position: 1 },
      { id: seed[2], title: "Famous eruptions", position: 2 },
    ]);
    const after = await quotaOf(alice);
    expect(after.usedToday - before.usedToday).toBe(1);
    expect(after.reserved).toBe(0);
    expect(body.quota.remaining).toBe(after.remaining);
    expect(h.simCalls()).toBeGreaterThan(calls);
    // The old lesson stays in the library (and in Bob's playlist).
    expect((await alice.db.rpc("get_lesson", { p_lesson_id: seed[1] })).title).toBe("Lava and magma");
    expect((await lessonsOf(bob, bobPlaylist)).map((l) => l.id)).toEqual([seed[1]]);
    const [usage] = await h.db.sql.query("select count(*)::int as n from public.usage_events where request_id = $1", [body.requestId]);
    expect(usage.n).toBeGreaterThan(0);
  });

  it("streams started, lesson and done with the generate-similar contract; instructions keep the lesson private", async () => {
    const before = await quotaOf(alice);
    const target = (await lessonsOf(alice, playlistId))[2];
    const res = await regenerate(alice, playlistId, target.id, { json: { instructions: "Focus on Pompeii." }, headers: { accept: "application/x-ndjson" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("ndjson");
    const events = (await readNdjson(res)).map((e) => generationEventSchema.parse(e));
    expect(events.map((e) => e.type)).toEqual(["started", "lesson", "done"]);
    const started = events[0];
    const lesson = events[1];
    if (started.type !== "started" || lesson.type !== "lesson") throw new Error("unexpected events");
    expect(started.count).toBe(1);
    expect((await lessonsOf(alice, playlistId)).map((l) => [l.id, l.position])[2]).toEqual([lesson.lesson.id, 2]);
    expect((await quotaOf(alice)).usedToday - before.usedToday).toBe(1);
    const [row] = await h.db.sql.query("select private_to from public.lessons where id = $1", [lesson.lesson.id]);
    expect(row.private_to).toBe(alice.userId);
  });

  it("a retry with the same Idempotency-Key replays the first result and spends nothing", async () => {
    const target = (await lessonsOf(alice, playlistId))[0];
    const headers = { "idempotency-key": "regen-once" };
    const first = similarResponseSchema.parse(await (await regenerate(alice, playlistId, target.id, { json: {}, headers })).json());
    const quota = await quotaOf(alice);
    const calls = h.simCalls();
    const again = await regenerate(alice, playlistId, target.id, { json: {}, headers });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(similarResponseSchema.parse(await again.json()).lessons.map((l) => l.id)).toEqual(first.lessons.map((l) => l.id));
    expect(await quotaOf(alice)).toEqual(quota);
    expect(h.simCalls()).toBe(calls);
  });

  it("with no quota left: 429 quota_exceeded, no model call, the playlist unchanged", async () => {
    await h.service.rpc("seed_quota_usage", { p_user_id: alice.userId, p_used: 20 });
    const lessonsBefore = await lessonsOf(alice, playlistId);
    const calls = h.simCalls();
    const res = await regenerate(alice, playlistId, lessonsBefore[1].id, { json: {} });
    expect(res.status).toBe(429);
    expect(await errorCode(res)).toBe("quota_exceeded");
    expect(h.simCalls()).toBe(calls);
    expect(await lessonsOf(alice, playlistId)).toEqual(lessonsBefore);
  });
});
