// SIGKILL of a worker in the middle of the real prefetch: worker processes with the app's handlers, the
// simulator as an HTTP provider (typical latency, real time, so a call is still streaming when the
// worker dies), a fresh database on the local Postgres server. The killed jobs come back after their
// heartbeat lapses and complete on another worker; no lesson is lost, none is generated twice, no feed goes over
// its cap, and no group ever ran twice at once. Usage truth: the calls the killed worker had on the wire were
// written ahead (usage_attempts); once their generation request's lease has lapsed, the planner tick's upkeep
// charges them, and usage events equal the simulator's model calls: lessons and, on this provider (custom: no
// moderation endpoint), the rubric screens. An endpoint's free screens would be counted apart: they are
// logged when they answer, so one cut off by the kill has no event.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freshDatabase, outcome, shortfall, startProc, stopProc, appEnv, type Proc } from "@/bench/prefetch-scale";
import { testDatabaseUrl, type TestDb } from "@/lib/db/testing";
import { planSweepGroups } from "@/lib/generation/fyp-sweep";
import { QUEUES, enqueueGroups, startJobEngine, type JobEngine } from "@/lib/jobs";
import { startSimServer } from "@/lib/llm/sim";
import { waitFor } from "./support";

const CAP = 3;
// A killed worker's job comes back when its heartbeat lapses (10 s, pg-boss's least), not after the
// attempt's hard limit (which must outlast the longest honest attempt: a second run of a job that is
// still running would generate its group twice).
const HEARTBEAT_SECONDS = 10;
const EXPIRE_SECONDS = 120;
const procs: Proc[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await stopProc(p, "SIGKILL");
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const worker = (env: Record<string, string>) => {
  const p = startProc("worker", process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(__dirname, "fixtures/app-worker-child.ts")], env);
  procs.push(p);
  return p;
};

const jobStates = (db: TestDb) =>
  db.sql.query("select id::text as id, state, retry_count from pgboss.job where name = 'fyp-generate' order by created_on") as Promise<{ id: string; state: string; retry_count: number }[]>;

const count = async (db: TestDb, sql: string) => ((await db.sql.query(sql))[0].n as number);
// Model calls (lessons, and rubric screens on providers without a moderation endpoint, as here) are written
// ahead; a moderation endpoint's free screens are logged when they answer, so they are counted apart.
const ENDPOINT = "model like '%moderation%'";
const usageCounts = async (db: TestDb) => ({
  callEvents: await count(db, `select count(*)::int as n from public.usage_events where not (${ENDPOINT})`),
  rubricScreenEvents: await count(db, `select count(*)::int as n from public.usage_events where mode = 'moderation' and not (${ENDPOINT})`),
  endpointScreenEvents: await count(db, `select count(*)::int as n from public.usage_events where ${ENDPOINT}`),
  interrupted: await count(db, "select count(*)::int as n from public.usage_events where error_code = 'interrupted'"),
  attemptsLeft: await count(db, "select count(*)::int as n from public.usage_attempts"),
});

/** One planner tick (fyp-plan) run by a worker: upkeep, then the plan. Returns the job's output. */
type TickOutput = { maintenance: { staleReservations: { usageEvents: number } } | null };
async function tick(engine: JobEngine): Promise<TickOutput> {
  // The plan queue takes one job at a time (a scheduled tick may be running): send until ours is in.
  const id = await waitFor(async () => (await engine.boss.send(QUEUES.plan, {})) ?? undefined, 60_000, "a planner tick to be accepted");
  return waitFor<TickOutput>(async () => {
    const job = await engine.boss.getJobById(QUEUES.plan, id);
    if (job?.state === "failed") throw new Error(`planner tick failed: ${JSON.stringify(job.output)}`);
    return job?.state === "completed" ? (job.output as TickOutput) : undefined;
  }, 60_000, "the planner tick to complete");
}

describe.skipIf(!testDatabaseUrl())("SIGKILL during the real prefetch", () => {
  it("the killed worker's jobs are retried once their heartbeat lapses and complete: nothing lost, nothing paid twice, no feed over its cap", async () => {
    const db = await freshDatabase();
    cleanups.push(db.cleanup);
    // 30 learners on two seeded topics at 'hard' (no library lessons there): two groups of 3 lessons each.
    const topics = (await db.sql.query("select id from public.topics order by position, id limit 2")) as { id: string }[];
    await db.sql.query("delete from public.topic_follows"); // only these learners' feeds are in play
    await db.sql.query(`insert into auth.users (id, email, raw_app_meta_data) select gen_random_uuid(), 'crash' || g || '@example.com', '{}' from generate_series(1, 30) g`);
    await db.sql.query("insert into public.profiles (id, email, display_name) select id, email, 'Crash' from auth.users where email like 'crash%'");
    await db.sql.query("insert into public.topic_follows (user_id, topic_id, difficulty) select p.id, t.id, 'hard' from public.profiles p cross join unnest($1::uuid[]) as t(id) where p.email like 'crash%'", [topics.map((t) => t.id)]);

    const sim = await startSimServer({ port: 0, profile: "typical", timeScale: 1, seed: 5 });
    cleanups.push(() => sim.close());
    const env = appEnv(db.url, sim.url, { rpm: 10_000, tpm: 10_000_000 }, { FYP_PENDING_PER_TOPIC: String(CAP), JOBS_EXPIRE_SECONDS: String(EXPIRE_SECONDS), JOBS_RETRY_LIMIT: "3" });

    // The web side: plan the sweep and enqueue its groups (what the cron route does on a job engine).
    const engine: JobEngine = await startJobEngine({ kind: "postgres", connectionString: db.url, maxConnections: 2 }, { settings: { expireInSeconds: EXPIRE_SECONDS, heartbeatSeconds: HEARTBEAT_SECONDS, retryLimit: 3, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 }, log: () => {} });
    cleanups.push(() => engine.stop({ graceful: false, timeoutMs: 1000 }));
    const service = async () => db.provider.as({ role: "service_role" });
    const { groups } = await planSweepGroups({ service } as never, { cap: CAP, maxLearners: 1000 });
    expect(groups.map((g) => g.need)).toEqual([CAP, CAP]);

    const a = worker(env);
    await a.waitFor(/ready/, 120_000);
    const ids = await enqueueGroups(engine, groups);
    expect(ids.every((id) => id !== null)).toBe(true);
    // Mid-job: the first lesson is saved while the rest of its call is still streaming.
    await waitFor(async () => {
      const [{ n }] = await db.sql.query("select count(*)::int as n from public.lessons where source = 'generated'");
      return (n as number) >= 1 ? true : undefined;
    }, 120_000, `worker A to save a lesson\n${a.output()}`);
    a.proc.kill("SIGKILL");
    expect((await a.exited).signal).toBe("SIGKILL");
    const killed = (await jobStates(db)).filter((j) => j.state === "active").map((j) => j.id);
    expect(killed.length).toBeGreaterThan(0);
    const savedBeforeKill = ((await db.sql.query("select count(*)::int as n from public.lessons where source = 'generated'"))[0].n) as number;
    // What A left: events it wrote, and write-ahead rows for the calls it had on the wire (or was about to send:
    // a row is written before its call goes out, so a kill in between leaves an estimate the provider never saw).
    const log = () => sim.sim.stats().log;
    const modelCalls = () => log().filter((e) => !e.model.includes("moderation")).length;
    const screens = () => log().length - modelCalls();
    const atKill = await usageCounts(db);
    const callsAtKill = modelCalls();
    const screensBeforeKill = screens();
    const unsentAtKill = atKill.callEvents + atKill.attemptsLeft - callsAtKill;
    expect(atKill.attemptsLeft).toBeGreaterThan(0); // the kill cut at least one call off
    expect(unsentAtKill).toBeGreaterThanOrEqual(0); // never fewer events than calls
    expect(unsentAtKill).toBeLessThanOrEqual(atKill.attemptsLeft);

    const b = worker(env);
    await waitFor(async () => {
      const jobs = await jobStates(db);
      return jobs.length === 2 && jobs.every((j) => j.state === "completed") && (await shortfall(db, CAP)) === 0 ? jobs : undefined;
    }, 180_000, `every job to complete on worker B\n${b.output()}`);

    const jobs = await jobStates(db);
    for (const id of killed) expect(jobs.find((j) => j.id === id)?.retry_count).toBeGreaterThanOrEqual(1); // retried once its heartbeat lapsed
    const o = await outcome(db, CAP);
    expect(o.generated).toBe(2 * CAP); // exactly what the two groups needed: what A saved was delivered, not made again
    expect(o).toMatchObject({ lostLessons: 0, doublePaid: 0, overCap: 0, duplicateGroups: 0, shortLeft: 0 });

    // Usage truth. B's runs wrote one event per call and left no write-ahead row of their own; A's rows wait.
    const afterRetry = await usageCounts(db);
    expect(afterRetry.attemptsLeft).toBe(atKill.attemptsLeft);
    expect(afterRetry.callEvents - atKill.callEvents).toBe(modelCalls() - callsAtKill);
    // A's generation requests are still inside their lease (5 minutes from their last saved lesson): a tick's
    // upkeep cannot tell them from live runs yet and charges nothing.
    await tick(engine);
    expect(await usageCounts(db)).toMatchObject({ attemptsLeft: afterRetry.attemptsLeft, interrupted: 0 });
    // The lease lapses (moved back instead of waited for): the next tick's upkeep charges the dead runs' attempts.
    const dead = await db.sql.query("update public.generation_requests set updated_at = updated_at - interval '6 minutes' where status = 'running' returning id");
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.length).toBeLessThanOrEqual(killed.length);
    const settled = await tick(engine);
    const final = await usageCounts(db);
    const figures = {
      killedJobs: killed.length, savedBeforeKill, generated: o.generated, lostLessons: o.lostLessons, doublePaid: o.doublePaid, overCap: o.overCap, duplicateGroups: o.duplicateGroups,
      simModelCalls: modelCalls(), simCallsAtKill: callsAtKill, eventsAtKill: atKill.callEvents, attemptsAtKill: atKill.attemptsLeft, unsentAtKill, deadRequests: dead.length,
      chargedByTick: settled.maintenance?.staleReservations.usageEvents ?? null, callEvents: final.callEvents, rubricScreenEvents: final.rubricScreenEvents, interrupted: final.interrupted, attemptsLeft: final.attemptsLeft,
      simEndpointScreens: screens(), screensBeforeKill, endpointScreenEvents: final.endpointScreenEvents,
    };
    console.info(`[prefetch-crash] ${JSON.stringify(figures)}`);
    expect(final.attemptsLeft).toBe(0);
    expect(final.interrupted).toBe(atKill.attemptsLeft);
    // Usage events == the simulator's model calls, plus estimates of calls cut off before they reached it.
    expect(final.callEvents).toBe(modelCalls() + unsentAtKill);
    // Screens: each one B asked for has its event; only some of A's (cut off, or answered but not yet written) have none.
    expect(final.endpointScreenEvents).toBeLessThanOrEqual(screens());
    expect(screens() - final.endpointScreenEvents).toBeLessThanOrEqual(screensBeforeKill);
    await stopProc(b, "SIGTERM");
    expect((await b.exited).code).toBe(0);
  }, 300_000);
});
