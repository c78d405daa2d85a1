// The slow lane end to end against the simulator's Batch API and a migrated database: a batch that
// expires half done, a worker that dies between "batch created" and "batch id saved", and a retried
// job. "Paid" is checked against what the simulator actually served.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { pollSlowLane, settleBatch, submitSlowGroup } from "@/lib/slowlane/engine";
import { group, pollUntilDone, slowWorld } from "./harness";

const HOUR = 3600_000;

describe("slow lane engine", () => {
  let db: TestDb;
  // A fresh database per test: open batches of one test are not another's to poll.
  beforeEach(async () => {
    db = await createTestDb();
  }, 120_000);
  afterEach(async () => {
    await db?.cleanup();
  });

  it("a batch that expires half done: the rest is delivered through the fast lane, no lesson paid twice", async () => {
    // Every batch expires at the end of its 24 h window with half its lines done; resubmitting needs
    // more lead than the deadline leaves, so what expired goes to the fast lane. (The clock runs a
    // million times faster than real time: the deadline is far so a slow test machine cannot pass it.)
    const w = slowWorld(db, { timeScale: 1e-6, batchExpireRate: 1, batchExpireDoneFraction: 0.5 }, { resubmitLeadMs: 1e6 * HOUR });
    const g = group("expire-half", 10, w.sim.clock.now() + 1e5 * HOUR);
    const submitted = await submitSlowGroup(w.deps, g);
    expect(submitted.lane).toBe("slow");
    const summaries = await pollUntilDone(w.deps, pollSlowLane);

    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ providerStatus: "expired", lines: 2, fromBatch: 5, toFastLane: 5, fromFastLane: 5, resubmitted: 0, failed: 0 });
    // Every slot delivered exactly once: 5 from the batch line that ran, 5 from the fast lane.
    expect([...w.delivery.bySlot.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `expire-half/${i}`).sort());
    for (const lessons of w.delivery.bySlot.values()) expect(lessons).toHaveLength(1);
    const lanes = [...w.delivery.bySlot.values()].map((l) => l[0].lane);
    expect(lanes.filter((l) => l === "batch")).toHaveLength(5);
    expect(lanes.filter((l) => l === "fast")).toHaveLength(5);

    // Paid = what the provider served: one event per batch line (the expired one at $0), and one per
    // fast-lane HTTP attempt, with exactly the simulator's tokens on each side.
    const stats = await w.batchStats();
    const batchEvents = w.usage.events.filter((e) => e.lane === "batch");
    const fastEvents = w.usage.events.filter((e) => e.lane === "fast");
    expect(batchEvents).toHaveLength(2);
    expect(stats.linesCompleted).toBe(1);
    expect(stats.linesExpired).toBe(1);
    expect(batchEvents.filter((e) => e.costUsd > 0)).toHaveLength(1);
    expect(batchEvents.find((e) => e.costUsd === 0)?.errorCode).toBe("batch_expired");
    expect(batchEvents.reduce((s, e) => s + e.completionTokens, 0)).toBe(stats.completionTokens);
    expect(batchEvents.reduce((s, e) => s + e.promptTokens, 0)).toBe(stats.promptTokens);
    const chat = w.sim.stats();
    expect(fastEvents).toHaveLength(chat.calls);
    expect(fastEvents.reduce((s, e) => s + e.completionTokens, 0)).toBe(chat.completionTokens);
    // Lessons paid for = lessons delivered: the batch line's 5 and the fast lane's 5, none twice.
    expect(w.usage.events.reduce((s, e) => s + e.lessonsValid, 0)).toBe(10);
    // The batch line is billed at half the fast price of the same tokens.
    const line = batchEvents.find((e) => e.costUsd > 0)!;
    const fastPrice = (line.promptTokens * 0.1 + line.completionTokens * 0.4) / 1e6; // sim-mini, standard
    expect(line.costUsd).toBeCloseTo(fastPrice * 0.5, 9);
    expect(w.delivery.finished).toEqual(["expire-half"]);
  }, 60_000);

  it("expired lines are resubmitted as a new batch when the deadline is far, never twice", async () => {
    const w = slowWorld(db, { timeScale: 1e-6, batchExpireRate: 1, batchExpireDoneFraction: 0.5 }, { resubmitLeadMs: 6 * HOUR, maxResubmits: 1 });
    const g = group("expire-resubmit", 10, w.sim.clock.now() + 1e5 * HOUR);
    await submitSlowGroup(w.deps, g);
    const summaries = await pollUntilDone(w.deps, pollSlowLane);
    // First batch: 5 delivered, 5 resubmitted as one line; the resubmission expires too (half of one
    // line is none of it) and, out of resubmissions, its 5 go to the fast lane.
    expect(summaries[0]).toMatchObject({ fromBatch: 5, resubmitted: 5, toFastLane: 0 });
    expect(summaries[1]).toMatchObject({ providerStatus: "expired", fromBatch: 0, resubmitted: 0, toFastLane: 5, fromFastLane: 5 });
    expect((await w.batchStats()).batchesCreated).toBe(2);
    expect(w.delivery.bySlot.size).toBe(10);
    for (const lessons of w.delivery.bySlot.values()) expect(lessons).toHaveLength(1);
    expect(w.usage.events.reduce((s, e) => s + e.lessonsValid, 0)).toBe(10);
  }, 60_000);

  it("a worker killed between 'batch created' and 'batch id saved': the poller recovers the batch from its metadata", async () => {
    const w = slowWorld(db, { timeScale: 1e-6, batchExpireRate: 0, batchMedianMs: HOUR });
    const g = group("crash-after-create", 7, w.sim.clock.now() + 1e5 * HOUR);
    let createdId: string | null = null;
    const dying = {
      ...w.deps,
      afterCreate: (id: string) => {
        createdId = id;
        throw new Error("worker killed");
      },
    };
    await expect(submitSlowGroup(dying, g)).rejects.toThrow("worker killed");
    // The provider has the batch; our row has no id yet.
    const [row] = await w.store.open();
    expect(row).toMatchObject({ submissionKey: "crash-after-create", status: "submitting", providerBatchId: null });
    expect((await w.batchStats()).batchesCreated).toBe(1);

    // The job is retried: it finds the row and creates nothing.
    const retry = await submitSlowGroup(w.deps, g);
    expect(retry).toMatchObject({ lane: "slow", created: false });
    expect((await w.batchStats()).batchesCreated).toBe(1);

    // The poller lists the provider's batches, matches the key in the metadata and takes it over.
    const first = await pollSlowLane(w.deps);
    expect(first.recovered).toBe(1);
    expect(first.resubmittedLost).toBe(0);
    await pollUntilDone(w.deps, pollSlowLane);
    expect((await w.batchStats()).batchesCreated).toBe(1);
    expect(createdId).not.toBeNull();
    expect(w.delivery.bySlot.size).toBe(7);
    for (const lessons of w.delivery.bySlot.values()) expect(lessons).toHaveLength(1);
  }, 60_000);

  it("a worker killed after recording but before creating: the poller creates the batch once", async () => {
    const w = slowWorld(db, { timeScale: 1e-6, batchExpireRate: 0, batchMedianMs: HOUR });
    const g = group("crash-before-create", 3, w.sim.clock.now() + 1e5 * HOUR);
    const failingClient = { ...w.client, files: { ...w.client.files, create: () => Promise.reject(new Error("worker killed")) } } as unknown as typeof w.client;
    await expect(submitSlowGroup({ ...w.deps, client: failingClient }, g)).rejects.toThrow("worker killed");
    expect((await w.batchStats()).batchesCreated).toBe(0);
    const first = await pollSlowLane(w.deps);
    expect(first).toMatchObject({ recovered: 0, resubmittedLost: 1 });
    await pollUntilDone(w.deps, pollSlowLane);
    expect((await w.batchStats()).batchesCreated).toBe(1);
    expect(w.delivery.bySlot.size).toBe(3);
  }, 60_000);

  it("an idempotent retry creates no second batch, and a chunk is never in two batches", async () => {
    const w = slowWorld(db, { timeScale: 1e-6, batchExpireRate: 0 });
    const g = group("retry-twice", 6, w.sim.clock.now() + 1e5 * HOUR);
    const a = await submitSlowGroup(w.deps, g);
    const b = await submitSlowGroup(w.deps, g);
    const c = await Promise.all([submitSlowGroup(w.deps, g), submitSlowGroup(w.deps, g)]);
    expect(a).toMatchObject({ lane: "slow", created: true });
    for (const r of [b, ...c]) expect(r).toMatchObject({ lane: "slow", created: false });
    expect((await w.batchStats()).batchesCreated).toBe(1);
    const ids = new Set([a, b, ...c].map((r) => (r.lane === "slow" ? r.batch.id : null)));
    expect(ids.size).toBe(1);
    await pollUntilDone(w.deps, pollSlowLane);
    expect(w.delivery.bySlot.size).toBe(6);
    expect(w.usage.events.filter((e) => e.lane === "batch")).toHaveLength(2);
  }, 60_000);

  it("a group whose deadline is near goes straight to the fast lane", async () => {
    const w = slowWorld(db, { timeScale: 1e-6 }, { minLeadMs: 2 * HOUR });
    const out = await submitSlowGroup(w.deps, group("near", 2, w.sim.clock.now() + 3600_000));
    expect(out).toMatchObject({ lane: "fast", reason: "deadline_near", delivered: 2 });
    expect((await w.batchStats()).batchesCreated).toBe(0);
    expect(w.usage.events.every((e) => e.lane === "fast")).toBe(true);
  }, 60_000);

  it("two pollers settling the same batch: the fast lane runs once, each batch line is recorded once", async () => {
    const w = slowWorld(db, { timeScale: 1e-6, batchExpireRate: 1, batchExpireDoneFraction: 0.5 }, { resubmitLeadMs: 1e6 * HOUR });
    const out = await submitSlowGroup(w.deps, group("two-pollers", 10, w.sim.clock.now() + 1e5 * HOUR));
    if (out.lane !== "slow") throw new Error("expected the slow lane");
    let batch = await w.client.batches.retrieve(out.batch.providerBatchId!);
    while (batch.status !== "expired") {
      await new Promise((r) => setTimeout(r, 20));
      batch = await w.client.batches.retrieve(batch.id);
    }
    const [row] = await w.store.open();
    const settled = await Promise.all([settleBatch(w.deps, row, batch), settleBatch(w.deps, row, batch)]);
    expect(settled.filter((s) => s === null)).toHaveLength(1);
    expect(settled.find((s) => s !== null)).toMatchObject({ fromBatch: 5, toFastLane: 5, fromFastLane: 5 });
    // The fast lane ran once: its calls are the simulator's, and every slot was delivered once.
    expect(w.usage.events.filter((e) => e.lane === "fast")).toHaveLength(w.sim.stats().calls);
    // Both pollers hand the batch's lessons to delivery (idempotent per slot: the library keeps the
    // first save of a slot); no slot gets a fast-lane lesson as well, none gets two.
    expect(w.delivery.bySlot.size).toBe(10);
    for (const lessons of w.delivery.bySlot.values()) {
      const lanes = new Set(lessons.map((l) => l.lane));
      expect(lanes.size).toBe(1);
      if (lanes.has("fast")) expect(lessons).toHaveLength(1);
    }
    // Both read the batch; its lines' events carry stable ids, so the database keeps each line once.
    const batchEvents = w.usage.events.filter((e) => e.lane === "batch");
    expect(batchEvents).toHaveLength(4);
    await db.provider.as({ role: "service_role" }).rpc("insert_usage_events", { p_events: w.usage.events });
    const [{ n }] = await db.sql.query("select count(*)::int as n from public.usage_events where lane = 'batch'");
    expect(n).toBe(2);
  }, 60_000);
});
