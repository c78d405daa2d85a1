// The app's side of the slow lane on a seeded database: a submit job takes the background allowance
// and opens a generation request, the batch's lessons (and the fast lane's) are saved into that
// request's slots in the shared library, and the request is finished; a retried job makes nothing new.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import type { GenerationDeps } from "@/lib/generation/deps";
import { libraryDelivery, submitSlowJob } from "@/lib/slowlane/app";
import { pollSlowLane } from "@/lib/slowlane/engine";
import { pollUntilDone, slowWorld } from "./harness";

describe("slow lane: saving to the library", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb({ seed: true });
  }, 120_000);
  afterAll(async () => {
    await db?.cleanup();
  });

  it("a batch that expires half done: all 10 lessons saved under one generation request, which succeeds", async () => {
    const service = db.provider.as({ role: "service_role" });
    const w = slowWorld(db, { timeScale: 1e-6, batchExpireRate: 1, batchExpireDoneFraction: 0.5 }, { resubmitLeadMs: 1e6 * 3600_000 });
    const gen: GenerationDeps = { service: async () => service, llm: w.llm, usage: w.usage, clock: w.sim.clock };
    const deps = { ...w.deps, delivery: libraryDelivery(gen, 2) };
    const [topic] = await db.sql.query("select t.id, t.name as topic, s.name as subject from public.topics t join public.subjects s on s.id = t.subject_id order by t.id limit 1");
    const job = { topicId: String(topic.id), difficulty: "easy" as const, need: 10, learners: [], subject: String(topic.subject), topic: String(topic.topic), avoidTitles: [], deadlineAt: Math.round(w.sim.clock.now() + 1e5 * 3600_000) };

    const first = await submitSlowJob(gen, deps, job);
    expect(first).toMatchObject({ lane: "slow", created: true });
    const retry = await submitSlowJob(gen, deps, job);
    expect(retry).toMatchObject({ lane: "slow", created: false });
    expect((await w.batchStats()).batchesCreated).toBe(1);

    await pollUntilDone(deps, pollSlowLane);
    const requestId = first.lane === "slow" ? (first.batch.payload as { group: { requestId: string } }).group.requestId : "";
    const saved = await db.sql.query("select generation_slot, model from public.lessons where generation_request_id = $1 order by generation_slot", [requestId]);
    expect(saved.map((r) => r.generation_slot)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const requests = await db.sql.query("select id, status from public.generation_requests where feature = 'fyp-sweep' order by created_at");
    // The job's request succeeded; the retry's own request was closed as cancelled at once.
    expect(requests.find((r) => r.id === requestId)?.status).toBe("succeeded");
    expect(requests.filter((r) => r.id !== requestId).map((r) => r.status)).toEqual(["cancelled"]);
  }, 60_000);

  it("nothing is submitted once the deployment's daily spend cap is reached", async () => {
    const service = db.provider.as({ role: "service_role" });
    const w = slowWorld(db, { timeScale: 1e-6 });
    const gen: GenerationDeps = { service: async () => service, llm: w.llm, usage: w.usage, clock: w.sim.clock };
    const deps = { ...w.deps, delivery: libraryDelivery(gen, 2) };
    const [topic] = await db.sql.query("select t.id, t.name as topic, s.name as subject from public.topics t join public.subjects s on s.id = t.subject_id order by t.id offset 1 limit 1");
    const job = { topicId: String(topic.id), difficulty: "easy" as const, need: 4, learners: [], subject: String(topic.subject), topic: String(topic.topic), avoidTitles: [], deadlineAt: Math.round(w.sim.clock.now() + 1e5 * 3600_000) };
    const { resetServerEnvCache } = await import("@/lib/env");
    const before = process.env.SPEND_CAP_DAILY_USD;
    process.env.SPEND_CAP_DAILY_USD = "0.000001";
    resetServerEnvCache();
    try {
      await db.sql.query("insert into public.spend_days (day, shard, cost_usd) values ((now() at time zone 'utc')::date, 0, 1) on conflict (day, shard) do update set cost_usd = excluded.cost_usd");
      expect(await submitSlowJob(gen, deps, job)).toEqual({ lane: "none", reason: "spend_cap" });
      expect((await w.batchStats()).batchesCreated).toBe(0);
    } finally {
      if (before === undefined) delete process.env.SPEND_CAP_DAILY_USD;
      else process.env.SPEND_CAP_DAILY_USD = before;
      resetServerEnvCache();
    }
  }, 60_000);
});
