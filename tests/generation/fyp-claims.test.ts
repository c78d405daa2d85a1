// Prefetch claims end to end: two cron sweeps on two instances at once (or a sweep and a learner's own
// top-up) pay for each feed's shortfall once; a claim left by a crashed instance is taken over after its
// TTL; a failed generation releases its claims so the next sweep retries at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realClock } from "@/lib/clock";
import type { Db } from "@/lib/db/port";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";
import type { GenerationDeps } from "@/lib/generation/deps";
import { topUpLearnerFeed } from "@/lib/generation/fyp-learner";
import { sweepFeeds } from "@/lib/generation/fyp-sweep";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator } from "@/lib/llm/sim";
import { createDbUsageSink } from "@/lib/usage/db-sink";

const CAP = 2;
const sweep = { cap: CAP, maxLearners: 1000 };

const kinds = testDbKinds();

describe.each(kinds)("fyp claims end to end on $kind", ({ kind, skip }) => {
  let db: TestDb;
  let service: Db;
  let deps: GenerationDeps;
  let sim: ReturnType<typeof createSimulator>;
  // While set, the provider answers every call with a 400 (not retried), so generation fails outright.
  let providerDown = false;
  // While set, every model call waits for it: a sweep is held mid-generation.
  let hold: Promise<void> | null = null;
  let singleCalls = 0;
  let fixtures = 0;

  beforeAll(async () => {
    if (skip) return;
    db = await createTestDb({ kind });
    service = db.provider.as({ role: "service_role" });
    sim = createSimulator({ profile: "instant", timeScale: 0.01, seed: 11, rpm: 100_000, tpm: 100_000_000 });
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (hold) await hold;
      if (providerDown) {
        return new Response(JSON.stringify({ error: { message: "down for the test", type: "invalid_request_error", param: null, code: null } }), {
          status: 400,
          headers: { "content-type": "application/json" },
        });
      }
      return sim.fetch(input, init);
    }) as typeof globalThis.fetch;
    const llm = createGateway(
      { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 10, timeoutMs: 30_000 },
      { fetch, clock: sim.clock },
    );
    const serviceDb = async () => service;
    deps = { service: serviceDb, llm, usage: createDbUsageSink({ db: serviceDb }), clock: realClock };
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  /** `learners` new learners each following `topics` new topics at 'easy', with an empty library. */
  async function fixture(learners: number, topics: number): Promise<{ users: string[]; topics: string[] }> {
    const n = ++fixtures;
    const [subject] = await db.sql.query("insert into public.subjects (slug, name, position) values ($1, $2, $3) returning id", [`sweep-${n}`, "Astronomy", n]);
    const names = ["Black holes", "Exoplanets", "Comets", "Nebulae"];
    const topicIds: string[] = [];
    for (let i = 0; i < topics; i++) {
      const [t] = await db.sql.query("insert into public.topics (subject_id, slug, name, position) values ($1, $2, $3, $4) returning id", [subject.id, `sweep-${n}-${i}`, names[i % names.length], i]);
      topicIds.push(String(t.id));
    }
    const users: string[] = [];
    for (let i = 0; i < learners; i++) users.push((await service.rpc("sign_in_local_user", { p_email: `sweep${n}-${i}@example.com` })).userId);
    await db.sql.query("insert into public.topic_follows (user_id, topic_id) select u, t from unnest($1::uuid[]) u cross join unnest($2::uuid[]) t", [users, topicIds]);
    return { users, topics: topicIds };
  }

  /** Pending items per (learner, topic) of a fixture, every pair included. */
  async function pendingCounts(f: { users: string[]; topics: string[] }): Promise<number[]> {
    const rows = await db.sql.query(
      `select (select count(*)::int from public.feed_items fi where fi.user_id = u and fi.topic_id = t and fi.status = 'pending') as n
         from unnest($1::uuid[]) u cross join unnest($2::uuid[]) t`,
      [f.users, f.topics],
    );
    return rows.map((r) => Number(r.n));
  }

  /** The test's deps, with a callback once this sweep's plan (and so its claims) has committed. */
  function depsNotifyingPlan(onPlanned: () => void): GenerationDeps {
    const db: Db = {
      async rpc(fn, ...args) {
        const out = await service.rpc(fn, ...args);
        if (fn === "fyp_sweep_plan") onPlanned();
        return out;
      },
    };
    return { ...deps, service: async () => db };
  }

  const claimCount = async () => Number((await db.sql.query("select count(*)::int as n from public.fyp_claims"))[0].n);

  it.skipIf(skip)("two sweeps at once over 20 learners × 3 topics make no more model calls than one sweep alone", async () => {
    // One sweep alone, on its own fixture: the baseline.
    const alone = await fixture(20, 3);
    let before = sim.stats().calls;
    const single = await sweepFeeds(deps, sweep);
    singleCalls = sim.stats().calls - before;
    expect(single.groups).toBe(3);
    expect(singleCalls).toBeGreaterThan(0);
    expect(await pendingCounts(alone)).toEqual(Array(60).fill(CAP));

    // The same shape again, swept by two instances at the same moment.
    const twice = await fixture(20, 3);
    before = sim.stats().calls;
    const [a, b] = await Promise.all([sweepFeeds(deps, sweep), sweepFeeds(deps, sweep)]);
    const bothCalls = sim.stats().calls - before;
    console.info("[concurrent sweeps]", JSON.stringify({ kind, singleCalls, bothCalls, a: { groups: a.groups, calls: a.calls }, b: { groups: b.groups, calls: b.calls } }));
    expect(bothCalls).toBeLessThanOrEqual(singleCalls);
    expect(a.calls + b.calls).toBe(bothCalls);
    expect(a.generated + b.generated).toBe(3 * CAP - a.failed - b.failed);
    expect(await pendingCounts(twice)).toEqual(Array(60).fill(CAP));
    expect(await claimCount()).toBe(0);
  });

  it.skipIf(skip)("a second sweep that plans while the first is generating pays for nothing the first claimed", async () => {
    expect(singleCalls).toBeGreaterThan(0); // measured by the test above
    const f = await fixture(20, 3);
    const before = sim.stats().calls;
    let openProvider!: () => void;
    hold = new Promise<void>((resolve) => (openProvider = resolve));
    let aPlanned!: () => void;
    let bPlanned!: () => void;
    const aReady = new Promise<void>((resolve) => (aPlanned = resolve));
    const bReady = new Promise<void>((resolve) => (bPlanned = resolve));
    try {
      // Instance A plans and starts generating (its model calls wait); instance B plans in that window.
      const a = sweepFeeds(depsNotifyingPlan(aPlanned), sweep);
      await Promise.race([aReady, a]);
      const b = sweepFeeds(depsNotifyingPlan(bPlanned), sweep);
      await Promise.race([bReady, b]);
      hold = null;
      openProvider();
      const [ra, rb] = await Promise.all([a, b]);
      const calls = sim.stats().calls - before;
      console.info("[overlapping sweeps]", JSON.stringify({ kind, singleCalls, calls, a: { groups: ra.groups, calls: ra.calls }, b: { groups: rb.groups, calls: rb.calls } }));
      expect(calls).toBeLessThanOrEqual(singleCalls);
      expect(rb).toMatchObject({ groups: 0, calls: 0, generated: 0 });
    } finally {
      hold = null;
      openProvider();
    }
    expect(await pendingCounts(f)).toEqual(Array(60).fill(CAP));
    expect(await claimCount()).toBe(0);
  });

  it.skipIf(skip)("a sweep and the learner's own top-up at once pay for the learner's shortfall once", async () => {
    const f = await fixture(1, 2);
    const before = sim.stats().calls;
    const learnerDb = async () => db.provider.as({ role: "authenticated", userId: f.users[0] });
    const [swept, own] = await Promise.all([
      sweepFeeds(deps, sweep),
      topUpLearnerFeed({ userId: f.users[0], ip: null, cap: CAP, learnerDb }, deps),
    ]);
    const calls = sim.stats().calls - before;
    // Either run alone makes one call per topic (two lessons each); together they must not make more.
    expect(calls).toBeLessThanOrEqual(2);
    expect(swept.generated + own.generated).toBe(2 * CAP);
    expect(await pendingCounts(f)).toEqual([CAP, CAP]);
    expect(await claimCount()).toBe(0);
  });

  it.skipIf(skip)("a claim older than its TTL is taken over", async () => {
    const f = await fixture(3, 1);
    // An instance planned a sweep (claiming every shortfall row) and crashed before generating.
    const crashed = await service.rpc("fyp_sweep_plan", { p_cap: CAP, p_max_learners: 1000 });
    expect(crashed.shortfall).toHaveLength(3);

    let before = sim.stats().calls;
    const blocked = await sweepFeeds(deps, sweep);
    expect(blocked).toMatchObject({ groups: 0, generated: 0 });
    expect(sim.stats().calls).toBe(before);
    expect(await pendingCounts(f)).toEqual([0, 0, 0]);

    await db.sql.query("update public.fyp_claims set claimed_until = claimed_until - interval '10 minutes 1 second'");
    before = sim.stats().calls;
    const takeover = await sweepFeeds(deps, sweep);
    expect(takeover.groups).toBe(1);
    expect(sim.stats().calls).toBeGreaterThan(before);
    expect(takeover.generated).toBe(CAP - takeover.failed);
    expect(await pendingCounts(f)).toEqual([CAP, CAP, CAP]);
    expect(await claimCount()).toBe(0);
  });

  it.skipIf(skip)("a failed generation releases its claims, so the next sweep retries at once", async () => {
    const f = await fixture(3, 2);
    providerDown = true;
    let failed;
    try {
      failed = await sweepFeeds(deps, sweep);
    } finally {
      providerDown = false;
    }
    expect(failed).toMatchObject({ groups: 2, generated: 0, delivered: 0, failed: 2 * CAP });
    expect(await claimCount()).toBe(0);

    const before = sim.stats().calls;
    const retry = await sweepFeeds(deps, sweep);
    expect(retry.groups).toBe(2);
    expect(sim.stats().calls).toBeGreaterThan(before);
    expect(await pendingCounts(f)).toEqual(Array(6).fill(CAP));
  });

  it.skipIf(skip)("a learner's failed top-up releases its claims too", async () => {
    const f = await fixture(1, 1);
    const learnerDb = async () => db.provider.as({ role: "authenticated", userId: f.users[0] });
    providerDown = true;
    let first;
    try {
      first = await topUpLearnerFeed({ userId: f.users[0], ip: null, cap: CAP, learnerDb }, deps);
    } finally {
      providerDown = false;
    }
    expect(first).toMatchObject({ generated: 0, failed: CAP, pending: 0 });
    expect(await claimCount()).toBe(0);
    const retry = await sweepFeeds(deps, sweep);
    expect(retry.groups).toBe(1);
    expect(await pendingCounts(f)).toEqual([CAP]);
  });
});
