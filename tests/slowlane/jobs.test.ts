// The slow lane on the job engine (pg-boss on PGlite, in-process): a submit job enqueued twice makes
// one batch; the poll queue settles it; a submit job retried after a failure creates no second batch.
import { PGlite } from "@electric-sql/pglite";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/db/testing";
import { startJobEngine, startWorker } from "@/lib/jobs";
import { pollSlowLane, submitSlowGroup } from "@/lib/slowlane/engine";
import { enqueueSlow, SLOW_QUEUES, slowGroupKey } from "@/lib/slowlane/queues";
import { group, slowWorld } from "./harness";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function until<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("slow lane jobs", () => {
  it("submit (enqueued twice, failing once) and poll on the job engine: one batch, every lesson delivered once", async () => {
    const db = await createTestDb();
    cleanups.push(() => db.cleanup());
    const w = slowWorld(db, { timeScale: 1e-6, batchExpireRate: 0 });
    const pg = await PGlite.create();
    cleanups.push(() => pg.close());
    const engine = await startJobEngine({ kind: "pglite", pglite: pg }, { settings: { retryLimit: 2, retryDelaySeconds: 1 }, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1, log: () => {} });
    cleanups.push(() => engine.stop({ graceful: false, timeoutMs: 1000 }));
    let attempts = 0;
    await startWorker(
      engine,
      {
        slowLane: {
          pollCron: "* * * * *",
          async submit(job) {
            attempts++;
            const g = group(slowGroupKey(job), job.need, job.deadlineAt, { topicId: job.topicId, subject: job.subject, topic: job.topic, difficulty: job.difficulty });
            // The first attempt dies after the provider created the batch, before its id was saved.
            const deps = attempts === 1 ? { ...w.deps, afterCreate: () => Promise.reject(new Error("worker died")) } : w.deps;
            return submitSlowGroup(deps, g);
          },
          poll: () => pollSlowLane(w.deps),
        },
      },
      { pollingIntervalSeconds: 0.5, schedulePlan: false },
    );
    const job = { topicId: "t-1", difficulty: "easy" as const, need: 4, subject: "Biology", topic: "Cells", deadlineAt: w.sim.clock.now() + 1e5 * 3600_000 };
    const first = await enqueueSlow(engine, job);
    const second = await enqueueSlow(engine, job); // the same group while the first waits: dropped
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    await until(async () => (attempts >= 2 ? true : undefined), 20_000, "the retried submit");
    expect((await w.batchStats()).batchesCreated).toBe(1);
    for (let i = 0; i < 40 && w.delivery.bySlot.size < 4; i++) {
      await engine.boss.send(SLOW_QUEUES.poll, null);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(w.delivery.bySlot.size).toBe(4);
    for (const lessons of w.delivery.bySlot.values()) expect(lessons).toHaveLength(1);
    expect((await w.batchStats()).batchesCreated).toBe(1);
    expect(await w.store.open()).toEqual([]);
  }, 60_000);
});
