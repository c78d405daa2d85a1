// Usage rollups are sharded by event id (supabase/migrations/20261129000700_usage_rollup_shards.sql), so
// concurrent usage inserts for the same day, model, mode, feature and user do not queue on one row.
// Real server only: PGlite has one connection, so nothing there is ever concurrent.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb, testDatabaseUrl } from "@/lib/db/testing";
import type { SqlTx } from "@/lib/db/sql-executor";

const skip = !testDatabaseUrl();

/** A random event id whose last byte is `lastByte` (the rollup shard is that byte & 7). */
function idWithLastByte(lastByte: number): string {
  return randomUUID().slice(0, -2) + lastByte.toString(16).padStart(2, "0");
}

function event(id: string) {
  return {
    id, createdAt: new Date().toISOString(), requestId: randomUUID(), userId: null, feature: "similar",
    mode: "single-call", provider: "sim", model: "sim-large", attempt: 1, lessonsAsked: 1, lessonsValid: 1,
    promptTokens: 100, cachedTokens: 0, completionTokens: 200, latencyMs: 500, ttftMs: 100, httpStatus: 200,
    finishReason: "stop", errorCode: null, costUsd: 0.001, inputUsd: 0.0003, cachedUsd: 0, outputUsd: 0.0007,
    counterfactualPromptTokens: null, counterfactualCostUsd: null, priceVersion: "2026-11", circuitOpen: false,
  };
}

async function insert(tx: SqlTx, id: string) {
  await tx.query("set local lock_timeout = '3s'");
  await tx.query("select public.insert_usage_events($1::jsonb)", [[event(id)]]);
}

describe("usage rollup shards on the real server", () => {
  let db: TestDb;
  beforeAll(async () => {
    if (skip) return;
    db = await createTestDb({ kind: "postgres" });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it.skipIf(skip)("8 inserts holding open transactions on the same day's rollup all get through; a 9th on a held shard waits", async () => {
    let inserted = 0;
    let releaseAll!: () => void;
    const allInserted = new Promise<void>((resolve) => (releaseAll = resolve));
    let releaseHolders!: () => void;
    const holdersMayCommit = new Promise<void>((resolve) => (releaseHolders = resolve));

    // Each writer inserts, then keeps its transaction (and its rollup row locks) open until all 8 have
    // inserted. With one rollup row per day the second writer would wait on the first: lock_timeout.
    const started = Date.now();
    const writers = Array.from({ length: 8 }, (_, shard) =>
      db.sql.transaction(async (tx) => {
        await insert(tx, idWithLastByte(shard));
        if (++inserted === 8) releaseAll();
        await holdersMayCommit;
      }),
    );
    // Either all 8 have inserted, or one writer failed (it waited past lock_timeout on a held row).
    const outcome = await Promise.race([
      allInserted.then(() => "all inserted"),
      ...writers.map((w) => w.then(() => new Promise<string>(() => {}), (err: unknown) => `a writer failed: ${String(err)}`)),
    ]);
    const allInsertedMs = Date.now() - started;
    expect(outcome).toBe("all inserted");

    // Control: a writer whose event lands in a shard that is held must wait, so the test can fail.
    const blocked = db.sql.transaction((tx) => insert(tx, idWithLastByte(8))); // shard 8 & 7 = 0
    await expect(blocked).rejects.toThrow(/lock timeout/i);

    releaseHolders();
    await Promise.all(writers);
    expect(allInsertedMs).toBeLessThan(3_000);

    const rows = await db.sql.query(
      "select count(*)::int as n, sum(calls)::int as calls, sum(cost_usd)::float8 as cost from public.usage_daily where day = (now() at time zone 'UTC')::date",
    );
    expect(rows[0]).toEqual({ n: 8, calls: 8, cost: 0.008 });
    const spend = await db.sql.query("select sum(calls)::int as calls from public.spend_days where day = (now() at time zone 'UTC')::date");
    expect(spend[0].calls).toBe(8);
  });
});
