// The cron route on the job engine: with an engine in this process it plans the sweep and enqueues one
// fyp-generate job per (topic, difficulty) group instead of generating inline, and makes no model call.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/fyp/generate-pending/route";
import { sweepQueuedResponse } from "@/lib/contracts";
import { QUEUES, startInProcessWorker, stopInProcessWorker } from "@/lib/jobs";
import { call, CRON_SECRET, makeTopics, makeUser, setupHarness, type Harness } from "../api/harness";

let h: Harness;
beforeAll(async () => {
  h = await setupHarness();
});
afterAll(async () => {
  await stopInProcessWorker();
  await h?.cleanup();
});

describe("cron route with the job engine", () => {
  it("enqueues one job per group, answers with what it enqueued, and a second tick enqueues nothing while those jobs wait", async () => {
    const pg = await PGlite.create();
    // An engine without handlers: the jobs stay queued where the test can count them.
    const running = await startInProcessWorker({ pglite: pg, handlers: {}, engine: { log: () => {} } });
    const topics = await makeTopics(h, 2, "Botany");
    const learners = [];
    for (let i = 0; i < 6; i++) learners.push(await makeUser(h, `gardener${i}@example.com`));
    const values = learners.flatMap((u, i) => topics.map((t) => `('${u.userId}', '${t.id}', '${i % 2 === 0 ? "easy" : "medium"}')`));
    await h.db.sql.exec(`insert into public.topic_follows (user_id, topic_id, difficulty) values ${values.join(",")}`);
    const calls = h.simCalls();

    const res = await call(POST, "POST", "/api/fyp/generate-pending", { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(res.status).toBe(200);
    const body = sweepQueuedResponse.parse(await res.json());
    expect(body).toMatchObject({ queued: true, groups: 4, enqueued: 4, alreadyQueued: 0 });
    expect(h.simCalls() - calls).toBe(0); // nothing generated inline
    const jobs = await running.engine.boss.findJobs(QUEUES.generate, { queued: true });
    expect(jobs).toHaveLength(4);
    expect(jobs.map((j) => j.singletonKey).sort()).toEqual(topics.flatMap((t) => [`${t.id}:easy`, `${t.id}:medium`]).sort());

    // The feeds are still low, so the next tick plans the same groups; their singleton keys drop them.
    const second = sweepQueuedResponse.parse(await (await call(POST, "POST", "/api/fyp/generate-pending", { headers: { authorization: `Bearer ${CRON_SECRET}` } })).json());
    expect(second).toMatchObject({ groups: 4, enqueued: 0, alreadyQueued: 4 });
    expect(await running.engine.boss.findJobs(QUEUES.generate, { queued: true })).toHaveLength(4);
    await stopInProcessWorker();
    await pg.close();
  }, 120_000);
});
