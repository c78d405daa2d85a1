// "Generate similar" end to end through the route handler, on PGlite and the simulator: quota before
// any model call, streamed events, idempotent replays, rate limits.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/playlists/[id]/generate-similar/route";
import { resetServerEnvCache } from "@/lib/env";
import { generationLimits } from "@/lib/generation/rate-limit";
import { bodyHash } from "@/lib/generation/generation-request";
import {
  call,
  makeGateway,
  errorCode,
  makeLesson,
  makePlaylist,
  makeTopics,
  makeUser,
  quotaOf,
  readNdjson,
  rowCounts,
  setupHarness,
  type Harness,
  type User,
} from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness();
});

afterAll(async () => {
  await h?.cleanup();
});

// Each test gets its own topic: the simulator's titles for one topic run out after a few dozen lessons,
// and the engine rightly refuses duplicates.
const topicNames = ["Forces", "Energy", "Waves", "Optics", "Magnetism", "Heat", "Sound", "Gravity", "Pressure", "Circuits"];
let n = 0;
async function learnerWithPlaylist(): Promise<{ user: User; playlistId: string; seedLessons: string[]; topicName: string }> {
  const i = n++;
  const [topic] = await makeTopics(h, 1, "Physics", [topicNames[i % topicNames.length]]);
  const seedLessons = [
    await makeLesson(h, topic.id, `${topic.name}: a first look`, "medium"),
    await makeLesson(h, topic.id, `${topic.name} in everyday life`, "medium"),
    await makeLesson(h, topic.id, `Measuring ${topic.name.toLowerCase()}`, "medium"),
  ];
  const user = await makeUser(h, `learner${i}@example.com`);
  const playlistId = await makePlaylist(user, topic.name, seedLessons);
  return { user, playlistId, seedLessons, topicName: topic.name };
}

function generate(user: User, playlistId: string, json: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return call(POST, "POST", `/api/playlists/${playlistId}/generate-similar`, { cookie: user.cookie, json, headers, params: { id: playlistId }, signal });
}

async function playlistLessonIds(user: User, playlistId: string): Promise<string[]> {
  const p = await user.db.rpc("get_playlist", { p_playlist_id: playlistId });
  return p.lessons.map((l) => l.id);
}

describe("generate similar", () => {
  it("answers 429 quota_exceeded with Retry-After and makes no model call when the learner is short", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    await h.service.rpc("seed_quota_usage", { p_user_id: user.userId, p_used: 18 }); // free tier: 20 a day, 2 left
    const before = await rowCounts(h);
    const calls = h.simCalls();

    const res = await generate(user, playlistId, { count: 5 });

    expect(res.status).toBe(429);
    expect(await errorCode(res)).toBe("quota_exceeded");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    const body = (await res.json()) as { error: { details: { remaining: number; resetsAt: string } } };
    expect(body.error.details.remaining).toBe(2);
    expect(Date.parse(body.error.details.resetsAt)).toBeGreaterThan(Date.now());
    expect(h.simCalls()).toBe(calls);
    const after = await rowCounts(h);
    expect(after.lessons).toBe(before.lessons);
    expect(after.usage_events).toBe(before.usage_events);
    expect(after.quota_reservations).toBe(before.quota_reservations);
    expect((await quotaOf(user)).usedToday).toBe(18);
  });

  it("returns one JSON body, appends the lessons to the playlist and charges exactly what was delivered", async () => {
    const { user, playlistId, seedLessons, topicName } = await learnerWithPlaylist();
    const calls = h.simCalls();
    const res = await generate(user, playlistId, { count: 3, instructions: "Use sports examples" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { requestId: string; lessons: { id: string; index: number; topicName: string; source: string }[]; failed: unknown[]; usage: { calls: number; promptTokens: number }; quota: { remaining: number } };
    // A fault-free simulator and a fresh topic: every lesson arrives.
    expect(body.failed).toEqual([]);
    expect(body.lessons.map((l) => l.index)).toEqual([0, 1, 2]);
    expect(body.lessons.every((l) => l.topicName === topicName && l.source === "generated")).toBe(true);
    expect(body.usage.calls).toBe(h.simCalls() - calls);
    expect(body.usage.promptTokens).toBeGreaterThan(0);
    const ids = await playlistLessonIds(user, playlistId);
    expect(ids.slice(0, 3)).toEqual(seedLessons);
    expect(ids.slice(3)).toEqual(body.lessons.map((l) => l.id));
    const q = await quotaOf(user);
    expect(q.usedToday).toBe(body.lessons.length);
    expect(q.reserved).toBe(0);
    expect(body.quota.remaining).toBe(q.remaining);
    const [usage] = await h.db.sql.query("select count(*)::int as n from public.usage_events where request_id = $1", [body.requestId]);
    expect(usage.n).toBe(body.usage.calls);
  });

  it("streams started, lessons as they arrive and done last; the saved playlist matches", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    const res = await generate(user, playlistId, { count: 7, difficulty: "hard" }, { accept: "application/x-ndjson" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const events = await readNdjson(res);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("started");
    expect(types.at(-1)).toBe("done");
    expect(types.filter((t) => t === "done")).toHaveLength(1);
    const started = events[0] as { count: number; plan: { calls: number; perCall: number; model: string } };
    expect(started.count).toBe(7);
    expect(started.plan).toEqual({ calls: 2, perCall: 4, model: "sim-standard" });
    const lessonEvents = events.filter((e) => e.type === "lesson") as { index: number; lesson: { id: string; difficulty: string } }[];
    const failedEvents = events.filter((e) => e.type === "lesson_failed") as { index: number }[];
    expect(failedEvents).toEqual([]);
    expect(new Set(lessonEvents.map((e) => e.index))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    expect(lessonEvents.every((e) => e.lesson.difficulty === "hard")).toBe(true);
    const done = events.at(-1) as { succeeded: number; failed: number; quota: { remaining: number } };
    expect(done.succeeded).toBe(lessonEvents.length);
    expect(done.failed).toBe(failedEvents.length);
    // The playlist holds the new lessons after the old ones, in slot order.
    const ids = await playlistLessonIds(user, playlistId);
    expect(ids.slice(3)).toEqual([...lessonEvents].sort((a, b) => a.index - b.index).map((e) => e.lesson.id));
    expect((await quotaOf(user)).usedToday).toBe(lessonEvents.length);
  });

  it("replays the same Idempotency-Key and body without spending anything; another body is a 409", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    const headers = { "idempotency-key": "press-1" };
    const first = await generate(user, playlistId, { count: 2 }, headers);
    expect(first.status).toBe(200);
    const a = (await first.json()) as { requestId: string; lessons: { id: string; index: number }[]; failed: { index: number }[] };
    expect(a.lessons.length).toBeGreaterThan(0);
    const calls = h.simCalls();
    const before = await rowCounts(h);
    const quotaBefore = await quotaOf(user);

    const again = await generate(user, playlistId, { count: 2 }, headers);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const b = (await again.json()) as { requestId: string; lessons: { id: string }[] };
    expect(b.requestId).toBe(a.requestId);
    expect(b.lessons.map((l) => l.id)).toEqual(a.lessons.map((l) => l.id));

    // Streamed replay: same lessons, same shape of events.
    const streamed = await readNdjson(await generate(user, playlistId, { count: 2 }, { ...headers, accept: "application/x-ndjson" }));
    const expectedTypes = [...a.lessons.map((l) => [l.index, "lesson"] as const), ...a.failed.map((f) => [f.index, "lesson_failed"] as const)]
      .sort(([x], [y]) => x - y)
      .map(([, t]) => t);
    expect(streamed.map((e) => e.type)).toEqual(["started", ...expectedTypes, "done"]);

    const conflict = await generate(user, playlistId, { count: 3 }, headers);
    expect(conflict.status).toBe(409);
    expect(await errorCode(conflict)).toBe("conflict");

    expect(h.simCalls()).toBe(calls);
    const after = await rowCounts(h);
    expect({ ...after, rate_limit_buckets: 0 }).toEqual({ ...before, rate_limit_buckets: 0 });
    expect(await quotaOf(user)).toEqual(quotaBefore);
  });

  it("a key that was refused for quota stays refused, and no model call is made", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    await h.service.rpc("seed_quota_usage", { p_user_id: user.userId, p_used: 20 });
    const calls = h.simCalls();
    const headers = { "idempotency-key": "late-night" };
    expect((await generate(user, playlistId, { count: 1 }, headers)).status).toBe(429);
    const again = await generate(user, playlistId, { count: 1 }, headers);
    expect(again.status).toBe(429);
    expect(await errorCode(again)).toBe("quota_exceeded");
    expect(h.simCalls()).toBe(calls);
  });

  it("rate limits per user with 429 rate_limited and Retry-After, before any model call", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    // Empty the learner's bucket the way a burst of requests would.
    await h.service.rpc("take_rate_limit", {
      p_key: `similar:user:${user.userId}`,
      p_capacity: generationLimits.user.capacity,
      p_refill_per_second: generationLimits.user.refillPerSecond,
      p_cost: generationLimits.user.capacity,
    });
    const calls = h.simCalls();
    const res = await generate(user, playlistId, { count: 1 });
    expect(res.status).toBe(429);
    expect(await errorCode(res)).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(h.simCalls()).toBe(calls);
    expect((await quotaOf(user)).usedToday).toBe(0);
  });

  it("rate limits per IP only when TRUST_PROXY says the forwarding headers are real", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    const ip = "203.0.113.9";
    await h.service.rpc("take_rate_limit", {
      p_key: `similar:ip:${ip}`,
      p_capacity: generationLimits.ip.capacity,
      p_refill_per_second: generationLimits.ip.refillPerSecond,
      p_cost: generationLimits.ip.capacity,
    });
    // The client claims some address; the proxy appends the one it saw.
    const headers = { "x-forwarded-for": `198.51.100.7, ${ip}` };
    // Not trusted: the header is ignored and the request goes through.
    expect((await generate(user, playlistId, { count: 1 }, headers)).status).toBe(200);
    vi.stubEnv("TRUST_PROXY", "1");
    resetServerEnvCache();
    try {
      const res = await generate(user, playlistId, { count: 1 }, headers);
      expect(res.status).toBe(429);
      expect(await errorCode(res)).toBe("rate_limited");
      // A client cannot dodge the limit by putting another address first.
      expect((await generate(user, playlistId, { count: 1 }, { "x-forwarded-for": `192.0.2.1, ${ip}` })).status).toBe(429);
      // A client-sent X-Real-IP is not believed unless the proxy is declared to set it.
      expect((await generate(user, playlistId, { count: 1 }, { "x-real-ip": "192.0.2.9", "x-forwarded-for": `192.0.2.1, ${ip}` })).status).toBe(429);
      // X-Real-IP, set by the proxy (TRUST_PROXY_IP_HEADER=x-real-ip), wins when present.
      vi.stubEnv("TRUST_PROXY_IP_HEADER", "x-real-ip");
      resetServerEnvCache();
      expect((await generate(user, playlistId, { count: 1 }, { "x-real-ip": ip, "x-forwarded-for": "192.0.2.1" })).status).toBe(429);
    } finally {
      vi.stubEnv("TRUST_PROXY", "0");
      vi.stubEnv("TRUST_PROXY_IP_HEADER", "x-forwarded-for");
      resetServerEnvCache();
    }
  });
});

describe("generate similar, failure paths", () => {
  it("answers 409 while the first request with the same key is still running", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    // The first press is still running: its generation request exists and has no result yet.
    await h.service.rpc("begin_generation", {
      p_user_id: user.userId,
      p_idempotency_key: "double-click",
      p_body_hash: bodyHash({ playlistId, count: 2, difficulty: null, instructions: null }),
      p_feature: "similar",
      p_playlist_id: playlistId,
      p_count: 2,
    });
    const calls = h.simCalls();
    const res = await generate(user, playlistId, { count: 2 }, { "idempotency-key": "double-click" });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toMatch(/still running/);
    expect(h.simCalls()).toBe(calls);
    expect((await quotaOf(user)).reserved).toBe(0);
  });

  it("answers 503 provider_unavailable when the provider fails every attempt, and refunds the quota", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    h.sim.queueFaults(...Array.from({ length: 40 }, () => "unavailable" as const));
    try {
      const res = await generate(user, playlistId, { count: 1 });
      expect(res.status).toBe(503);
      expect(await errorCode(res)).toBe("provider_unavailable");
      const q = await quotaOf(user);
      expect(q.usedToday).toBe(0);
      expect(q.reserved).toBe(0);
    } finally {
      // A fresh simulator and gateway, so faults left in the queue reach no later test.
      h.sim = makeGateway().sim;
    }
  });
});
