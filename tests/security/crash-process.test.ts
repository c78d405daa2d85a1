// Crash test with a real process (needs `next build`; skipped without one): start `next start` on the
// simulator, begin a 10-lesson generate-similar, SIGKILL the server mid-stream, start it again. While the
// lease holds, the same Idempotency-Key answers 409; after it (aged in the database while the server is
// down) the key takes over, and the quota charged equals the lessons actually saved.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";

const root = process.cwd();
const built = existsSync(path.join(root, ".next", "BUILD_ID"));
const KEY = "crash-test-key-0001";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

const dataDir = mkdtempSync(path.join(tmpdir(), "ll-crash-"));
const pgliteDir = path.join(dataDir, "pglite");
let server: ChildProcess | null = null;
let base = "";

async function start(): Promise<void> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOCAL_AUTH: "allow",
      PGLITE_DIR: pgliteDir,
      DATABASE_URL: "",
      TEST_DATABASE_URL: "",
      // Slow enough that the kill lands between lessons.
      SIM_PROFILE: "typical",
      SIM_TIME_SCALE: "0.3",
      LLM_MAX_CONCURRENCY: "1",
      AUTH_SECRET: "crash-test-auth-secret-0123456789abcdef",
    },
    stdio: "ignore",
  });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("next start did not come up");
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  const s = server;
  server = null;
  if (!s || s.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    s.once("exit", () => resolve());
    s.kill(signal);
  });
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
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!built)("a server killed mid-stream", () => {
  it("leaves a key usable after the lease and a quota equal to the lessons saved", async () => {
    await start();
    const signIn = await fetch(`${base}/api/auth/local`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"email":"pro@example.com"}' });
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0];
    const list = (await (await fetch(`${base}/api/playlists`, { headers: { cookie } })).json()) as { playlists: { id: string; lessonCount: number }[] };
    const playlist = list.playlists.find((p) => p.lessonCount > 0)!;
    const usedBefore = ((await (await fetch(`${base}/api/quota`, { headers: { cookie } })).json()) as { usedToday: number }).usedToday;
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

    const crashed = await withDb(async (db) => {
      const r = await db.query<{ id: string; status: string; saved: number; held: number }>(
        `select g.id, g.status,
                (select count(*)::int from public.lessons l where l.generation_request_id = g.id) as saved,
                (select count(*)::int from public.quota_reservations q where q.request_id = g.id and q.status = 'held') as held
           from public.generation_requests g where g.idempotency_key = $1`,
        [KEY],
      );
      return r.rows[0];
    });
    expect(crashed.status).toBe("running");
    expect(crashed.saved).toBeGreaterThan(0);
    expect(crashed.saved).toBeLessThan(10);
    expect(crashed.held).toBe(1);

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

    const saved = await withDb(async (db) => {
      const r = await db.query<{ n: number }>("select count(*)::int as n from public.lessons where generation_request_id in ($1, $2)", [crashed.id, body.requestId]);
      return r.rows[0].n;
    });
    console.log("[crash-process]", JSON.stringify({ savedBeforeKill: crashed.saved, savedByRetry: body.lessons.length, usedBefore, usedAfter: quota.usedToday, reserved: quota.reserved }));
    expect(quota.reserved).toBe(0);
    expect(quota.usedToday - usedBefore).toBe(saved);
    expect(saved).toBe(crashed.saved + body.lessons.length);
  }, 300_000);
});
