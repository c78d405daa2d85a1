// One RPM/TPM budget across processes, in Postgres: many clients on separate connections take room
// from the same (provider, model) budget, and no window ever holds more than the limit.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { realClock } from "@/lib/clock";
import { createTestDb, testDatabaseUrl, testDbKinds, type TestDb } from "@/lib/db/testing";
import { RateLimiter } from "@/lib/llm/rate-limiter";
import { SharedRateLimit, type SharedLimits } from "@/lib/llm/shared-rate-limit";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function serverDb(): Promise<TestDb> {
  const db = await createTestDb({ kind: "postgres" });
  cleanups.push(db.cleanup);
  return db;
}

function client(db: TestDb, model: string, limits: SharedLimits, provider = "openai") {
  const service = db.provider.as({ role: "service_role" });
  return new SharedRateLimit({ db: async () => service, provider, limits, maxPollMs: 100, log: () => {} });
}

/** Largest total of `value` over grants inside any window of `windowMs` (a window starts at each grant). */
function busiestWindow(grants: { at: number; tokens: number }[], windowMs: number) {
  const sorted = [...grants].sort((a, b) => a.at - b.at);
  let requests = 0;
  let tokens = 0;
  for (let i = 0; i < sorted.length; i++) {
    let r = 0;
    let t = 0;
    for (let j = i; j < sorted.length && sorted[j].at < sorted[i].at + windowMs; j++) {
      r++;
      t += sorted[j].tokens;
    }
    requests = Math.max(requests, r);
    tokens = Math.max(tokens, t);
  }
  return { requests, tokens };
}

const LONG = 180_000;

describe.skipIf(!testDatabaseUrl())("shared LLM rate limit (Postgres)", () => {
  it("six clients on separate connections never exceed the RPM or TPM of any window, and use most of it", async () => {
    const db = await serverDb();
    const windowMs = 2000;
    const limits = { rpm: 25, tpm: 3000, reserveFraction: 0.2, windowMs };
    const clients = Array.from({ length: 6 }, () => client(db, "gpt-test", limits));
    const granted: { at: number; tokens: number }[] = [];
    let seed = 11;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const until = Date.now() + 9000;
    await Promise.all(
      clients.map(async (c, i) => {
        while (Date.now() < until) {
          const reserved = 50 + Math.floor(random() * 250);
          const r = await c.reserve("gpt-test", reserved, { priority: i % 2 ? "background" : "interactive" });
          // What the provider counted: the prompt plus part of max_tokens, never more than reserved.
          const used = Math.floor(reserved * (0.3 + 0.7 * random()));
          await new Promise((res) => setTimeout(res, random() * 50));
          await r.release({ sent: true, tokens: used });
          granted.push({ at: r.grantedAt, tokens: used }); // the database's clock, the window's own
        }
      }),
    );
    const busiest = busiestWindow(granted, windowMs);
    expect(granted.length).toBeGreaterThan(limits.rpm * 2); // several windows' worth were granted
    expect(busiest.requests).toBeLessThanOrEqual(limits.rpm);
    expect(busiest.tokens).toBeLessThanOrEqual(limits.tpm);
    // The budget binds rather than starving the clients: the busiest window is near one of the limits.
    expect(Math.max(busiest.requests / limits.rpm, busiest.tokens / limits.tpm)).toBeGreaterThanOrEqual(0.8);
  }, LONG);

  it("four processes never exceed the RPM or TPM of any window together", async () => {
    const db = await serverDb();
    // The child processes reach the same database as the superuser of the test server.
    const [{ name }] = await db.sql.query("select current_database() as name");
    const url = new URL(testDatabaseUrl()!);
    url.pathname = `/${String(name)}`;
    const windowMs = Number(process.env.RATE_TEST_WINDOW_MS ?? "2000");
    const durationMs = Number(process.env.RATE_TEST_DURATION_MS ?? "8000");
    const limits = { rpm: 30, tpm: 4000 };
    const root = path.resolve(__dirname, "../..");
    const outputs = await Promise.all(
      [1, 2, 3, 4].map(
        (seed) =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(__dirname, "fixtures/rate-client.ts")], {
              cwd: root,
              env: { ...process.env, RATE_DB_URL: url.toString(), RPM: String(limits.rpm), TPM: String(limits.tpm), WINDOW_MS: String(windowMs), DURATION_MS: String(durationMs), SEED: String(seed * 7919) },
              stdio: ["ignore", "pipe", "pipe"],
            });
            let out = "";
            let err = "";
            child.stdout.on("data", (d) => (out += String(d)));
            child.stderr.on("data", (d) => (err += String(d)));
            child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`rate client exited ${code}: ${err}`))));
          }),
      ),
    );
    const perProcess = outputs.map((o) => o.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { at: number; tokens: number }));
    const granted = perProcess.flat();
    const busiest = busiestWindow(granted, windowMs);
    console.info(`[shared-rate-limit] ${perProcess.length} processes, window ${windowMs} ms, ${granted.length} calls (${perProcess.map((p) => p.length).join("/")}); busiest window ${busiest.requests}/${limits.rpm} requests, ${busiest.tokens}/${limits.tpm} tokens`);
    expect(perProcess.every((p) => p.length > 0)).toBe(true); // every process got its share
    expect(busiest.requests).toBeLessThanOrEqual(limits.rpm);
    expect(busiest.tokens).toBeLessThanOrEqual(limits.tpm);
    expect(Math.max(busiest.requests / limits.rpm, busiest.tokens / limits.tpm)).toBeGreaterThanOrEqual(0.8);
  }, 400_000);

  it("background calls leave the reserve free: interactive ones still get through when background ones must wait", async () => {
    const db = await serverDb();
    const c = client(db, "m", { rpm: 10, tpm: 100_000, reserveFraction: 0.3, windowMs: 60_000 });
    const bg: number[] = [];
    for (let i = 0; i < 7; i++) bg.push((await c.reserve("m", 10, { priority: "background", maxWaitMs: 0 })).id);
    await expect(c.reserve("m", 10, { priority: "background", maxWaitMs: 0 })).rejects.toMatchObject({ code: "deadline" });
    for (let i = 0; i < 3; i++) await c.reserve("m", 10, { priority: "interactive", maxWaitMs: 0 });
    await expect(c.reserve("m", 10, { priority: "interactive", maxWaitMs: 0 })).rejects.toMatchObject({ code: "deadline" });
    expect(bg).toHaveLength(7);
  }, LONG);

  it("a reservation holds estimated prompt + max_tokens; the unused part is refunded, an unsent call gives all back", async () => {
    const db = await serverDb();
    const c = client(db, "m", { tpm: 1000, reserveFraction: 0, windowMs: 60_000 });
    const first = await c.reserve("m", 900, { priority: "interactive" });
    await expect(c.reserve("m", 500, { priority: "interactive", maxWaitMs: 0 })).rejects.toMatchObject({ code: "deadline" });
    await first.release({ sent: true, tokens: 300 }); // refund 600
    const second = await c.reserve("m", 600, { priority: "interactive", maxWaitMs: 0 });
    await expect(c.reserve("m", 200, { priority: "interactive", maxWaitMs: 0 })).rejects.toMatchObject({ code: "deadline" });
    await second.release({ sent: false }); // never reached the provider
    await c.reserve("m", 700, { priority: "interactive", maxWaitMs: 0 });
    const [row] = await db.sql.query("select sum(tokens)::int as used, count(*)::int as n from public.llm_rate_grants");
    expect(row).toEqual({ used: 1000, n: 2 });
  }, LONG);

  it("the provider's headers correct the budget: a lower limit wins, usage we did not see counts, an exhausted budget blocks until reset", async () => {
    const db = await serverDb();
    const c = client(db, "m", { rpm: 100, tpm: 10_000, reserveFraction: 0, windowMs: 60_000 });
    await c.reserve("m", 1000, { priority: "interactive" });
    // The provider says 6 000 tokens remain where we count 9 000: 3 000 were spent elsewhere on the key.
    await c.observe("m", { requests: [{ window: "minute", limit: 50, remaining: 49, resetMs: 1000 }], tokens: [{ window: "minute", limit: 10_000, remaining: 6000, resetMs: 20_000 }], retryAfterMs: null });
    const [lim] = await db.sql.query("select rpm, tpm from public.llm_rate_limits");
    expect(lim).toEqual({ rpm: 50, tpm: 10_000 });
    await expect(c.reserve("m", 6500, { priority: "interactive", maxWaitMs: 0 })).rejects.toMatchObject({ code: "deadline" });
    await c.reserve("m", 6000, { priority: "interactive", maxWaitMs: 0 });
    // Remaining 0 with a reset in 1.5 s: nobody gets in before it, then it opens again.
    const c2 = client(db, "m2", { rpm: 100, tpm: 10_000, reserveFraction: 0, windowMs: 60_000 });
    await c2.reserve("m2", 10, { priority: "interactive" });
    await c2.observe("m2", { requests: [{ window: "minute", limit: 100, remaining: 0, resetMs: 1500 }], tokens: [], retryAfterMs: null });
    const started = Date.now();
    await expect(c2.reserve("m2", 10, { priority: "interactive", maxWaitMs: 0 })).rejects.toMatchObject({ code: "deadline" });
    await c2.reserve("m2", 10, { priority: "interactive" });
    // Opens at the provider's reset (1.5 s), not when our 60 s window would have passed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1300);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, LONG);

  it("two processes' limiters with generous local limits are held to the one shared budget", async () => {
    const db = await serverDb();
    const limits = { rpm: 5, reserveFraction: 0, windowMs: 2500 };
    const limiters = [0, 1].map(
      () => new RateLimiter({ maxConcurrency: 10, rpm: 1000, tpm: 1_000_000, clock: realClock, shared: client(db, "m", limits).forModel("m") }),
    );
    const grantedAt: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const permit = await limiters[i % 2].acquire(100);
        permit.markSent();
        grantedAt.push(Date.now() - started);
        permit.release({ tokens: 80 });
      }),
    );
    grantedAt.sort((a, b) => a - b);
    expect(grantedAt[4]).toBeLessThan(2000); // the first five at once
    expect(grantedAt[5]).toBeGreaterThanOrEqual(2000); // the rest only when the first leave the window
  }, LONG);
});

describe.each(testDbKinds())("shared rate limit and job tables are the server's only ($kind)", ({ kind, skip }) => {
  it.skipIf(skip)("learners and anonymous callers can neither call the functions nor read the tables or the pgboss schema", async () => {
    const db = await createTestDb({ kind });
    cleanups.push(db.cleanup);
    const learner = { role: "authenticated" as const, userId: "00000000-0000-4000-8000-000000000001" };
    for (const actor of [learner, { role: "anon" as const }]) {
      for (const sql of [
        "select public.llm_rate_reserve('openai', 'm', 10, 'interactive')",
        "select public.llm_rate_configure('openai', 'm', 1, 1, 0.1, 61000)",
        "select public.llm_rate_observe('openai', 'm', 1, 0, 60000)",
        "select public.llm_rate_release(1, false, null)",
        "select * from public.llm_rate_grants",
        "select * from public.llm_rate_limits",
        "create table pgboss.intruder (x int)",
      ]) {
        await expect(db.runAs(actor, sql), `${actor.role}: ${sql}`).rejects.toMatchObject({ code: "42501" });
      }
    }
    const service = db.provider.as({ role: "service_role" });
    expect(await service.rpc("llm_rate_reserve", { p_provider: "openai", p_model: "m", p_tokens: 10, p_priority: "interactive" })).toMatchObject({ granted: true });
    await expect(service.rpc("llm_rate_reserve", { p_provider: "openai", p_model: "m", p_tokens: -1, p_priority: "interactive" })).rejects.toMatchObject({ message: "invalid_request" });
  }, LONG);
});

describe("the gateway's calls in the shared budget", () => {
  it("each call reserves with its own priority: a sweep on the interactive model still counts as background", async () => {
    const { createGateway } = await import("@/lib/llm/gateway");
    const { createSimulator } = await import("@/lib/llm/sim");
    const { generateLessonBatch } = await import("@/lib/batch");
    const seen: string[] = [];
    // The shared budget's reservations, recorded instead of taken from a database.
    class RecordingLimit extends SharedRateLimit {
      override forModel(model: string) {
        return {
          reserve: async (_tokens: number, opts: { priority: "interactive" | "background" }) => {
            seen.push(`${model}:${opts.priority}`);
            return { id: seen.length, grantedAt: Date.now(), release: async () => {} };
          },
          observe: () => {},
        };
      }
    }
    const sharedLimit = new RecordingLimit({ db: async () => Promise.reject(new Error("unused")), provider: "sim", limits: { reserveFraction: 0.2 } });
    const sim = createSimulator({ profile: "instant", timeScale: 0.01, seed: 3, rpm: 100_000, tpm: 100_000_000 });
    // No background model configured: background work runs on the interactive model.
    const llm = createGateway({ provider: "sim", model: "sim-standard", maxConcurrency: 4, timeoutMs: 30_000 }, { fetch: sim.fetch, clock: sim.clock, sharedLimit });
    const ask = [{ subject: "Physics", topic: "Optics", difficulty: "easy" as const }];
    for (const priority of ["background", "interactive"] as const) {
      for await (const r of generateLessonBatch({ llm, clock: sim.clock, usage: { record: async () => {} } }, ask, { priority })) expect(r.ok).toBe(true);
    }
    expect(seen).toEqual(["sim-standard:background", "sim-standard:interactive"]);
  });
});
