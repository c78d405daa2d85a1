// The slow lane's synchronous variant and its line size: work that cannot wait for a batch goes
// through flex calls (the batch price) where the provider sells flex, and falls back to the fast lane
// when flex answers 429 resource unavailable; batch lines carry up to 10 lessons within the model's
// output budget. "Paid" is checked against what the simulator actually served.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { lineSize, pollSlowLane, submitSlowGroup } from "@/lib/slowlane/engine";
import { costSplit } from "@/lib/usage/cost";
import { group, pollUntilDone, slowWorld } from "./harness";

const HOUR = 3600_000;

describe("slow lane: flex and line size", () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb();
  }, 120_000);
  afterEach(async () => {
    await db?.cleanup();
  });

  it("a group whose deadline is near goes through flex at the flex price, each flex call recorded once", async () => {
    const w = slowWorld(db, { timeScale: 1e-6, flex429Rate: 0 }, { minLeadMs: 2 * HOUR, flex: true });
    const out = await submitSlowGroup(w.deps, group("near-flex", 4, w.sim.clock.now() + HOUR));
    expect(out).toMatchObject({ lane: "fast", reason: "deadline_near", delivered: 4, viaFlex: 4 });
    const stats = await w.batchStats();
    expect(stats.batchesCreated).toBe(0);
    const events = w.usage.events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.lane === "flex")).toBe(true);
    // Every answered flex call went to the simulator as flex and is billed at half the standard price.
    expect(events.filter((e) => e.httpStatus === 200)).toHaveLength(stats.flexCalls);
    for (const e of events) {
      const standard = costSplit(e.provider, e.model, { promptTokens: e.promptTokens, cachedTokens: e.cachedTokens, completionTokens: e.completionTokens }).totalUsd;
      expect(e.costUsd).toBeCloseTo(standard * 0.5, 8);
    }
    expect(events.reduce((s, e) => s + e.lessonsValid, 0)).toBe(4);
  }, 60_000);

  it("flex answering 429 resource unavailable: the slots go to the fast lane, each delivered once", async () => {
    const w = slowWorld(db, { timeScale: 1e-6, flex429Rate: 1 }, { minLeadMs: 2 * HOUR, flex: true });
    const out = await submitSlowGroup(w.deps, group("near-429", 3, w.sim.clock.now() + HOUR));
    expect(out).toMatchObject({ lane: "fast", reason: "deadline_near", delivered: 3, viaFlex: 0 });
    const stats = await w.batchStats();
    expect(stats.flex429).toBeGreaterThan(0);
    expect(stats.flex429).toBe(stats.flexCalls);
    // The refused flex attempts cost nothing; the lessons were paid once, in the fast lane.
    expect(w.usage.events.filter((e) => e.lane === "flex").every((e) => e.costUsd === 0 && e.lessonsValid === 0)).toBe(true);
    expect(w.usage.events.filter((e) => e.lane === "fast").reduce((s, e) => s + e.lessonsValid, 0)).toBe(3);
    expect([...w.delivery.bySlot.values()].every((d) => d.length === 1)).toBe(true);
    expect(w.delivery.bySlot.size).toBe(3);
  }, 60_000);

  it("batch lines carry up to 10 lessons, within the model's output budget", async () => {
    const w = slowWorld(db, { timeScale: 1e-6, batchMedianMs: 60_000, batchSigma: 0, batchExpireRate: 0 }, { maxPerLine: 10 });
    const t = w.llm.target("background");
    expect(lineSize(t, 10)).toBe(10);
    expect(lineSize({ capabilities: { ...t.capabilities, maxOutputTokens: 4000 } }, 10)).toBe(5); // 5 × 750 + 200 ≤ 4000
    const out = await submitSlowGroup(w.deps, group("big-lines", 23, w.sim.clock.now() + 24 * HOUR));
    expect(out.lane).toBe("slow");
    const summaries = await pollUntilDone(w.deps, pollSlowLane);
    expect(summaries.reduce((s, x) => s + x.fromBatch + x.fromFastLane, 0)).toBe(23);
    const batchEvents = w.usage.events.filter((e) => e.lane === "batch");
    expect(batchEvents.map((e) => e.lessonsAsked).sort()).toEqual([7, 8, 8]);
  }, 60_000);
});
