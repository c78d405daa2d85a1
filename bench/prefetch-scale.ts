// npm run bench -- --only prefetch-scale: the For You prefetch on the real job engine, as separate
// processes on this machine — `npm run sim -- --rpm R --tpm T` (its own process, real time), N worker
// processes (`scripts/worker.ts`, N = 1 and 4) and 1 cron process (the cron route's plan-and-enqueue,
// once a minute, as a scheduler would call it) against a fresh database on the local Postgres server (TEST_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/postgres), for 2,000 learners × 5 followed topics (96 groups, 3
// lessons each to fill: 288 lessons).
// Every process takes its RPM/TPM room from the shared budget in Postgres (LLM_SHARED_RATE_LIMIT=1).
//
// Rows: workers, lessonsPerMinute (lessons generated from the moment the first tick's groups were on
// the queue until the feeds were full or the run's time was up), the busiest 60 s of the simulator's own request log (maxRpmWindow,
// maxTpmWindow) against its limits, duplicateGroups (singleton keys whose jobs ran at the same time),
// lostLessons (generated lessons in nobody's feed), doublePaid (lessons a group generated beyond what
// its most-short learner received), and simCalls / usageEvents (the provider's count and ours).
// Targets: not binding → 4 workers ≥ 3× the lessons per minute of 1; binding → the 4 together reach
// ≥ 90% of the TPM bound and never exceed R or T. The run has no interactive traffic, so the bench sets
// LLM_INTERACTIVE_RESERVE=0 (background may use the whole budget).
//
// Also importable: tests/jobs/prefetch-crash.test.ts uses the database, learner and measuring helpers.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { TestDb } from "@/lib/db/testing";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CAP = 3;
const LEARNERS = 2000;
const TOPICS_EACH = 5;

export interface ScaleRow {
  scenario: "not-binding" | "binding";
  workers: number;
  lessonsPerMinute: number;
  lessons: number;
  completed: boolean;
  seconds: number;
  maxRpmWindow: number;
  rpmLimit: number;
  maxTpmWindow: number;
  tpmLimit: number;
  rejected429: number;
  duplicateGroups: number;
  lostLessons: number;
  doublePaid: number;
  shortLeft: number;
  /** Jobs the workers' graceful stop handed back (still running at the stop's timeout) and the lessons
   * they had saved but not yet delivered: their retry fills the feeds from the library before it
   * generates, so the bench runs that fill for them before it counts lost lessons (handBackFeedItems:
   * the feed items that fill added, one per lesson and learner). */
  handedBackJobs: number;
  handBackFeedItems: number;
  simCalls: number;
  usageEvents: number;
}

// ---- database --------------------------------------------------------------------------------------

/** A fresh, migrated and seeded database on the local server, with a connection string for other processes. */
export async function freshDatabase(): Promise<TestDb & { url: string }> {
  process.env.TEST_DATABASE_URL ||= "postgres://postgres@127.0.0.1:5432/postgres";
  const { resetServerEnvCache } = await import("@/lib/env");
  resetServerEnvCache();
  const { createTestDb } = await import("@/lib/db/testing");
  const db = await createTestDb({ kind: "postgres", seed: true });
  if (!db.url) throw new Error("the test database has no connection string");
  return db as TestDb & { url: string };
}

/** `n` learners, each following 5 of the seeded topics at one of the 4 difficulties, with empty feeds. */
export async function addLearners(db: TestDb, n: number): Promise<void> {
  const uid = "('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid";
  await db.sql.query(`insert into auth.users (id, email, raw_app_meta_data) select ${uid}, 'bench' || g || '@example.com', '{"provider":"local"}' from generate_series(1, $1::int) g`, [n]);
  await db.sql.query(`insert into public.profiles (id, email, display_name, tier, role) select ${uid}, 'bench' || g || '@example.com', 'Bench ' || g, 'free', 'learner' from generate_series(1, $1::int) g`, [n]);
  // Topic (7g + 5k) mod 24 for k = 0..4 (five different topics), difficulty (⌊g/24⌋ + k) mod 4: 96 groups.
  await db.sql.query(
    `with t as (select id, (row_number() over (order by id) - 1)::int as n, (count(*) over ())::int as c from public.topics)
     insert into public.topic_follows (user_id, topic_id, difficulty)
     select ${uid}, t.id, (array['intro','easy','medium','hard'])[1 + (g / 24 + k) % 4]
       from generate_series(1, $1::int) g cross join generate_series(0, $2::int - 1) k
       join t on t.n = (g * 7 + k * 5) % t.c`,
    [n, TOPICS_EACH],
  );
}

/** Learner-topic slots still below the cap. */
export async function shortfall(db: TestDb, cap: number): Promise<number> {
  const [r] = await db.sql.query(
    `select coalesce(sum(greatest(0, $1::int - x.pending)), 0)::int as n from (
       select (select count(*) from public.feed_items fi where fi.user_id = tf.user_id and fi.topic_id = tf.topic_id and fi.status = 'pending') as pending
         from public.topic_follows tf) x`,
    [cap],
  );
  return r.n as number;
}

/** What the run left behind, read from our own tables (and pg-boss's job table). */
export async function outcome(db: TestDb, cap: number) {
  const one = async (sql: string, params: unknown[] = []) => ((await db.sql.query(sql, params))[0]?.n as number) ?? 0;
  const generated = await one("select count(*)::int as n from public.lessons where source = 'generated'");
  const lostLessons = await one("select count(*)::int as n from public.lessons l where l.source = 'generated' and not exists (select 1 from public.feed_items fi where fi.lesson_id = l.id)");
  // Per group: lessons generated beyond what its most-served learner received of them.
  const doublePaid = await one(`
    with made as (select topic_id, difficulty, count(*) as c from public.lessons where source = 'generated' group by 1, 2),
    got as (select tf.topic_id, tf.difficulty, tf.user_id, count(l.id) as n
              from public.topic_follows tf
              left join public.feed_items fi on fi.user_id = tf.user_id and fi.topic_id = tf.topic_id
              left join public.lessons l on l.id = fi.lesson_id and l.source = 'generated' and l.difficulty = tf.difficulty
             group by 1, 2, 3),
    best as (select topic_id, difficulty, max(n) as m from got group by 1, 2)
    select coalesce(sum(greatest(0, made.c - coalesce(best.m, 0))), 0)::int as n from made left join best using (topic_id, difficulty)`);
  const overCap = await one(
    "select count(*)::int as n from (select 1 from public.feed_items where status = 'pending' group by user_id, topic_id having count(*) > $1::int) x",
    [cap],
  );
  const usageEvents = await one("select count(*)::int as n from public.usage_events");
  const jobs = (await db.sql.query(
    "select id::text, singleton_key, started_on, completed_on, state, retry_count from pgboss.job where name = 'fyp-generate' and started_on is not null",
  )) as { id: string; singleton_key: string; started_on: Date; completed_on: Date | null; state: string; retry_count: number }[];
  return { generated, lostLessons, doublePaid, overCap, usageEvents, duplicateGroups: overlappingKeys(jobs), jobs, shortLeft: await shortfall(db, cap) };
}

/**
 * What a handed-back job's retry does first (lib/generation/fyp-sweep.ts generateGroup): fill the group's
 * learners from the library, which delivers the lessons the stopped attempt saved. Run here for every
 * generation job the stop left unfinished after it had started, so "lost" counts only lessons no
 * recovery would deliver (jobs still queued at the stop saved nothing).
 */
async function deliverHandedBack(db: TestDb, cap: number): Promise<{ jobs: number; delivered: number }> {
  const jobs = (await db.sql.query(
    "select data from pgboss.job where name = 'fyp-generate' and started_on is not null and state in ('created', 'retry', 'active')",
  )) as { data: { topicId: string; difficulty: string; learners?: string[] } }[];
  let delivered = 0;
  for (const { data } of jobs) {
    const [{ r }] = await db.sql.query("select public.fyp_fill_group($1::uuid, $2, $3::int, $4::uuid[]) as r", [
      data.topicId,
      data.difficulty,
      cap,
      data.learners && data.learners.length > 0 ? data.learners : null,
    ]);
    delivered += Number((r as { fromLibrary?: number }).fromLibrary ?? 0);
  }
  return { jobs: jobs.length, delivered };
}

/** Singleton keys two of whose jobs were running at the same time. */
function overlappingKeys(jobs: { id: string; singleton_key: string; started_on: Date; completed_on: Date | null }[]): number {
  const byKey = new Map<string, { s: number; e: number }[]>();
  for (const j of jobs) {
    const list = byKey.get(j.singleton_key) ?? [];
    list.push({ s: new Date(j.started_on).getTime(), e: j.completed_on ? new Date(j.completed_on).getTime() : Number.POSITIVE_INFINITY });
    byKey.set(j.singleton_key, list);
  }
  let keys = 0;
  for (const list of byKey.values()) {
    list.sort((a, b) => a.s - b.s);
    if (list.some((x, i) => i > 0 && x.s < list[i - 1].e)) keys++;
  }
  return keys;
}

// ---- the simulator's own log -----------------------------------------------------------------------

interface SimLogEntry {
  at: number;
  status: number;
  promptTokens: number;
  completionTokens: number;
}

export async function simStats(simUrl: string): Promise<{ calls: number; log: SimLogEntry[] }> {
  const res = await fetch(simUrl.replace(/\/v1$/, "/sim/stats"));
  return (await res.json()) as { calls: number; log: SimLogEntry[] };
}

/** The busiest 60 s (simulated; real at time scale 1) of accepted requests: requests and tokens. */
export function busiestWindow(log: SimLogEntry[], windowMs = 60_000): { requests: number; tokens: number } {
  const ok = log.filter((e) => e.status !== 429 && e.status !== 0).sort((a, b) => a.at - b.at);
  let requests = 0;
  let tokens = 0;
  let j = 0;
  let sum = 0;
  // Windows ending at each request: [at − windowMs, at].
  for (let i = 0; i < ok.length; i++) {
    sum += ok[i].promptTokens + ok[i].completionTokens;
    while (ok[j].at <= ok[i].at - windowMs) {
      sum -= ok[j].promptTokens + ok[j].completionTokens;
      j++;
    }
    requests = Math.max(requests, i - j + 1);
    tokens = Math.max(tokens, sum);
  }
  return { requests, tokens };
}

// ---- processes -------------------------------------------------------------------------------------

export interface Proc {
  name: string;
  proc: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when the output matches `re` (rejects after `ms`, or when the process exits first). */
  waitFor(re: RegExp, ms: number): Promise<RegExpMatchArray>;
}

export function startProc(name: string, cmd: string, args: string[], env: Record<string, string>, opts: { group?: boolean } = {}): Proc {
  const proc = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: opts.group ?? false });
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += String(d);
    if (out.length > 200_000) out = out.slice(-100_000);
    for (const l of listeners) l();
  };
  proc.stdout!.on("data", onData);
  proc.stderr!.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    name,
    proc,
    output: () => out,
    exited,
    waitFor(re, ms) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => (done(), reject(new Error(`${name}: no ${re} within ${ms} ms; output:\n${out.slice(-2000)}`))), ms);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        exited.then(() => setTimeout(() => (done(), reject(new Error(`${name} exited before ${re}; output:\n${out.slice(-2000)}`))), 50));
        check();
      });
    },
  };
}

/** Ends a process (its whole group when it was started as one) and waits for it. */
export async function stopProc(p: Proc, signal: NodeJS.Signals = "SIGTERM", graceMs = 40_000): Promise<void> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  const kill = (s: NodeJS.Signals) => {
    try {
      if (p.proc.spawnargs[0] === "npm") process.kill(-p.proc.pid!, s);
      else p.proc.kill(s);
    } catch {
      // already gone
    }
  };
  kill(signal);
  const timer = setTimeout(() => kill("SIGKILL"), graceMs);
  await p.exited;
  clearTimeout(timer);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The environment every app process of the run gets: the database, the simulator as a custom provider, the shared limit. */
export function appEnv(dbUrl: string, simUrl: string, limits: { rpm: number; tpm: number }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: "production",
    DATABASE_URL: dbUrl,
    TEST_DATABASE_URL: "",
    LLM_PROVIDER: "custom",
    LLM_BASE_URL: simUrl,
    LLM_MODEL: "sim-standard",
    LLM_MODEL_BACKGROUND: "sim-mini",
    LLM_API_KEY: "",
    LLM_SHARED_RATE_LIMIT: "1",
    LLM_RPM: String(limits.rpm),
    LLM_TPM: String(limits.tpm),
    LLM_INTERACTIVE_RESERVE: "0",
    FYP_PENDING_PER_TOPIC: String(CAP),
    BACKGROUND_LESSONS_DAILY: "1000000",
    SPEND_CAP_DAILY_USD: "100000",
    JOBS_CONCURRENCY: "2",
    // The cron process plans; the workers' own schedule would fire once a year.
    JOBS_PLAN_CRON: "0 0 1 1 *",
    JOBS_IN_PROCESS_WORKER: "off",
    ...extra,
  };
}

const tsx = (script: string, args: string[] = []): [string, string[]] => [process.execPath, ["--import", "tsx", "--conditions=react-server", script, ...args]];

// ---- one run ---------------------------------------------------------------------------------------

export async function runOnce(opts: { scenario: ScaleRow["scenario"]; workers: number; rpm: number; tpm: number; maxSeconds: number; log: (s: string) => void }): Promise<ScaleRow> {
  const { log } = opts;
  const began = Date.now();
  const db = await freshDatabase();
  const procs: Proc[] = [];
  try {
    await addLearners(db, LEARNERS);
    const port = await freePort();
    const simUrl = `http://127.0.0.1:${port}/v1`;
    const sim = startProc("sim", "npm", ["run", "sim", "--", "--port", String(port), "--profile", "typical", "--time-scale", "1", "--seed", "7", "--rpm", String(opts.rpm), "--tpm", String(opts.tpm)], {}, { group: true });
    procs.push(sim);
    // The workers start while the simulator does: they call it only once jobs are on the queue.
    const env = appEnv(db.url, simUrl, { rpm: opts.rpm, tpm: opts.tpm });
    const workers = Array.from({ length: opts.workers }, (_, i) => startProc(`worker-${i + 1}`, ...tsx("scripts/worker.ts"), env));
    procs.push(...workers);
    await Promise.all([sim.waitFor(/listening on/, 60_000), ...workers.map((w) => w.waitFor(/\[worker\] ready/, 120_000))]);
    const cron = startProc("cron", ...tsx("bench/prefetch-scale.ts", ["--role", "cron"]), env);
    procs.push(cron);
    const first = await cron.waitFor(/"tick":(\d+),"enqueued":(\d+)/, 120_000);
    const t0 = Number(first[1]);
    log(`  ${opts.scenario}, ${opts.workers} worker(s): ${first[2]} groups enqueued ${Math.round((t0 - began) / 1000)} s after the run began; running up to ${opts.maxSeconds} s …`);

    let completed = false;
    while (Date.now() < t0 + opts.maxSeconds * 1000) {
      await new Promise((r) => setTimeout(r, 3000));
      if ((await shortfall(db, CAP)) === 0) {
        completed = true;
        break;
      }
    }
    const cutoff = Date.now();
    await stopProc(cron, "SIGKILL");
    // Graceful: running jobs finish (their lessons are delivered), nothing new starts.
    await Promise.all(workers.map((w) => stopProc(w, "SIGTERM")));
    log(`    stopped ${Math.round((Date.now() - cutoff) / 1000)} s after the cutoff (running jobs finish)`);
    const stats = await simStats(simUrl);
    await stopProc(sim, "SIGTERM", 5000);
    const handedBack = await deliverHandedBack(db, CAP);
    if (handedBack.jobs > 0) log(`    ${handedBack.jobs} job(s) handed back at the stop; their retry's library fill made ${handedBack.delivered} feed deliveries (lesson × learner)`);

    const o = await outcome(db, CAP);
    const [{ last }] = await db.sql.query("select extract(epoch from max(created_at)) * 1000 as last from public.lessons where source = 'generated'");
    const tEnd = completed ? Number(last) : cutoff;
    const [{ n: inWindow }] = await db.sql.query("select count(*)::int as n from public.lessons where source = 'generated' and created_at <= to_timestamp($1::float8 / 1000)", [tEnd]);
    const minutes = Math.max(1e-9, (tEnd - t0) / 60_000);
    const w = busiestWindow(stats.log);
    return {
      scenario: opts.scenario,
      workers: opts.workers,
      lessonsPerMinute: Math.round(((inWindow as number) / minutes) * 10) / 10,
      lessons: o.generated,
      completed,
      seconds: Math.round((tEnd - t0) / 100) / 10,
      maxRpmWindow: w.requests,
      rpmLimit: opts.rpm,
      maxTpmWindow: w.tokens,
      tpmLimit: opts.tpm,
      rejected429: stats.log.filter((e) => e.status === 429).length,
      duplicateGroups: o.duplicateGroups,
      lostLessons: o.lostLessons,
      doublePaid: o.doublePaid,
      shortLeft: o.shortLeft,
      handedBackJobs: handedBack.jobs,
      handBackFeedItems: handedBack.delivered,
      simCalls: stats.calls,
      usageEvents: o.usageEvents,
    };
  } finally {
    for (const p of procs.reverse()) await stopProc(p, "SIGKILL").catch(() => {});
    await db.cleanup().catch(() => {});
  }
}

async function serverReachable(): Promise<boolean> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres", { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

export interface ScaleResult {
  rows: ScaleRow[];
  targets: { name: string; measured: string; pass: boolean }[];
  wallSeconds: number;
  /** Why there are no rows (no Postgres server), else null. */
  skipped: string | null;
}

/** Runs the three rows; prints them (table, or JSON with `json`) unless `print` is false (the full bench prints them itself). */
export async function runPrefetchScale(opts: { json?: boolean; print?: boolean; log?: (s: string) => void } = {}): Promise<ScaleResult> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  if (!(await serverReachable())) {
    const skipped = "no Postgres server at TEST_DATABASE_URL or 127.0.0.1:5432";
    log(`prefetch-scale: skipped (${skipped})`);
    return { rows: [], targets: [], wallSeconds: 0, skipped };
  }
  const started = performance.now();
  log(`running prefetch-scale (${LEARNERS} learners × ${TOPICS_EACH} topics; sim, workers and a cron process as separate processes) …`);
  const roomy = { rpm: 10_000, tpm: 10_000_000 };
  // Real seconds each run measures (after its first tick): short enough that the full bench stays
  // within 12 minutes, long enough for a steady rate (1 worker makes ~30 lessons in 45 s, 4 ~120)
  // and, when binding, for more than one full 60 s window of the simulator's log.
  const rows = [
    await runOnce({ scenario: "not-binding", workers: 1, ...roomy, maxSeconds: 45, log }),
    await runOnce({ scenario: "not-binding", workers: 4, ...roomy, maxSeconds: 45, log }),
    // Binding: the TPM limit is well under what 4 workers could use; RPM stays out of the way.
    await runOnce({ scenario: "binding", workers: 4, rpm: 200, tpm: 60_000, maxSeconds: 85, log }),
  ];
  const wallS = (performance.now() - started) / 1000;
  const [one, four, bound] = rows;
  const speedup = four.lessonsPerMinute / Math.max(1e-9, one.lessonsPerMinute);
  const share = bound.maxTpmWindow / bound.tpmLimit;
  const targets = [
    { name: "not binding: 4 workers ≥ 3× the lessons per minute of 1", measured: `${speedup.toFixed(2)}×`, pass: speedup >= 3 },
    { name: "binding: 4 workers reach ≥ 90% of the TPM bound", measured: `${(share * 100).toFixed(1)}%`, pass: share >= 0.9 },
    { name: "never over the limits (busiest 60 s of the simulator's log)", measured: rows.map((r) => `${r.maxRpmWindow}/${r.rpmLimit} req, ${r.maxTpmWindow}/${r.tpmLimit} tok`).join("; "), pass: rows.every((r) => r.maxRpmWindow <= r.rpmLimit && r.maxTpmWindow <= r.tpmLimit) },
    { name: "no group generated twice at once, no lesson lost, none paid twice", measured: rows.map((r) => `${r.duplicateGroups}/${r.lostLessons}/${r.doublePaid}`).join("; "), pass: rows.every((r) => r.duplicateGroups === 0 && r.lostLessons === 0 && r.doublePaid === 0) },
  ];
  const result: ScaleResult = { rows, targets, wallSeconds: Math.round(wallS), skipped: null };
  if (opts.print === false) return result;
  if (opts.json) process.stdout.write(`${JSON.stringify({ scenario: "prefetch-scale", ...result })}\n`);
  else console.log(formatScale(result));
  return result;
}

export function formatScale(r: ScaleResult): string {
  if (r.skipped) return `\nprefetch-scale: skipped (${r.skipped})`;
  const cols = ["scenario", "workers", "lessonsPerMinute", "lessons", "completed", "seconds", "maxRpmWindow", "rpmLimit", "maxTpmWindow", "tpmLimit", "rejected429", "duplicateGroups", "lostLessons", "doublePaid", "shortLeft", "handedBackJobs", "handBackFeedItems", "simCalls", "usageEvents"] as const;
  const lines = [cols.map(String), ...r.rows.map((row) => cols.map((c) => String(row[c])))];
  const widths = cols.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  return [
    "\nprefetch-scale (real processes on this machine; the machine is shared, so figures move with its load)",
    ...lines.map((l) => l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")),
    ...r.targets.map((t) => `  ${t.pass ? "PASS" : "FAIL"}  ${t.name}: ${t.measured}`),
    `  wall time ${r.wallSeconds} s`,
  ].join("\n");
}

// ---- the cron process (`--role cron`): what the cron route does on a job engine, once a minute -----

async function cronRole(): Promise<void> {
  const { getJobEngine } = await import("@/lib/jobs");
  const { planAndEnqueueSweep } = await import("@/lib/jobs/app-handlers");
  const { defaultGenerationDeps } = await import("@/lib/generation/deps");
  const engine = await getJobEngine();
  for (;;) {
    const r = await planAndEnqueueSweep(engine, defaultGenerationDeps(), { cap: CAP, maxLearners: LEARNERS + 500 });
    // `tick`: when the groups were on the queue (the plan's own time is the cron's, not the workers').
    console.log(JSON.stringify({ tick: Date.now(), enqueued: r.enqueued, groups: r.groups, alreadyQueued: r.alreadyQueued, fromLibrary: r.fromLibrary }));
    await new Promise((res) => setTimeout(res, 60_000));
  }
}

if (process.argv.includes("--role") && process.argv[process.argv.indexOf("--role") + 1] === "cron") {
  cronRole().catch((err: unknown) => {
    console.error(`[cron] ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
} else if (fileURLToPath(import.meta.url) === process.argv[1]) {
  runPrefetchScale({ json: process.argv.includes("--json") }).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
