// A learner's top-up through the job engine, through the routes: the request fills from the library,
// takes the top-up allowance and enqueues an urgent job (202 with its id) instead of generating; the
// feed polls GET /api/fyp/top-ups/{id} until the worker has generated and delivered. One top-up in
// flight per learner: a second ask hands back the same job and takes no allowance. Someone else's job
// is a 404. The worker runs in this process on its own PGlite (as the dev server's does).
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as topUpGET } from "@/app/api/fyp/top-ups/[id]/route";
import { POST } from "@/app/api/fyp/generate-pending/route";
import { topUpResponse, topUpStatusResponse } from "@/lib/contracts";
import { QUEUES, startInProcessWorker, stopInProcessWorker } from "@/lib/jobs";
import { appJobHandlers } from "@/lib/jobs/app-handlers";
import { call, errorCode, makeLesson, makeTopics, makeUser, setupHarness, type Harness } from "../api/harness";
import { waitFor } from "./support";

let h: Harness;
let pg: PGlite;
beforeAll(async () => {
  h = await setupHarness({ profile: "fast", timeScale: 0.05 });
  pg = await PGlite.create();
});
afterAll(async () => {
  await stopInProcessWorker();
  await pg?.close();
  await h?.cleanup();
});

const allowanceUsed = async (userId: string) =>
  ((await h.db.sql.query("select coalesce(sum(used), 0)::int as n from public.generation_allowances where scope = 'topup' and subject = $1", [userId]))[0] as { n: number }).n;

describe("learner top-up on the job engine", () => {
  it("answers 202 with a job, generates in the worker, and the status route follows it to done", async () => {
    const topics = await makeTopics(h, 2, "Zoology");
    await makeLesson(h, topics[0].id, "How birds fly", "easy");
    const user = await makeUser(h, "urgent@example.com");
    const other = await makeUser(h, "nosy@example.com");
    for (const t of topics) await user.db.rpc("set_topic_follow", { p_topic_id: t.id, p_follow: true, p_difficulty: "easy" });

    // The engine first, with no worker slots yet: the job waits where the test can see it.
    const running = await startInProcessWorker({ pglite: pg, handlers: {}, engine: { log: () => {} } });
    const calls = h.simCalls();
    const res = await call(POST, "POST", "/api/fyp/generate-pending", { cookie: user.cookie });
    expect(res.status).toBe(202);
    const first = topUpResponse.parse(await res.json());
    expect(first).toMatchObject({ status: "queued", fromLibrary: 1, generated: 0, pending: 1, jobId: expect.any(String) });
    expect(h.simCalls()).toBe(calls); // nothing generated in the request
    expect(await allowanceUsed(user.userId)).toBe(3); // 1 missing on topic 0, 2 on topic 1: taken before anything is spent

    // A second ask while it waits: the same job, no second grant.
    const second = topUpResponse.parse(await (await call(POST, "POST", "/api/fyp/generate-pending", { cookie: user.cookie })).json());
    expect(second).toMatchObject({ status: "queued", jobId: first.jobId });
    expect(await allowanceUsed(user.userId)).toBe(3);
    expect(await running.engine.boss.findJobs(QUEUES.urgent, { queued: true })).toHaveLength(1);

    const status = (who: { cookie: string }, id = first.jobId!) => call(topUpGET, "GET", `/api/fyp/top-ups/${id}`, { cookie: who.cookie, params: { id } });
    expect(topUpStatusResponse.parse(await (await status(user)).json())).toMatchObject({ state: "queued", delivered: null });
    const foreign = await status(other);
    expect([foreign.status, await errorCode(foreign)]).toEqual([404, "not_found"]);
    const bad = await status(user, "not-a-uuid");
    expect([bad.status, await errorCode(bad)]).toEqual([400, "invalid_request"]);

    // Now the worker: the same process, the app's handlers (the test's database and simulator).
    await stopInProcessWorker();
    await startInProcessWorker({ pglite: pg, handlers: appJobHandlers(), engine: { log: () => {} }, worker: { pollingIntervalSeconds: 0.5, urgentPollingIntervalSeconds: 0.5 } });
    const done = await waitFor(async () => {
      const s = topUpStatusResponse.parse(await (await status(user)).json());
      return s.state === "done" || s.state === "failed" ? s : undefined;
    }, 60_000, "the top-up job");
    expect(done).toMatchObject({ state: "done", delivered: 3 });
    expect(h.simCalls()).toBeGreaterThan(calls);
    const feed = await user.db.rpc("get_feed");
    expect(feed.topics.map((t) => t.pending)).toEqual([2, 2]);
    expect(await allowanceUsed(user.userId)).toBe(3); // all generated: nothing refunded

    // Full feed: the next ask needs no job and no allowance.
    const full = await call(POST, "POST", "/api/fyp/generate-pending", { cookie: user.cookie });
    expect(full.status).toBe(200);
    expect(topUpResponse.parse(await full.json())).toMatchObject({ status: "done", jobId: null, generated: 0, pending: 4 });
  }, 120_000);
});
