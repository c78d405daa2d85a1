// Durable usage events: every model-call attempt is written ahead (usage_attempts) before it is sent, the
// real event's insert removes it, and what a dead run leaves behind is charged at its estimate. Here the
// "crash" is a run whose usage writes all fail (the events only ever reach the process's memory, which a
// kill would lose): after the run is no longer alive, usage events still equal the simulator's calls.
// The real-process version (SIGKILL of `next start`) is tests/security/crash-process.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as generateSimilar } from "@/app/api/playlists/[id]/generate-similar/route";
import { journaledGateway } from "@/lib/generation/usage-tally";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator } from "@/lib/llm/sim";
import type { AttemptReport } from "@/lib/llm/types";
import { costSplit } from "@/lib/usage/cost";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";
import { call, makeLesson, makePlaylist, makeTopics, makeUser, setupHarness, type Harness, type User } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness({ maxConcurrency: 2 });
});

afterAll(async () => {
  await h?.cleanup();
});

let n = 0;
async function learner(): Promise<{ user: User; playlistId: string }> {
  const i = n++;
  const [topic] = await makeTopics(h, 1, "Geology", [`Volcanoes ${i}`]);
  const seed = await makeLesson(h, topic.id, `Volcanoes ${i}: how they erupt`, "medium");
  const user = await makeUser(h, `outbox${i}@example.com`);
  return { user, playlistId: await makePlaylist(user, `Volcanoes ${i}`, [seed]) };
}

async function generate(l: { user: User; playlistId: string }, count: number): Promise<string> {
  const res = await call(generateSimilar, "POST", `/api/playlists/${l.playlistId}/generate-similar`, { cookie: l.user.cookie, json: { count }, params: { id: l.playlistId } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { requestId: string }).requestId;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [{ n }] = await h.db.sql.query(sql, params);
  return Number(n);
}

const eventsOf = (requestId: string) => count("select count(*)::int as n from public.usage_events where request_id = $1", [requestId]);
const attemptsOf = (requestId: string) => count("select count(*)::int as n from public.usage_attempts where request_id = $1", [requestId]);

// A database that refuses every real usage event (estimates still go in): the writes fail after their retries.
async function failUsageWrites(on: boolean) {
  if (on) {
    await h.db.sql.query(`create or replace function public.test_refuse_usage() returns trigger language plpgsql as $$ begin raise exception 'usage writes are down'; end $$`);
    await h.db.sql.query(`create trigger test_refuse_usage before insert on public.usage_events for each row when (new.error_code is distinct from 'interrupted') execute function public.test_refuse_usage()`);
  } else {
    await h.db.sql.query("drop trigger if exists test_refuse_usage on public.usage_events");
  }
}

describe("durable usage events", () => {
  it("a normal run writes one event per simulator call and leaves no write-ahead rows", async () => {
    const l = await learner();
    const before = h.simCalls();
    const requestId = await generate(l, 4);
    const calls = h.simCalls() - before;
    expect(calls).toBeGreaterThan(0);
    expect(await eventsOf(requestId)).toBe(calls);
    expect(await attemptsOf(requestId)).toBe(0);
    expect(await count("select count(*)::int as n from public.usage_events where request_id = $1 and error_code = 'interrupted'", [requestId])).toBe(0);
  });

  it("events that never reach the database are charged at their estimate once the run is dead, never twice", async () => {
    const l = await learner();
    await failUsageWrites(true);
    // Model calls are written ahead; the free moderation endpoint's screens are logged when they answer.
    const simCalls = () => h.sim.stats().log.filter((e) => !e.model.includes("moderation")).length;
    const before = simCalls();
    const logFrom = h.sim.stats().log.length;
    let requestId: string;
    try {
      requestId = await generate(l, 3); // the learner still gets the lessons
    } finally {
      await failUsageWrites(false);
    }
    const calls = simCalls() - before;
    const screens = h.sim.stats().log.length - logFrom - calls;
    expect(calls).toBeGreaterThan(0);
    // Nothing written but the estimates: this is what a killed process leaves.
    expect(await eventsOf(requestId)).toBe(0);
    expect(await attemptsOf(requestId)).toBe(calls);

    const spentBefore = await count("select coalesce(sum(cost_usd), 0)::float8 as n from public.spend_days");
    const [{ r }] = await h.db.sql.query("select private.settle_stale_reservations(null) as r");
    expect((r as { usageEvents: number }).usageEvents).toBe(calls);
    expect(await eventsOf(requestId)).toBe(calls);
    expect(await attemptsOf(requestId)).toBe(0);

    // The estimate over-charges (whole output cap, no cache) rather than under-charges, and the spend cap sees it.
    const billed = h.sim.stats().log.slice(logFrom).reduce((s, e) => s + costSplit("sim", e.model, { promptTokens: e.promptTokens, cachedTokens: e.cachedTokens ?? 0, completionTokens: e.completionTokens }).totalUsd, 0);
    const charged = await count("select coalesce(sum(cost_usd), 0)::float8 as n from public.usage_events where request_id = $1 and error_code = 'interrupted'", [requestId]);
    expect(charged).toBeGreaterThanOrEqual(billed);
    expect((await count("select coalesce(sum(cost_usd), 0)::float8 as n from public.spend_days")) - spentBefore).toBeCloseTo(charged, 6);

    // The process lived on: its backlog reaches the database with the next run, and the same ids are not counted again.
    const beforeNext = h.simCalls();
    const next = await generate(l, 2);
    expect(await eventsOf(next)).toBe(h.simCalls() - beforeNext);
    // The estimates stand for the model calls; the screens' own events arrive with the backlog, once each.
    expect(await eventsOf(requestId)).toBe(calls + screens);
  });

  it("a run that is still alive keeps its write-ahead rows until its lease expires", async () => {
    const l = await learner();
    const begun = await h.service.rpc("begin_generation", { p_user_id: l.user.userId, p_idempotency_key: null, p_body_hash: null, p_feature: "similar", p_playlist_id: l.playlistId, p_count: 1 });
    const id = crypto.randomUUID();
    await h.service.rpc("begin_usage_attempt", {
      p_event: {
        id, createdAt: new Date().toISOString(), requestId: begun.requestId, userId: l.user.userId, feature: "similar", mode: "single-call",
        provider: "sim", model: "sim-standard", attempt: 1, lessonsAsked: 0, lessonsValid: 0, promptTokens: 900, cachedTokens: 0,
        completionTokens: 4000, latencyMs: 0, ttftMs: null, httpStatus: null, finishReason: null, errorCode: "interrupted",
        costUsd: 0.001, inputUsd: 0.0002, cachedUsd: 0, outputUsd: 0.0008, counterfactualPromptTokens: null, counterfactualCostUsd: null,
        priceVersion: "test", circuitOpen: false,
      },
    });
    await h.db.sql.query("select private.settle_stale_reservations(null)");
    expect(await attemptsOf(begun.requestId)).toBe(1);
    expect(await eventsOf(begun.requestId)).toBe(0);

    await h.db.sql.query("update public.generation_requests set updated_at = now() - interval '6 minutes' where id = $1", [begun.requestId]);
    await h.db.sql.query("select private.settle_stale_reservations(null)");
    expect(await attemptsOf(begun.requestId)).toBe(0);
    expect(await count("select count(*)::int as n from public.usage_events where id = $1 and error_code = 'interrupted'", [id])).toBe(1);
  });
});

describe("the write-ahead gateway", () => {
  const gatewayOnSim = () => {
    const sim = createSimulator({ profile: "instant", seed: 3 });
    return createGateway({ provider: "sim", model: "sim-standard", maxConcurrency: 2, timeoutMs: 5_000 }, { fetch: sim.fetch });
  };
  const params = { model: "sim-standard", messages: [{ role: "user" as const, content: "Topic: outbox" }] };

  it("writes each attempt's estimate under the id its usage event will carry, before the call", async () => {
    const sink = new MemoryUsageSink();
    const reports: AttemptReport[] = [];
    const owner = { requestId: crypto.randomUUID(), userId: null, feature: "similar" as const };
    await journaledGateway(gatewayOnSim(), sink, owner).chat({ ...params, max_tokens: 300 }, { onAttempt: (r) => reports.push(r) });
    expect(reports).toHaveLength(1);
    const estimate = sink.open.get(reports[0].id!);
    expect(estimate).toMatchObject({ requestId: owner.requestId, errorCode: "interrupted", completionTokens: 300, model: "sim-standard" });
    expect(estimate!.promptTokens).toBeGreaterThan(0);
    expect(estimate!.costUsd).toBeGreaterThan(0);
  });

  it("does not hold a call longer than the bound when the write-ahead hangs", async () => {
    const hanging = { record: async () => {}, begin: () => new Promise<void>(() => {}) };
    const started = performance.now();
    const out = await journaledGateway(gatewayOnSim(), hanging, { requestId: null, userId: null, feature: "similar" }, 100).chat(params);
    expect(out.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
