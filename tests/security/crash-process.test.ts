// Crash test with real processes (needs `next build`; skipped without one): the simulator runs as its own
// process (so its call count survives), `next start` talks to it over HTTP. Begin a 10-lesson
// generate-similar, SIGKILL the server mid-stream, start it again. While the lease holds, the same
// Idempotency-Key answers 409; after it (aged in the database while the server is down) the key takes
// over. At the end: the quota charged equals the lessons actually saved, and the usage events equal the
// simulator's calls — the call the kill interrupted included (its write-ahead estimate becomes its event).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { hasProductionBuild, startNext, startSim, type ChildServer, type SimServer } from "./prod-server";

const KEY = "crash-test-key-0001";

const dataDir = mkdtempSync(path.join(tmpdir(), "ll-crash-"));
const pgliteDir = path.join(dataDir, "pglite");
let sim: SimServer | null = null;
let server: ChildServer | null = null;
let base = "";

async function start(): Promise<void> {
  server = await startNext({
    LOCAL_AUTH: "allow",
    PGLITE_DIR: pgliteDir,
    // The simulator in its own process, reached like any OpenAI-compatible endpoint.
    LLM_PROVIDER: "custom",
    LLM_BASE_URL: sim!.url,
    LLM_MODEL: "sim-standard",
    LLM_MODEL_BACKGROUND: "sim-mini",
    LLM_MAX_CONCURRENCY: "1",
    AUTH_SECRET: "crash-test-auth-secret-0123456789abcdef",
  });
  base = server.base;
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  await server?.stop(signal);
  server = null;
}

/** The database, opened directly while no server holds it. */
async function withDb<T>(run: (db: PGlite) => Promise<T>): Promise<T> {
  const db = await PGlite.create(pgliteDir);
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

afterAll(async () => {
  await stop("SIGKILL");
  await sim?.stop("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!hasProductionBuild)("a server killed mid-stream", () => {
  it("leaves a key usable after the lease, a quota equal to the lessons saved and usage events equal to the provider's calls", async () => {
    // Slow enough that the kill lands mid-call.
    sim = await startSim(["--profile", "typical", "--time-scale", "0.3"]);
    await start();
    const signIn = await fetch(`${base}/api/auth/local`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"email":"pro@example.com"}' });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0];
    const list = (await (await fetch(`${base}/api/playlists`, { headers: { cookie } })).json()) as { playlists: { id: string; lessonCount: number }[] };
    const playlist = list.playlists.find((p) => p.lessonCount > 0)!;
    const usedBefore = ((await (await fetch(`${base}/api/quota`, { headers: { cookie } })).json()) as { usedToday: number }).usedToday;
    const callsBefore = (await sim.stats()).calls;
    const generate = () =>
      fetch(`${base}/api/playlists/${playlist.id}/generate-similar`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", accept: "application/x-ndjson", "idempotency-key": KEY },
        body: JSON.stringify({ count: 10 }),
      });

    // Read the stream until the first lesson arrives, then kill the server without warning.
    const res = await generate();
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes('"type":"lesson"')) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('"type":"lesson"');
    await stop("SIGKILL");
    await reader.cancel().catch(() => undefined);
    const callsAtKill = (await sim.stats()).calls - callsBefore;

    const crashed = await withDb(async (db) => {
      const r = await db.query<{ id: string; status: string; saved: number; held: number; events: number; attempts: number }>(
        `select g.id, g.status,
                (select count(*)::int from public.lessons l where l.generation_request_id = g.id) as saved,
                (select count(*)::int from public.quota_reservations q where q.request_id = g.id and q.status = 'held') as held,
                (select count(*)::int from public.usage_events e where e.request_id = g.id) as events,
                (select count(*)::int from public.usage_attempts a where a.request_id = g.id) as attempts
           from public.generation_requests g where g.idempotency_key = $1`,
        [KEY],
      );
      return r.rows[0];
    });
    expect(crashed.status).toBe("running");
    expect(crashed.saved).toBeGreaterThan(0);
    expect(crashed.saved).toBeLessThan(10);
    expect(crashed.held).toBe(1);
    // The call on the wire at the kill has no event, only its write-ahead row.
    expect(crashed.attempts).toBeGreaterThan(0);
    expect(crashed.events + crashed.attempts).toBe(callsAtKill);

    // Restarted, within the lease: the key is still taken.
    await start();
    const early = await generate();
    expect(early.status).toBe(409);
    await stop("SIGTERM");

    // Past the lease (aged while the server is down), the same key runs again.
    await withDb(async (db) => {
      await db.query("update public.generation_requests set updated_at = now() - interval '6 minutes' where id = $1", [crashed.id]);
      await db.query("update public.quota_reservations set created_at = now() - interval '6 minutes' where request_id = $1", [crashed.id]);
    });
    await start();
    const late = await fetch(`${base}/api/playlists/${playlist.id}/generate-similar`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", "idempotency-key": KEY },
      body: JSON.stringify({ count: 10 }),
    });
    expect(late.status).toBe(200);
    const body = (await late.json()) as { requestId: string; lessons: unknown[] };
    expect(body.requestId).not.toBe(crashed.id);
    const quota = (await (await fetch(`${base}/api/quota`, { headers: { cookie } })).json()) as { usedToday: number; reserved: number };
    await stop("SIGTERM");
    const simCalls = (await sim.stats()).calls - callsBefore;

    const after = await withDb(async (db) => {
      const ids = [crashed.id, body.requestId];
      const one = async (sql: string) => (await db.query<{ n: number }>(sql, [ids])).rows[0].n;
      return {
        saved: await one("select count(*)::int as n from public.lessons where generation_request_id = any($1::uuid[])"),
        events: await one("select count(*)::int as n from public.usage_events where request_id = any($1::uuid[])"),
        interrupted: await one("select count(*)::int as n from public.usage_events where request_id = any($1::uuid[]) and error_code = 'interrupted'"),
        allEvents: await one("select count(*)::int as n from public.usage_events where $1::uuid[] is not null"),
        attemptsLeft: await one("select count(*)::int as n from public.usage_attempts where $1::uuid[] is not null"),
      };
    });
    console.log(
      "[crash-process]",
      JSON.stringify({ savedBeforeKill: crashed.saved, savedByRetry: body.lessons.length, usedBefore, usedAfter: quota.usedToday, reserved: quota.reserved, callsAtKill, eventsAtKill: crashed.events, simCalls, ...after }),
    );
    expect(quota.reserved).toBe(0);
    expect(quota.usedToday - usedBefore).toBe(after.saved);
    expect(after.saved).toBe(crashed.saved + body.lessons.length);
    expect(after.events).toBe(simCalls);
    expect(after.allEvents).toBe(simCalls);
    expect(after.interrupted).toBe(crashed.attempts);
    expect(after.attemptsLeft).toBe(0);
  }, 300_000);
});
