// Per-user fair share in the call scheduler: while other learners' calls wait, one learner holds at most
// LLM_USER_MAX_SHARE of the concurrency, so a learner with a long queue cannot stall everyone else.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as topUp } from "@/app/api/fyp/generate-pending/route";
import { POST as markSeen } from "@/app/api/fyp/seen/route";
import { POST as generateSimilar } from "@/app/api/playlists/[id]/generate-similar/route";
import { resetServerEnvCache } from "@/lib/env";
import { setGatewayForTests } from "@/lib/llm";
import { createGateway } from "@/lib/llm/gateway";
import { RateLimiter, type Permit } from "@/lib/llm/rate-limiter";
import { createSimulator } from "@/lib/llm/sim";
import { realClock } from "@/lib/clock";
import { call, makeLesson, makePlaylist, makeTopics, makeUser, setupHarness, type Harness, type User } from "../api/harness";

/** Runs 40 calls for learner A, then 2 for learner B, through one gateway; answers the order the simulator saw them. */
async function sendOrder(userMaxShare: number | undefined) {
  const sim = createSimulator({ profile: "instant", seed: 7 });
  const order: string[] = [];
  const fetchInOrder = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { messages: { content: string }[] };
    order.push(body.messages[0].content.slice("Topic: ".length, "Topic: ".length + 1));
    return sim.fetch(input, init);
  }) as typeof fetch;
  const gw = createGateway(
    { provider: "sim", model: "sim-standard", maxConcurrency: 4, userMaxShare, timeoutMs: 5_000 },
    { fetch: fetchInOrder },
  );
  const call = (user: string, i: number) =>
    gw.chat({ model: "sim-standard", messages: [{ role: "user", content: `Topic: ${user} ${i}` }] }, { userId: `learner-${user}` });
  const calls = [...Array.from({ length: 40 }, (_, i) => call("A", i)), ...Array.from({ length: 2 }, (_, i) => call("B", i))];
  const results = await Promise.all(calls);
  expect(results.every((r) => r.status === 200)).toBe(true);
  expect(sim.stats().calls).toBe(42);
  return order;
}

const positionsOf = (order: string[], user: string) => order.flatMap((u, i) => (u === user ? [i] : []));

describe("fair share in the call scheduler (simulator)", () => {
  it("starts the second learner's 2 calls before most of the first learner's 40 queued calls", async () => {
    const order = await sendOrder(0.5);
    const b = positionsOf(order, "B");
    expect(b).toHaveLength(2);
    // 4 slots, A alone takes all 4; the first 2 slots to free go to B (A is over its share of 2).
    expect(Math.max(...b)).toBeLessThan(8);
  });

  it("without a share the queue is first-in-first-out and B waits behind all of A", async () => {
    const order = await sendOrder(1);
    expect(positionsOf(order, "B")).toEqual([40, 41]);
  });

  it("gives a freed slot to a waiting learner under the share, not to the learner over it who queued first", async () => {
    const limiter = new RateLimiter({ maxConcurrency: 4, userMaxShare: 0.5, clock: realClock });
    const a = await Promise.all([0, 1, 2, 3].map(() => limiter.acquire(1, { userId: "a" })));
    const granted: string[] = [];
    const aWaiting = limiter.acquire(1, { userId: "a" }).then((p) => (granted.push("a"), p));
    const bWaiting = limiter.acquire(1, { userId: "b" }).then((p) => (granted.push("b"), p));
    a[0].release({}); // A still holds 3 of 4, over its share of 2, while B waits: the slot is B's
    await bWaiting;
    expect(granted).toEqual(["b"]);
    a[1].release({}); // nobody else waits now, so A's call goes even though A holds 2
    await aWaiting;
    expect(granted).toEqual(["b", "a"]);
    expect(limiter.snapshot().inFlight).toBe(4);
  });
});

describe("the fair order (start-time fair queueing)", () => {
  /** Two slots held by learner a, then 7 calls queued; slots are freed one at a time, oldest permit first. */
  async function grantOrder(userMaxShare: number): Promise<string[]> {
    const limiter = new RateLimiter({ maxConcurrency: 2, userMaxShare, clock: realClock });
    const permits = [await limiter.acquire(1, { userId: "a" }), await limiter.acquire(1, { userId: "a" })];
    const order: string[] = [];
    const granted = new Map<string, Permit>();
    const queue: [string | null, string][] = [["a", "a3"], ["a", "a4"], ["a", "a5"], ["b", "b1"], ["c", "c1"], ["b", "b2"], [null, "sweep"]];
    const all = queue.map(([user, label]) => limiter.acquire(1, { userId: user }).then((p) => (order.push(label), granted.set(label, p))));
    while (order.length < queue.length) {
      const before = order.length;
      permits.shift()!.release({});
      while (order.length === before) await new Promise((r) => setTimeout(r, 0));
      permits.push(granted.get(order[order.length - 1])!);
    }
    await Promise.all(all);
    return order;
  }

  it("serves newly arrived learners' first calls before the rest of a long queue; sweeps are never held back", async () => {
    // a holds its share (1 of 2) while others wait: b1 and c1 (same start tag as the sweep, older), the
    // sweep, then a3 and b2 (tag 2, a3 older), then a's rest.
    expect(await grantOrder(0.5)).toEqual(["b1", "c1", "sweep", "a3", "b2", "a4", "a5"]);
  });

  it("without a share the order is first-in-first-out", async () => {
    expect(await grantOrder(1)).toEqual(["a3", "a4", "a5", "b1", "c1", "b2", "sweep"]);
  });
});

// 50 learners at once through the real routes and the generation pipeline, on the simulator: 49 of them
// ask for "Generate similar" together, once alone and once while the 50th hammers feed top-ups (40
// followed topics, so every top-up queues ~40 model calls, round after round). The 49 learners' time
// to their first lesson, median and 90th percentile, must stay within 1.5× of the run without the
// hammering. Measured both ways in the same run; with the fair share off (1) the same load breaks it.
describe("50 learners, one hammering top-ups (routes + simulator)", () => {
  const LEARNERS = 49;
  const CONCURRENCY = 8;
  let h: Harness;
  let n = 0;

  beforeAll(async () => {
    h = await setupHarness();
    vi.stubEnv("TOPUP_LESSONS_DAILY", "100000");
    vi.stubEnv("FEED_SEEN_PER_MINUTE", "100000");
    vi.stubEnv("SPEND_CAP_DAILY_USD", "100000");
    resetServerEnvCache();
  });

  afterAll(async () => {
    setGatewayForTests(null);
    await h?.cleanup();
  });

  /** A fresh simulator and gateway (cold cache, empty queue) with the given fair share. */
  function freshGateway(userMaxShare: number) {
    const sim = createSimulator({ profile: "typical", timeScale: 0.1, seed: 11 + n, rpm: 100_000, tpm: 100_000_000 });
    const gateway = createGateway(
      { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: CONCURRENCY, userMaxShare, timeoutMs: 60_000 },
      { fetch: sim.fetch, clock: sim.clock },
    );
    setGatewayForTests(gateway, sim);
    return { sim, gateway };
  }

  /** `count` learners, each with a one-lesson playlist on a topic of their own. */
  async function learners(count: number): Promise<{ user: User; playlistId: string }[]> {
    const tag = n++;
    const topics = await makeTopics(h, count, `Fair ${tag}`, Array.from({ length: count }, (_, i) => `Fair topic ${tag}-${i}`));
    return Promise.all(
      topics.map(async (t, i) => {
        const seed = await makeLesson(h, t.id, `${t.name}: the basics`, "easy");
        const user = await makeUser(h, `fair${tag}-${i}@example.com`);
        return { user, playlistId: await makePlaylist(user, t.name, [seed]) };
      }),
    );
  }

  /** Real ms from the request to the first lesson of its NDJSON stream (then reads the rest). */
  async function firstLessonMs(l: { user: User; playlistId: string }): Promise<number> {
    const t0 = performance.now();
    const res = await call(generateSimilar, "POST", `/api/playlists/${l.playlistId}/generate-similar`, {
      cookie: l.user.cookie,
      json: { count: 2 },
      headers: { accept: "application/x-ndjson" },
      params: { id: l.playlistId },
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let ms: number | null = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (ms === null && text.includes('"type":"lesson"')) ms = performance.now() - t0;
    }
    expect(ms).not.toBeNull();
    return ms!;
  }

  /** The hammering learner: follows 40 topics, then marks everything seen and tops up, until stopped. */
  async function hammer(): Promise<{ stop(): Promise<{ rounds: number; statuses: number[] }>; started: Promise<void> }> {
    const tag = n++;
    const topics = await makeTopics(h, 40, `Hammer ${tag}`, Array.from({ length: 40 }, (_, i) => `Hammered topic ${tag}-${i}`));
    const user = await makeUser(h, `hammer${tag}@example.com`);
    for (const t of topics) await user.db.rpc("set_topic_follow", { p_topic_id: t.id, p_follow: true, p_difficulty: "easy" });
    let stopped = false;
    const statuses: number[] = [];
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const loop = (async () => {
      while (!stopped) {
        const pending = await h.db.sql.query("select lesson_id from public.feed_items where user_id = $1 and status = 'pending'", [user.userId]);
        for (const row of pending) await call(markSeen, "POST", "/api/fyp/seen", { cookie: user.cookie, json: { lessonId: String(row.lesson_id) } });
        const res = call(topUp, "POST", "/api/fyp/generate-pending", { cookie: user.cookie });
        markStarted();
        const r = await res;
        statuses.push(r.status);
        await r.body?.cancel();
        if (r.status === 429) await new Promise((resolve) => setTimeout(resolve, 200)); // the request limit
      }
    })();
    return {
      started,
      stop: async () => {
        stopped = true;
        await loop;
        return { rounds: statuses.length, statuses };
      },
    };
  }

  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))];
  };

  async function measure(userMaxShare: number) {
    freshGateway(userMaxShare);
    const quiet = await Promise.all((await learners(LEARNERS)).map(firstLessonMs));

    const { gateway: hammered } = freshGateway(userMaxShare);
    const group = await learners(LEARNERS);
    const h1 = await hammer();
    await h1.started;
    // Let the first top-up's calls fill the scheduler before the others arrive.
    for (let i = 0; i < 250 && hammered.limiterSnapshot().inFlight < CONCURRENCY; i++) await new Promise((r) => setTimeout(r, 20));
    const busy = await Promise.all(group.map(firstLessonMs));
    const hammering = await h1.stop();
    const out = {
      userMaxShare,
      quiet: { p50: Math.round(pct(quiet, 0.5)), p90: Math.round(pct(quiet, 0.9)) },
      hammered: { p50: Math.round(pct(busy, 0.5)), p90: Math.round(pct(busy, 0.9)) },
      hammerRounds: hammering.rounds,
    };
    console.log("[fair-share 50 learners]", JSON.stringify({ ...out, ratioP50: +(out.hammered.p50 / out.quiet.p50).toFixed(2), ratioP90: +(out.hammered.p90 / out.quiet.p90).toFixed(2) }));
    return out;
  }

  it("with the fair share (0.5) the others' first lessons stay within 1.5× of their latency without the hammering", async () => {
    const m = await measure(0.5);
    expect(m.hammerRounds).toBeGreaterThan(0);
    expect(m.hammered.p50).toBeLessThanOrEqual(1.5 * m.quiet.p50);
    expect(m.hammered.p90).toBeLessThanOrEqual(1.5 * m.quiet.p90);
  }, 240_000);

  it("with the fair share off (1) the same hammering pushes them past 1.5×", async () => {
    const m = await measure(1);
    expect(m.hammered.p50).toBeGreaterThan(1.5 * m.quiet.p50);
  }, 240_000);
});
