// The job engine on real databases: pg-boss on the local Postgres server (and on PGlite, the embedded
// default). Singleton keys, retries with backoff, dead letters, the admin stats and retrying a dead job.
import { PGlite } from "@electric-sql/pglite";
import { afterEach, describe, expect, it } from "vitest";
import { generateLessonBatch } from "@/lib/batch";
import { testDatabaseUrl } from "@/lib/db/testing";
import {
  QUEUES, enqueueGroups, enqueueTopUp, getJobEngine, jobStats, retryDeadJob, startInProcessWorker, startJobEngine, startWorker, stopInProcessWorker, type JobEngine,
} from "@/lib/jobs";
import { collect, createWorld, requests } from "../batch/harness";
import { createJobsTestDb, waitFor, type JobsTestDb } from "./support";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function serverEngine(db: JobsTestDb, settings: NonNullable<Parameters<typeof startJobEngine>[1]>["settings"] = {}): Promise<JobEngine> {
  const engine = await startJobEngine(
    { kind: "postgres", connectionString: db.url, maxConnections: 4 },
    { settings: { expireInSeconds: 30, retryLimit: 2, retryDelaySeconds: 1, retryDelayMaxSeconds: 4, ...settings }, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1, log: () => {} },
  );
  cleanups.push(() => engine.stop({ graceful: false, timeoutMs: 1000 }));
  return engine;
}

const quiet = () => {};
const LONG = 180_000;

describe.skipIf(!testDatabaseUrl())("job engine on the Postgres server", () => {
  it("a group is never generated twice at once: its singleton key drops a repeat while its job waits or runs", async () => {
    const db = await createJobsTestDb();
    cleanups.push(db.cleanup);
    const engine = await serverEngine(db);
    const world = createWorld({ profile: "instant" });
    let lessons = 0;
    let release!: () => void;
    const firstRunHeld = new Promise<void>((r) => (release = r));
    let runs = 0;

    const a = { topicId: "photosynthesis", difficulty: "easy", need: 2 };
    const b = { topicId: "mitosis", difficulty: "easy", need: 1 };
    // Before any worker picks them up: A twice and B once are queued, the repeats are dropped.
    const first = await enqueueGroups(engine, [a, a, b, a]);
    expect(first.filter((id) => id !== null)).toHaveLength(2);
    expect(first[1]).toBeNull();
    expect(first[3]).toBeNull();

    // Workers start only now, so the dedupe above is of jobs that are certainly still waiting.
    await startWorker(
      engine,
      {
        async generateGroup(job, ctx) {
          const key = `${job.topicId}:${job.difficulty}`;
          await db.sql`insert into job_runs (job_id, group_key, pid, attempt) values (${ctx.id}, ${key}, ${process.pid}, ${ctx.retryCount})`;
          // The first run of the group stays busy until the test has tried to start it again.
          if (key === "photosynthesis:easy" && runs++ === 0) await firstRunHeld;
          const results = await collect(generateLessonBatch(world.deps, requests(job.need, { topic: job.topicId })));
          lessons += results.filter((r) => r.ok).length;
          await db.sql`update job_runs set finished_at = clock_timestamp() where job_id = ${ctx.id}`;
        },
      },
      { concurrency: 4, pollingIntervalSeconds: 0.5 },
    );

    // A is running: a repeat is dropped too (a planner tick that finds A's feeds still low enqueues nothing).
    await waitFor(async () => ((await db.sql`select 1 from job_runs where group_key = 'photosynthesis:easy'`).length ? true : undefined), 60_000, "group A to start");
    const whileRunning = await enqueueGroups(engine, [a, a, a]);
    expect(whileRunning.every((id) => id === null)).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // several polls of 4 idle worker slots
    expect(await db.sql`select job_id from job_runs where group_key = 'photosynthesis:easy'`).toHaveLength(1);
    release();

    await waitFor(async () => {
      const rows = await db.sql<{ finished_at: Date | null }[]>`select finished_at from job_runs where group_key = 'photosynthesis:easy'`;
      return rows.length === 1 && rows[0].finished_at ? rows : undefined;
    }, 60_000, "A to finish");
    await waitFor(async () => ((await db.sql`select 1 from job_runs where group_key = 'mitosis:easy' and finished_at is not null`).length ? true : undefined), 30_000, "B");
    // Once A has finished, the group may be enqueued again (the next tick's job).
    await waitFor(async () => ((await enqueueGroups(engine, [a]))[0] !== null ? true : undefined), 30_000, "A to take a new job");
    await waitFor(async () => ((await db.sql`select 1 from job_runs where group_key = 'photosynthesis:easy' and finished_at is not null`).length === 2 ? true : undefined), 30_000, "A's second job");
    expect(lessons).toBe(2 + 1 + 2);

    const stats = await waitFor(async () => {
      const s = await jobStats(engine);
      const gen = s.find((r) => r.queue === QUEUES.generate)!;
      return gen.completed === 3 && gen.active === 0 ? gen : undefined;
    }, 30_000, "three completed generation jobs");
    expect(stats).toMatchObject({ queued: 0, failed: 0, deadLetterCount: 0, oldestWaitingSeconds: null });
  }, LONG);

  it("a failing job retries with growing delays, then lands in the dead-letter queue; the admin sees it and retries it", async () => {
    const db = await createJobsTestDb();
    cleanups.push(db.cleanup);
    const engine = await serverEngine(db, { retryLimit: 2, retryDelaySeconds: 1, retryDelayMaxSeconds: 8 });
    let failing = true;
    await startWorker(
      engine,
      {
        async generateGroup(job, ctx) {
          await db.sql`insert into job_runs (job_id, group_key, pid, attempt) values (${ctx.id}, ${job.topicId}, ${process.pid}, ${ctx.retryCount})`;
          if (failing) throw new Error("provider exploded");
          await db.sql`update job_runs set finished_at = clock_timestamp() where job_id = ${ctx.id} and finished_at is null`;
        },
      },
      { concurrency: 1, pollingIntervalSeconds: 0.5 },
    );
    const [id] = await enqueueGroups(engine, [{ topicId: "volcanoes", difficulty: "hard", need: 1 }]);
    expect(id).not.toBeNull();

    const dead = await waitFor(async () => {
      const gen = (await jobStats(engine)).find((r) => r.queue === QUEUES.generate)!;
      return gen.deadLetterCount === 1 && gen.failed === 1 ? gen : undefined;
    }, 90_000, "the job to be dead-lettered");
    const attempts = await db.sql<{ attempt: number; started_at: Date }[]>`select attempt, started_at from job_runs order by started_at`;
    expect(attempts.map((r) => r.attempt)).toEqual([0, 1, 2]); // retryLimit 2: three attempts in all
    const gap1 = attempts[1].started_at.getTime() - attempts[0].started_at.getTime();
    const gap2 = attempts[2].started_at.getTime() - attempts[1].started_at.getTime();
    // Exponential backoff from 1 s: the first wait is 1–2 s, the second 2–4 s (jitter), plus polling.
    expect(gap1).toBeGreaterThanOrEqual(900);
    expect(gap2).toBeGreaterThanOrEqual(1900);
    expect(dead.failed).toBe(1);
    expect(dead.deadLetters).toHaveLength(1);
    const letter = dead.deadLetters[0];
    expect(letter).toMatchObject({ sourceQueue: QUEUES.generate, attempts: 3, lastError: "provider exploded", data: { topicId: "volcanoes" } });
    expect(JSON.stringify(dead)).not.toContain("    at "); // no stack traces for the panel

    failing = false;
    expect(await retryDeadJob(engine, letter.id)).toBe(true);
    expect(await retryDeadJob(engine, letter.id)).toBe(false); // already moved
    await waitFor(async () => ((await db.sql`select 1 from job_runs where finished_at is not null`).length ? true : undefined), 60_000, "the retried job to complete");
    const after = await waitFor(async () => {
      const gen = (await jobStats(engine)).find((r) => r.queue === QUEUES.generate)!;
      return gen.completed === 1 ? gen : undefined;
    }, 30_000, "completed count");
    expect(after.deadLetterCount).toBe(0);
  }, LONG);

  it("urgent top-ups have their own queue and slots: one waits behind none of the sweep's jobs", async () => {
    const db = await createJobsTestDb();
    cleanups.push(db.cleanup);
    const engine = await serverEngine(db);
    const order: string[] = [];
    let unblock!: () => void;
    const blocked = new Promise<void>((r) => (unblock = r));
    await startWorker(
      engine,
      {
        async generateGroup(job, ctx) {
          order.push(`${ctx.queue}:${job.topicId}`);
          await blocked; // the sweep's slot is busy
        },
        async topUp(job, ctx) {
          order.push(`${ctx.queue}:${job.userId}`);
        },
      },
      { concurrency: 1, urgentConcurrency: 1, pollingIntervalSeconds: 0.5 },
    );
    await enqueueGroups(engine, [
      { topicId: "t1", difficulty: "easy", need: 1 },
      { topicId: "t2", difficulty: "easy", need: 1 },
    ]);
    await waitFor(async () => (order.length === 1 ? true : undefined), 30_000, "the sweep job to start");
    const urgent = await enqueueTopUp(engine, { userId: "learner-1", granted: 2 });
    expect(urgent).toEqual({ id: expect.any(String), created: true });
    // The learner's second ask while the first waits or runs hands back the same job.
    expect(await enqueueTopUp(engine, { userId: "learner-1", granted: 2 })).toEqual({ id: urgent.id, created: false });
    await waitFor(async () => (order.includes(`${QUEUES.urgent}:learner-1`) ? true : undefined), 30_000, "the urgent job");
    expect(order).toEqual([`${QUEUES.generate}:t1`, `${QUEUES.urgent}:learner-1`]);
    unblock();
    await waitFor(async () => (order.length === 3 ? true : undefined), 30_000, "the rest");
  }, LONG);

  it("the planner runs on its cron schedule (every minute by default), one tick at a time", async () => {
    const db = await createJobsTestDb();
    cleanups.push(db.cleanup);
    const engine = await startJobEngine(
      { kind: "postgres", connectionString: db.url },
      { settings: { planCron: "* * * * *", expireInSeconds: 120 }, superviseIntervalSeconds: 1, cronMonitorIntervalSeconds: 1, log: quiet },
    );
    cleanups.push(() => engine.stop({ graceful: false, timeoutMs: 1000 }));
    let ticks = 0;
    let finish!: () => void;
    const held = new Promise<void>((r) => (finish = r));
    await startWorker(
      engine,
      {
        async planSweep() {
          ticks++;
          await held;
        },
      },
      { pollingIntervalSeconds: 0.5 },
    );
    expect(await engine.boss.getSchedules(QUEUES.plan)).toMatchObject([{ name: QUEUES.plan, cron: "* * * * *" }]);
    await waitFor(async () => (ticks === 1 ? true : undefined), 100_000, "the first planner tick");
    // While a plan runs, another tick (or a manual one) is not even queued.
    expect(await engine.boss.send(QUEUES.plan, {})).toBeNull();
    finish();
    expect(ticks).toBe(1);
  }, LONG);
});

describe("job engine on PGlite (the embedded default)", () => {
  it("runs the same queues, singleton keys and retries in-process", async () => {
    const pg = await PGlite.create();
    cleanups.push(() => pg.close());
    const engine = await startJobEngine({ kind: "pglite", pglite: pg }, { settings: { retryLimit: 1, retryDelaySeconds: 1 }, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1, log: quiet });
    cleanups.push(() => engine.stop({ graceful: false, timeoutMs: 1000 }));
    const seen: string[] = [];
    await startWorker(
      engine,
      {
        async generateGroup(job, ctx) {
          seen.push(`${job.topicId}#${ctx.retryCount}`);
          if (job.topicId === "flaky" && ctx.retryCount === 0) throw new Error("first attempt fails");
        },
      },
      { concurrency: 2, pollingIntervalSeconds: 0.5 },
    );
    const ids = await enqueueGroups(engine, [
      { topicId: "flaky", difficulty: "easy", need: 1 },
      { topicId: "flaky", difficulty: "easy", need: 1 },
      { topicId: "steady", difficulty: "easy", need: 1 },
    ]);
    expect(ids[1]).toBeNull();
    const gen = await waitFor(async () => {
      const s = (await jobStats(engine)).find((r) => r.queue === QUEUES.generate)!;
      return s.completed === 2 ? s : undefined;
    }, 60_000, "both groups to complete");
    expect(seen.sort()).toEqual(["flaky#0", "flaky#1", "steady#0"]);
    expect(gen).toMatchObject({ failed: 0, deadLetterCount: 0, queued: 0, active: 0 });
    // The app's own tables and pg-boss's live side by side in the one database.
    expect((await pg.query("select count(*)::int as n from pgboss.job")).rows).toEqual([{ n: 2 }]);
  }, LONG);

  it("the dev server's in-process worker starts once per process and stops cleanly", async () => {
    const pg = await PGlite.create();
    cleanups.push(() => pg.close());
    cleanups.push(stopInProcessWorker);
    const done: string[] = [];
    const handlers = { generateGroup: async (job: { topicId: string }) => void done.push(job.topicId) };
    const opts = { pglite: pg, handlers, engine: { log: quiet }, worker: { pollingIntervalSeconds: 0.5 } };
    const first = await startInProcessWorker(opts);
    expect(await startInProcessWorker(opts)).toBe(first); // a dev-mode reload does not start a second one
    expect(await getJobEngine()).toBe(first.engine); // routes enqueue through the same engine
    await enqueueGroups(await getJobEngine(), [{ topicId: "stars", difficulty: "easy", need: 1 }]);
    await waitFor(async () => (done.length === 1 ? true : undefined), 60_000, "the job");
    await stopInProcessWorker();
    expect(pg.closed).toBe(false); // the app's database stays open
    expect(done).toEqual(["stars"]);
  }, LONG);
});
