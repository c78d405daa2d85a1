// npm run load -- [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--url http://127.0.0.1:3000]
//                 [--connections 1,20,200] [--duration 30] [--short-duration 10] [--learners 50]
//                 [--targets feed,similar] [--keep-db] [--node-options "--cpu-prof --cpu-prof-dir=/tmp/prof"]
// A loopback load generator (Node's http with keep-alive agents, no extra dependency) for the production
// build on the Postgres server adapter. With --database-url (a superuser URL of a Postgres server) it
// creates a fresh database, migrates and seeds it, starts `next start` (needs `next build`) on it with the
// instant simulator in its own process (the provider takes no time and none of the app's CPU), signs in
// --learners learners (each follows 3 topics and has a playlist), and runs each target at each connection
// count (--duration for 200 and more, --short-duration below): the feed (GET /api/fyp) and
// generate-similar (POST, 2 lessons; most answers are 429 by design: 12 requests a minute per learner and
// the daily quota). With --url it loads an already running server instead (same setup through the API).
// Prints per run: requests, req/s, status counts, latency p50/p95/p99/max (ms), the server's own
// Server-Timing figures when present, and CPU ms per request of the app and of Postgres (from /proc).
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migrate, seedOnce } from "../lib/db/migrate";
import { postgresExecutor } from "../lib/db/postgres-adapter";
import { startNext, startSim, type ChildServer, type SimServer } from "../tests/security/prod-server";

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const [k, inline] = a.slice(2).split("=", 2);
    if (inline !== undefined) out[k] = inline;
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out[k] = argv[++i];
    else out[k] = "true";
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const connectionCounts = (args.connections ?? "1,20,200").split(",").map(Number);
const longSeconds = Number(args.duration ?? 30);
const shortSeconds = Number(args["short-duration"] ?? 10);
const learnerCount = Number(args.learners ?? 50);
const targets = (args.targets ?? "feed,similar").split(",");

// ---- one HTTP request on a keep-alive agent ---------------------------------------------------------------

interface Answer {
  status: number;
  ms: number;
  serverTiming: string | null;
  setCookie: string | null;
  body: string;
}

function request(agent: http.Agent, base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const url = new URL(path, base);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { ...headers, ...(body ? { "content-length": Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - started,
            serverTiming: (res.headers["server-timing"] as string | undefined) ?? null,
            setCookie: res.headers["set-cookie"]?.[0] ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", () => resolve({ status: 0, ms: performance.now() - started, serverTiming: null, setCookie: null, body: "" }));
      },
    );
    req.on("error", () => resolve({ status: 0, ms: performance.now() - started, serverTiming: null, setCookie: null, body: "" }));
    if (body) req.write(body);
    req.end();
  });
}

// ---- CPU time of the app server and of Postgres, from /proc ------------------------------------------------

const TICK_MS = 10; // USER_HZ = 100 on Linux

function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime + stime
  } catch {
    return 0;
  }
}

function processTable(): { pid: number; ppid: number; name: string }[] {
  const out: { pid: number; ppid: number; name: string }[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.push({ pid: Number(d), ppid, name });
    } catch {
      // gone
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/**
 * CPU ms so far of `root` and its descendants, and of the Postgres backends serving `database` (when
 * the server runs on this machine; other databases' backends are other people's load).
 */
function cpuSnapshot(root: number | null, database: string | null): { app: number; db: number } {
  const table = processTable();
  let app = 0;
  if (root !== null) {
    const tree = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of table) {
        if (!tree.has(p.pid) && tree.has(p.ppid)) {
          tree.add(p.pid);
          grew = true;
        }
      }
    }
    for (const pid of tree) app += cpuMsOf(pid);
  }
  // Backends that exited during the run are missed (the app's are pooled, so they stay).
  const db = database === null ? 0 : table.filter((p) => p.name === "postgres" && cmdline(p.pid).includes(` ${database} `)).reduce((s, p) => s + cpuMsOf(p.pid), 0);
  return { app, db };
}

// ---- setup ---------------------------------------------------------------------------------------------------

interface Learner {
  cookie: string;
  playlistId: string | null;
}

async function setUp(base: string, lessonIds: string[]): Promise<Learner[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const json = { "content-type": "application/json" };
  const catalog = JSON.parse((await request(agent, base, "GET", "/api/topics", {})).body || "{}") as { subjects?: { topics: { id: string }[] }[] };
  const topics = (catalog.subjects ?? []).flatMap((s) => s.topics).map((t) => t.id);
  const tag = randomBytes(3).toString("hex");
  const learners = await Promise.all(
    Array.from({ length: learnerCount }, async (_, i) => {
      const signIn = await request(agent, base, "POST", "/api/auth/local", json, JSON.stringify({ email: `load-${tag}-${i}@example.com` }));
      if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${signIn.body.slice(0, 200)}`);
      const cookie = (signIn.setCookie ?? "").split(";")[0];
      const headers = { cookie, ...json };
      for (let k = 0; k < 3 && topics.length > 0; k++) {
        await request(agent, base, "PUT", `/api/topics/${topics[(i * 3 + k) % topics.length]}/follow`, headers, JSON.stringify({ difficulty: "easy" }));
      }
      let playlistId: string | null = null;
      if (lessonIds.length > 0) {
        const created = await request(agent, base, "POST", "/api/playlists", headers, JSON.stringify({ title: `Load ${i}` }));
        if (created.status === 201) {
          playlistId = (JSON.parse(created.body) as { id: string }).id;
          await request(agent, base, "POST", `/api/playlists/${playlistId}/lessons`, headers, JSON.stringify({ lessonId: lessonIds[i % lessonIds.length] }));
        }
      }
      return { cookie, playlistId };
    }),
  );
  // One top-up each, so the feed has pending lessons to answer with (instant simulator).
  for (const l of learners) await request(agent, base, "POST", "/api/fyp/generate-pending", { cookie: l.cookie, "content-type": "application/json" }, "{}");
  agent.destroy();
  return learners;
}

// ---- one run ------------------------------------------------------------------------------------------------

const pct = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
const round = (n: number) => Math.round(n * 10) / 10;

/** Server-Timing `name;dur=x` values, summed by name over the run. */
function addTimings(into: Map<string, number[]>, header: string | null) {
  if (!header) return;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().split(";");
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith("dur="));
    if (name && dur) {
      const list = into.get(name) ?? [];
      list.push(Number(dur.slice(4)));
      into.set(name, list);
    }
  }
}

async function run(base: string, serverPid: number | null, database: string | null, target: string, connections: number, seconds: number, learners: Learner[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const timings = new Map<string, number[]>();
  const withPlaylist = learners.filter((l) => l.playlistId !== null);
  const cpuBefore = cpuSnapshot(serverPid, database);
  const started = performance.now();
  const until = started + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < until) {
      const i = next++;
      let a: Answer;
      if (target === "feed") {
        a = await request(agent, base, "GET", "/api/fyp", { cookie: learners[i % learners.length].cookie });
      } else {
        const l = withPlaylist[i % withPlaylist.length];
        a = await request(agent, base, "POST", `/api/playlists/${l.playlistId}/generate-similar`, { cookie: l.cookie, "content-type": "application/json" }, JSON.stringify({ count: 2 }));
      }
      latencies.push(a.ms);
      statuses[a.status] = (statuses[a.status] ?? 0) + 1;
      addTimings(timings, a.serverTiming);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuSnapshot(serverPid, database);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const n = sorted.length;
  const serverTiming = Object.fromEntries(
    [...timings].map(([name, xs]) => {
      const s = xs.sort((a, b) => a - b);
      return [name, { p50: round(pct(s, 0.5)), p95: round(pct(s, 0.95)), p99: round(pct(s, 0.99)) }];
    }),
  );
  const result = {
    target,
    connections,
    seconds: round(elapsed),
    requests: n,
    rps: round(n / elapsed),
    statuses,
    ms: { p50: round(pct(sorted, 0.5)), p95: round(pct(sorted, 0.95)), p99: round(pct(sorted, 0.99)), max: round(sorted[n - 1] ?? 0) },
    cpuMsPerRequest: serverPid === null ? null : { app: round((cpuAfter.app - cpuBefore.app) / n), postgres: database === null ? null : round((cpuAfter.db - cpuBefore.db) / n) },
    serverTiming,
  };
  console.log(JSON.stringify(result));
  return result;
}

// ---- main ---------------------------------------------------------------------------------------------------

async function main() {
  let server: ChildServer | null = null;
  let sim: SimServer | null = null;
  let dropDb: (() => Promise<void>) | null = null;
  let base = args.url ?? "";
  let lessonIds: string[] = [];
  let database: string | null = null;
  try {
    if (args["database-url"]) {
      const adminUrl = args["database-url"];
      database = `ll_load_${Date.now().toString(36)}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${database}`);
      await admin.end();
      const dbUrl = new URL(adminUrl);
      dbUrl.pathname = `/${database}`;
      const sql = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
      const exec = postgresExecutor(sql);
      await migrate(exec);
      await seedOnce(exec);
      lessonIds = (await exec.query("select id from public.lessons where private_to is null order by id limit 200")).map((r) => String(r.id));
      await sql.end();
      if (args["keep-db"] !== "true") {
        dropDb = async () => {
          const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
          await a.unsafe(`drop database if exists ${database} with (force)`);
          await a.end();
        };
      }
      // The provider in its own process (the instant simulator), so the app's CPU is the app's alone.
      sim = await startSim(["--profile", "instant"]);
      server = await startNext({
        DATABASE_URL: dbUrl.toString(),
        LOCAL_AUTH: "allow",
        AUTH_SECRET: "load-test-auth-secret-0123456789abcdef",
        LLM_PROVIDER: "custom",
        LLM_BASE_URL: sim.url,
        LLM_MODEL: "sim-standard",
        LLM_MODEL_BACKGROUND: "sim-mini",
        // The load is the point: no spend or allowance limit should be what answers.
        SPEND_CAP_DAILY_USD: "100000",
        TOPUP_LESSONS_DAILY: "100000",
        // e.g. --node-options "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server.
        ...(args["node-options"] ? { NODE_OPTIONS: args["node-options"] } : {}),
      });
      base = server.base;
      console.error(`[load] next start on ${database} at ${base}`);
    }
    if (!base) throw new Error("give --database-url (starts a server on a fresh database) or --url (a running server)");
    const learners = await setUp(base, lessonIds);
    console.error(`[load] ${learners.length} learners signed in`);
    const pid = server?.child.pid ?? null;
    for (const target of targets) {
      if (target === "similar" && !learners.some((l) => l.playlistId !== null)) {
        console.error("[load] no learner has a playlist (only --database-url sets them up): skipping generate-similar");
        continue;
      }
      for (const c of connectionCounts) await run(base, pid, database, target, c, c >= 200 ? longSeconds : shortSeconds, learners);
    }
  } finally {
    await server?.stop("SIGTERM");
    await sim?.stop("SIGTERM");
    await dropDb?.();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
