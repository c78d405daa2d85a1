// Worker processes for real: `runWorkerProcess` in child processes against the local Postgres server.
// A SIGKILLed worker's job comes back after its expiry and completes elsewhere; SIGTERM lets the
// running job finish (or hands it back when the grace period ends) and takes no new one.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "@/lib/db/testing";
import { QUEUES, enqueueGroups, startJobEngine, type JobEngine } from "@/lib/jobs";
import { createJobsTestDb, waitFor, type JobsTestDb } from "./support";

const root = path.resolve(__dirname, "../..");
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

interface Child {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(db: JobsTestDb, env: Record<string, string>): Child {
  // tsx as a loader, not its CLI: the CLI runs the script in a grandchild, which a SIGKILL would orphan.
  const proc = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(__dirname, "fixtures/worker-child.ts")], {
    cwd: root,
    env: { ...process.env, JOBS_TEST_URL: db.url, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(proc);
  let out = "";
  proc.stdout!.on("data", (d) => (out += String(d)));
  proc.stderr!.on("data", (d) => (out += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  return { proc, output: () => out, exited };
}

async function sender(db: JobsTestDb): Promise<JobEngine> {
  // The enqueuing side (a web process): same settings as the workers, no handlers.
  const engine = await startJobEngine(
    { kind: "postgres", connectionString: db.url, maxConnections: 2 },
    { settings: { expireInSeconds: 5, retryLimit: 3, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 }, superviseIntervalSeconds: 1, log: () => {} },
  );
  cleanups.push(() => engine.stop({ graceful: false, timeoutMs: 1000 }));
  return engine;
}

type Run = { job_id: string; pid: number; attempt: number; finished_at: Date | null };
const runs = (db: JobsTestDb) => db.sql<Run[]>`select job_id, pid, attempt, finished_at from job_runs order by started_at`;
const LONG = 240_000;

describe.skipIf(!testDatabaseUrl())("worker processes", () => {
  it("SIGKILL mid-job: the job is retried after its expiry by another worker and completes; nothing is lost", async () => {
    const db = await createJobsTestDb();
    cleanups.push(db.cleanup);
    const engine = await sender(db);
    const a = startChild(db, { JOB_MS: "4000", JOB_EXPIRE_SECONDS: "5" });
    const [id] = await enqueueGroups(engine, [{ topicId: "tides", difficulty: "easy", need: 1 }]);
    const first = await waitFor(async () => (await runs(db))[0], 120_000, `worker A to start the job\n${a.output()}`);
    expect(first).toMatchObject({ job_id: id, pid: a.proc.pid, attempt: 0, finished_at: null });
    a.proc.kill("SIGKILL");
    expect((await a.exited).signal).toBe("SIGKILL");

    const b = startChild(db, { JOB_MS: "500", JOB_EXPIRE_SECONDS: "5" });
    const done = await waitFor(async () => (await runs(db)).find((r) => r.finished_at !== null), 120_000, `the job to complete on worker B\n${b.output()}`);
    expect(done).toMatchObject({ job_id: id, pid: b.proc.pid });
    expect(done.attempt).toBeGreaterThanOrEqual(1); // a retry, after the expiry of A's attempt
    const job = await waitFor(async () => {
      const [j] = await engine.boss.findJobs(QUEUES.generate, { id: id! });
      return j?.state === "completed" ? j : undefined;
    }, 30_000, "state completed");
    expect(job.state).toBe("completed");
    expect((await runs(db)).filter((r) => r.finished_at !== null)).toHaveLength(1); // completed once
    b.proc.kill("SIGTERM");
    expect((await b.exited).code).toBe(0);
  }, LONG);

  it("SIGTERM: the running job finishes, no new job is taken, the process exits 0", async () => {
    const db = await createJobsTestDb();
    cleanups.push(db.cleanup);
    const engine = await sender(db);
    const w = startChild(db, { JOB_MS: "3000", GRACE_MS: "20000" });
    const [first] = await enqueueGroups(engine, [{ topicId: "waves", difficulty: "easy", need: 1 }]);
    await waitFor(async () => (await runs(db))[0], 120_000, `the job to start\n${w.output()}`);
    w.proc.kill("SIGTERM");
    const [second] = await enqueueGroups(engine, [{ topicId: "currents", difficulty: "easy", need: 1 }]);
    const exit = await w.exited;
    expect(exit.code).toBe(0);
    const all = await runs(db);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ job_id: first, finished_at: expect.any(Date) });
    const [j1] = await engine.boss.findJobs(QUEUES.generate, { id: first! });
    const [j2] = await engine.boss.findJobs(QUEUES.generate, { id: second! });
    expect(j1.state).toBe("completed");
    expect(j2.state).toBe("created"); // still waiting for a worker
    expect(w.output()).toContain("SIGTERM: taking no new jobs");
  }, LONG);

  it("SIGTERM with a job longer than the grace period: it is handed back for a retry, not lost", async () => {
    const db = await createJobsTestDb();
    cleanups.push(db.cleanup);
    const engine = await sender(db);
    const w = startChild(db, { JOB_MS: "60000", GRACE_MS: "1500", JOB_EXPIRE_SECONDS: "120" });
    const [id] = await enqueueGroups(engine, [{ topicId: "glaciers", difficulty: "easy", need: 1 }]);
    await waitFor(async () => (await runs(db))[0], 120_000, `the job to start\n${w.output()}`);
    const signalled = Date.now();
    w.proc.kill("SIGTERM");
    expect((await w.exited).code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(30_000); // did not wait for the 60 s job nor its 120 s expiry
    const [job] = await engine.boss.findJobs(QUEUES.generate, { id: id! });
    expect(job.state).toBe("retry"); // back in the queue: the next worker takes it
    expect((await runs(db))[0].finished_at).toBeNull();
  }, LONG);
});
