// The database usage sink (lib/usage/db-sink.ts): retries, keeps failed events for the next write,
// reports losses and never throws into the request.
import { describe, expect, it } from "vitest";
import { contractDb } from "@/lib/db/contract-db";
import type { Db } from "@/lib/db/port";
import { createDbUsageSink } from "@/lib/usage/db-sink";
import type { UsageEvent } from "@/lib/usage/types";

const noSleep = { now: () => 0, sleep: async () => undefined };

function event(id: string): UsageEvent {
  return {
    id, createdAt: new Date(0).toISOString(), requestId: null, userId: null, feature: "bench", mode: "single", provider: "sim",
    model: "sim-standard", attempt: 1, lessonsAsked: 1, lessonsValid: 1, promptTokens: 10, cachedTokens: 0, completionTokens: 10,
    latencyMs: 1, ttftMs: null, httpStatus: 200, finishReason: "stop", errorCode: null, costUsd: 0, inputUsd: 0, cachedUsd: 0, outputUsd: 0, counterfactualPromptTokens: null,
    counterfactualCostUsd: null, priceVersion: "v1", circuitOpen: false,
  };
}

function flakyDb(failures: number) {
  const written: string[] = [];
  let calls = 0;
  const db: Db = contractDb(async (fn, args) => {
    calls++;
    expect(fn).toBe("insert_usage_events");
    if (calls <= failures) throw new Error("connection reset");
    for (const e of args.p_events as UsageEvent[]) if (!written.includes(e.id)) written.push(e.id);
    return { inserted: (args.p_events as UsageEvent[]).length };
  });
  return { db, written, calls: () => calls };
}

describe("db usage sink", () => {
  it("retries a failed insert and writes once it succeeds", async () => {
    const f = flakyDb(2);
    const sink = createDbUsageSink({ db: async () => f.db, clock: noSleep, onFailure: () => expect.fail("no loss expected") });
    await sink.record([event("a"), event("b")]);
    expect(f.written).toEqual(["a", "b"]);
    expect(f.calls()).toBe(3);
  });

  it("does not throw, reports, and writes the backlog with the next events", async () => {
    const f = flakyDb(3);
    const reported: string[][] = [];
    const sink = createDbUsageSink({ db: async () => f.db, clock: noSleep, attempts: 3, onFailure: (ev) => reported.push(ev.map((e) => e.id)) });
    await expect(sink.record([event("a")])).resolves.toBeUndefined();
    expect(reported).toEqual([["a"]]);
    expect(sink.backlogSize()).toBe(1);
    await sink.record([event("b")]);
    expect(f.written).toEqual(["a", "b"]);
    expect(sink.backlogSize()).toBe(0);
  });
});
