// Quota: reserve and settle in one statement each. On the real server, 50 concurrent reservations of one
// lesson against 20 remaining must grant exactly 20; on PGlite the same outcome holds sequentially.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";
import type { Db } from "@/lib/db/port";

async function newLearner(service: Db, email: string): Promise<string> {
  const r = await service.rpc("sign_in_local_user", { p_email: email, p_promote_admin: false });
  return r.userId;
}

const kinds = testDbKinds();

describe.each(kinds)("quota on $kind", ({ kind, skip }) => {
  let db: TestDb;
  let service: Db;
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDb({ kind });
    service = db.provider.as({ role: "service_role" });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it.skipIf(skip)("50 concurrent reservations of 1 against 20 remaining grant exactly 20", async () => {
    const userId = await newLearner(service, "race@example.com");
    const results = await Promise.all(
      Array.from({ length: 50 }, () => service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 1, p_request_id: null })),
    );
    expect(results.filter((r) => r.granted)).toHaveLength(20);
    const denied = results.filter((r) => !r.granted);
    expect(denied).toHaveLength(30);
    expect(denied.every((r) => r.reservationId === null && r.retryAfterSeconds! > 0 && r.remaining === 0)).toBe(true);
    const rows = await db.sql.query("select used, reserved from public.quota_days where user_id = $1", [userId]);
    expect(rows).toEqual([{ used: 0, reserved: 20 }]);
    const held = await db.sql.query("select count(*)::int as n from public.quota_reservations where user_id = $1", [userId]);
    expect(held[0].n).toBe(20);
  });

  it.skipIf(skip)("settles once: keeps what was used, refunds the rest, and a repeat changes nothing", async () => {
    const userId = await newLearner(service, "settle@example.com");
    const r = await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 5, p_request_id: null });
    expect(r).toMatchObject({ granted: true, remaining: 15, lessonsPerDay: 20 });
    const first = await service.rpc("settle_quota", { p_reservation_id: r.reservationId!, p_used: 3 });
    expect(first).toEqual({ used: 3, refunded: 2, remaining: 17 });
    const again = await service.rpc("settle_quota", { p_reservation_id: r.reservationId!, p_used: 0 });
    expect(again).toEqual({ used: 3, refunded: 2, remaining: 17 });
    const quota = await db.provider.as({ role: "authenticated", userId }).rpc("get_my_quota");
    expect(quota).toMatchObject({ tier: "free", lessonsPerDay: 20, usedToday: 3, reserved: 0, remaining: 17 });
  });

  it.skipIf(skip)("refuses a reservation larger than what is left, and after seed_quota_usage(19) grants one", async () => {
    const userId = await newLearner(service, "nearly-out@example.com");
    await service.rpc("seed_quota_usage", { p_user_id: userId, p_used: 19 });
    const two = await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 2, p_request_id: null });
    expect(two).toMatchObject({ granted: false, remaining: 1 });
    const one = await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 1, p_request_id: null });
    expect(one).toMatchObject({ granted: true, remaining: 0 });
    const none = await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 1, p_request_id: null });
    expect(none.granted).toBe(false);
    expect(new Date(none.resetsAt).getTime()).toBeGreaterThan(Date.now());
  });

  it.skipIf(skip)("releases reservations a crashed server left held for over 30 minutes", async () => {
    const userId = await newLearner(service, "crashed@example.com");
    const r = await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 20, p_request_id: null });
    expect(r.granted).toBe(true);
    expect((await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 1, p_request_id: null })).granted).toBe(false);
    await db.sql.query("update public.quota_reservations set created_at = now() - interval '31 minutes' where id = $1", [r.reservationId]);
    const after = await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 1, p_request_id: null });
    expect(after).toMatchObject({ granted: true, remaining: 19 });
    // A late settle of the released reservation changes nothing.
    expect(await service.rpc("settle_quota", { p_reservation_id: r.reservationId!, p_used: 20 })).toMatchObject({ used: 0, remaining: 19 });
  });

  it.skipIf(skip)("uses the tier's limits (pro: 200 a day)", async () => {
    const userId = await newLearner(service, "pro-user@example.com");
    await db.sql.query("update public.profiles set tier = 'pro' where id = $1", [userId]);
    const r = await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 150, p_request_id: null });
    expect(r).toMatchObject({ granted: true, remaining: 50, lessonsPerDay: 200 });
  });

  it.skipIf(skip)("stops reserving once the month's spend reaches the tier's limit", async () => {
    const userId = await newLearner(service, "spender@example.com");
    await service.rpc("insert_usage_events", {
      p_events: [{
        id: crypto.randomUUID(), createdAt: new Date().toISOString(), requestId: null, userId, feature: "similar",
        mode: "single", provider: "sim", model: "m", attempt: 1, lessonsAsked: 1, lessonsValid: 1, promptTokens: 1,
        cachedTokens: 0, completionTokens: 1, latencyMs: 1, ttftMs: null, httpStatus: 200, finishReason: "stop",
        errorCode: null, costUsd: 2.5, inputUsd: 0, cachedUsd: 0, outputUsd: 2.5, counterfactualPromptTokens: null, counterfactualCostUsd: null, priceVersion: "t",
        circuitOpen: false,
      }],
    });
    const r = await service.rpc("reserve_quota", { p_user_id: userId, p_lessons: 1, p_request_id: null });
    expect(r).toMatchObject({ granted: false, reason: "monthly_spend" });
  });
});
