// Service functions: sign-in, feed top-up under a per-learner lock, rate limits, usage events with the
// daily rollup, and the admin aggregates built on it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";
import type { Db } from "@/lib/db/port";
import { rpcUnchecked } from "@/lib/db/contract-db";
import type { UsageEvent } from "@/lib/usage/types";

const A = "00000000-0000-4000-8000-000000000001";
const ADMIN = "00000000-0000-4000-8000-000000000003";

function usageEvent(over: Partial<UsageEvent>): UsageEvent {
  return {
    id: randomUUID(), createdAt: new Date().toISOString(), requestId: randomUUID(), userId: A, feature: "similar",
    mode: "single-call", provider: "sim", model: "sim-large", attempt: 1, lessonsAsked: 5, lessonsValid: 5,
    promptTokens: 1000, cachedTokens: 200, completionTokens: 2000, latencyMs: 1000, ttftMs: 200, httpStatus: 200,
    finishReason: "stop", errorCode: null, costUsd: 0.01, inputUsd: 0.0003, cachedUsd: 0.0001, outputUsd: 0.0096, counterfactualPromptTokens: 4000, counterfactualCostUsd: 0.016,
    priceVersion: "2026-11", circuitOpen: false, ...over,
  };
}

const kinds = testDbKinds();

describe.each(kinds)("service functions on $kind", ({ kind, skip }) => {
  let db: TestDb;
  let service: Db;
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDb({ kind, seed: true });
    service = db.provider.as({ role: "service_role" });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it.skipIf(skip)("db_health reports the migration version", async () => {
    expect(await service.rpc("db_health")).toEqual({ ok: true, migrationVersion: db.migration.version });
  });

  it.skipIf(skip)("sign_in_local_user creates the user once and promotes only when asked", async () => {
    const first = await service.rpc("sign_in_local_user", { p_email: " New.Person@Example.com ", p_promote_admin: false });
    expect(first).toMatchObject({ email: "new.person@example.com", role: "learner", tier: "free" });
    const again = await service.rpc("sign_in_local_user", { p_email: "new.person@example.com", p_promote_admin: false });
    expect(again.userId).toBe(first.userId);
    const promoted = await service.rpc("sign_in_local_user", { p_email: "new.person@example.com", p_promote_admin: true });
    expect(promoted).toMatchObject({ userId: first.userId, role: "admin" });
    // Once an admin, a later sign-in without promotion keeps the role (demotion is an explicit act).
    expect(await service.rpc("sign_in_local_user", { p_email: "new.person@example.com", p_promote_admin: false })).toMatchObject({ role: "admin" });
    await expect(service.rpc("sign_in_local_user", { p_email: "not-an-email", p_promote_admin: false })).rejects.toMatchObject({ message: "invalid_request" });
    expect(await service.rpc("get_profile", { p_user_id: randomUUID() })).toBeNull();
  });

  it.skipIf(skip)("fyp top-ups never exceed the per-topic cap, even when run concurrently", async () => {
    const u = await service.rpc("sign_in_local_user", { p_email: "feed@example.com", p_promote_admin: false });
    const me = db.provider.as({ role: "authenticated", userId: u.userId });
    const cat = await me.rpc("list_catalog");
    const chem = cat.subjects[0].topics.find((t) => t.slug === "chemistry-basics")!; // 2 easy + 1 medium lesson
    const cells = cat.subjects[0].topics.find((t) => t.slug === "cell-biology")!; // 2 easy + 1 medium
    await me.rpc("set_topic_follow", { p_topic_id: chem.id, p_follow: true, p_difficulty: "easy" });
    await me.rpc("set_topic_follow", { p_topic_id: cells.id, p_follow: true, p_difficulty: "medium" });

    const fills = await Promise.all(Array.from({ length: 6 }, () => service.rpc("fyp_fill_from_library", { p_user_id: u.userId, p_cap: 3 })));
    // 2 easy chemistry + 1 medium cell biology exist; every fill after the first finds nothing new.
    expect(fills.reduce((n, f) => n + f.fromLibrary, 0)).toBe(3);
    // Every fill reports what is still missing (nothing is claimed: the job engine dedupes the work).
    for (const f of fills) expect(f.shortfall.map((s) => [s.topicId, s.missing]).sort()).toEqual([[chem.id, 1], [cells.id, 2]].sort());
    expect(fills[0].shortfall[0].avoidTitles.length).toBeGreaterThan(0);

    // Deliver generated lessons concurrently: the cap (3 pending per topic) must hold.
    const extra = await db.sql.query(
      "insert into public.lessons (topic_id, difficulty, title, normalized_title, content, source) select $1::uuid, 'easy', 'Extra ' || g, 'extra ' || g, '{}'::jsonb, 'generated' from generate_series(1, 6) g returning id",
      [chem.id],
    );
    const ids = extra.map((r) => r.id as string);
    const delivered = await Promise.all([
      service.rpc("fyp_deliver", { p_user_id: u.userId, p_lesson_ids: ids.slice(0, 3), p_cap: 3 }),
      service.rpc("fyp_deliver", { p_user_id: u.userId, p_lesson_ids: ids.slice(3), p_cap: 3 }),
      service.rpc("fyp_deliver", { p_user_id: u.userId, p_lesson_ids: ids, p_cap: 3 }),
    ]);
    expect(delivered.reduce((n, d) => n + d.delivered, 0)).toBe(1);
    const pending = await db.sql.query("select count(*)::int as n from public.feed_items where user_id = $1 and topic_id = $2 and status = 'pending'", [u.userId, chem.id]);
    expect(pending[0].n).toBe(3);
  });

  it.skipIf(skip)("fyp_sweep_plan tops up low feeds and reports the shortfall per learner", async () => {
    const plan = await service.rpc("fyp_sweep_plan", { p_cap: 3, p_max_learners: 100 });
    expect(plan.learnersToppedUp).toBeGreaterThan(0);
    expect(plan.shortfall.length).toBeGreaterThan(0);
    expect(plan.shortfall.every((s) => typeof s.userId === "string" && s.missing > 0)).toBe(true);
    const again = await service.rpc("fyp_sweep_plan", { p_cap: 3, p_max_learners: 100 });
    expect(again.fromLibrary).toBe(0);
  });

  it.skipIf(skip)("take_rate_limit is a token bucket shared through the database", async () => {
    const key = `ip:${randomUUID()}`;
    const take = () => service.rpc("take_rate_limit", { p_key: key, p_capacity: 3, p_refill_per_second: 0.5, p_cost: 1 });
    const results = await Promise.all([take(), take(), take(), take(), take()]);
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    const denied = results.find((r) => !r.allowed)!;
    expect(denied.retryAfterMs).toBeGreaterThan(0);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(2000);
  });

  it.skipIf(skip)("latency percentiles from the rollup histogram stay within 5% of the exact ones", async () => {
    // A day of its own, far from the other tests' events; latencies spread over three orders of magnitude.
    const day = "2024-02-29";
    const latencies = Array.from({ length: 400 }, (_, i) => Math.round(40 * Math.pow(1.017, i)));
    const events = latencies.map((latencyMs, i) =>
      usageEvent({ mode: "single", createdAt: `${day}T${String(i % 24).padStart(2, "0")}:00:00.000Z`, latencyMs }),
    );
    await service.rpc("insert_usage_events", { p_events: events });
    const admin = db.provider.as({ role: "authenticated", userId: ADMIN });
    const usage = await admin.rpc("admin_usage", {
      p_from: day, p_to: day, p_group_by: "mode",
    });
    const sorted = [...latencies].sort((a, b) => a - b);
    const exact = (p: number) => sorted[Math.ceil(p * sorted.length) - 1];
    const row = usage.latency.find((l) => l.mode === "single")!;
    expect(row.calls).toBe(400);
    expect(Math.abs(row.p50Ms! - exact(0.5)) / exact(0.5)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(row.p95Ms! - exact(0.95)) / exact(0.95)).toBeLessThanOrEqual(0.05);
  });

  it.skipIf(skip)("insert_usage_events is idempotent by id, keeps every field and feeds the rollup", async () => {
    const day = new Date().toISOString().slice(0, 10);
    const batch = [
      usageEvent({}),
      usageEvent({ mode: "repair", lessonsAsked: 1, lessonsValid: 1, promptTokens: 500, cachedTokens: 0, completionTokens: 400, costUsd: 0.002, counterfactualPromptTokens: null, counterfactualCostUsd: null, latencyMs: 3000 }),
      usageEvent({ mode: "single-call", lessonsValid: 0, errorCode: "timeout", httpStatus: null, finishReason: null, costUsd: 0, completionTokens: 0, counterfactualCostUsd: 0.004, counterfactualPromptTokens: 1200, latencyMs: 60000, circuitOpen: true, userId: null, feature: "fyp-sweep" }),
    ];
    expect(await service.rpc("insert_usage_events", { p_events: batch })).toEqual({ inserted: 3 });
    expect(await service.rpc("insert_usage_events", { p_events: batch })).toEqual({ inserted: 0 });
    expect(await service.rpc("insert_usage_events", { p_events: [] })).toEqual({ inserted: 0 });
    await expect(service.rpc("insert_usage_events", { p_events: [{ ...batch[0], id: "nope" }] })).rejects.toMatchObject({ message: "invalid_request" });

    const admin = db.provider.as({ role: "authenticated", userId: ADMIN });
    const { events } = await admin.rpc("admin_usage_events", {
      p_from: new Date(Date.now() - 3_600_000).toISOString(), p_to: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const stored = events.find((e) => e.id === batch[0].id)!;
    const { userEmail, ...fields } = stored;
    expect(userEmail).toBe("learner@example.com");
    expect(fields).toEqual({ ...batch[0], createdAt: new Date(batch[0].createdAt).toISOString() });
    const errorsOnly = await admin.rpc("admin_usage_events", {
      p_from: new Date(Date.now() - 3_600_000).toISOString(), p_to: new Date(Date.now() + 3_600_000).toISOString(), p_errors_only: true,
    });
    expect(errorsOnly.events.map((e) => e.errorCode)).toEqual(["timeout"]);

    const usage = await admin.rpc(
      "admin_usage", { p_from: day, p_to: day, p_group_by: "mode" },
    );
    expect(usage.timezone).toBe("UTC");
    expect(usage.totals).toMatchObject({ calls: 3, failedCalls: 1, lessonsAsked: 11, lessonsValid: 6, promptTokens: 2500, costUsd: 0.012 });
    // Saved = counterfactual − actual on single-call rows: (0.016 − 0.01) + (0.004 − 0) = 0.01.
    expect(usage.totals.savedUsd).toBeCloseTo(0.01, 6);
    expect(usage.totals.counterfactualCostUsd).toBeCloseTo(0.022, 6);
    expect(usage.totals.savedPromptTokens).toBe((4000 - 1000) + (1200 - 1000));
    expect(usage.totals.fallbackShare).toBeCloseTo(1 / 6, 3);
    expect(usage.groups.map((g) => g.key).sort()).toEqual(["repair", "single-call"]);
    expect(usage.failuresByCode).toEqual({ timeout: 1 });
    expect(usage.latency.find((l) => l.mode === "repair")).toMatchObject({ p50Ms: 3000, p95Ms: 3000 });

    const byUser = await admin.rpc("admin_usage", { p_from: day, p_to: day, p_group_by: "user" });
    expect(byUser.groups.map((g) => g.label).sort()).toEqual(["learner@example.com", "no user"]);
    const top = await admin.rpc("admin_top_users", { p_from: day, p_to: day, p_limit: 5 });
    expect(top.users).toEqual([expect.objectContaining({ email: "learner@example.com", calls: 2 })]);
    await expect(rpcUnchecked(admin, "admin_usage", { p_from: day, p_to: day, p_group_by: "planet" })).rejects.toMatchObject({ message: "invalid_request" });

    // Non-day groupings come most expensive first.
    await service.rpc("insert_usage_events", { p_events: [usageEvent({ model: "cheap", costUsd: 0.0001 }), usageEvent({ model: "pricey", costUsd: 1.25 })] });
    const byModel = await admin.rpc("admin_usage", { p_from: day, p_to: day, p_group_by: "model" });
    expect(byModel.groups.map((g) => g.key)).toEqual(["pricey", "sim-large", "cheap"]);
    const byDay = await admin.rpc("admin_usage", { p_from: day, p_to: day, p_group_by: "day" });
    expect(byDay.groups.map((g) => g.key)).toEqual([day]);
  });
});
