// Against the production build (`next build` first; skipped without one): the built app's headers, the
// proxy's cross-site refusal, the open redirect, what /api/health tells strangers, and the top-up loop
// attack through real HTTP — after the allowance, 429 topup_limit_reached and no more provider calls.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasProductionBuild, startNext, type ChildServer } from "./prod-server";

const CRON = "built-app-cron-secret-0123456789";

let server: ChildServer | null = null;
let base = "";
let dataDir = "";

describe.skipIf(!hasProductionBuild)("production build", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "ll-built-"));
    server = await startNext({
      LOCAL_AUTH: "allow",
      PGLITE_DIR: path.join(dataDir, "pglite"),
      SIM_PROFILE: "instant",
      CRON_SECRET: CRON,
      TOPUP_LESSONS_DAILY: "6",
      AUTH_SECRET: "built-app-auth-secret-0123456789abcdef",
    });
    base = server.base;
  }, 150_000);

  afterAll(async () => {
    await server?.stop("SIGTERM");
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(email: string): Promise<string> {
    const res = await fetch(`${base}/api/auth/local`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) });
    expect(res.status).toBe(200);
    return (res.headers.get("set-cookie") ?? "").split(";")[0];
  }

  it("sends the security headers on pages and API responses, and the page's inline scripts are allowed", async () => {
    for (const p of ["/login", "/api/health"]) {
      const res = await fetch(`${base}${p}`);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-eval");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("x-powered-by")).toBeNull();
      if (p === "/login") {
        const html = await res.text();
        // Next inlines scripts without nonces: the policy must allow inline scripts or the page breaks.
        expect(/<script>[^<]/.test(html)).toBe(true);
        expect(csp).toMatch(/script-src 'self' 'unsafe-inline'/);
      }
    }
  });

  it("tells strangers only whether it is up", async () => {
    expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ ok: true });
    const detail = (await (await fetch(`${base}/api/health`, { headers: { authorization: `Bearer ${CRON}` } })).json()) as Record<string, unknown>;
    expect(Object.keys(detail).sort()).toEqual(["db", "ok", "provider"]);
  });

  it("refuses a cross-site sign-in post and the tab open redirect", async () => {
    const crossSite = await fetch(`${base}/api/auth/local`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: "email=learner%40example.com",
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
    const redirect = await fetch(`${base}/api/auth/local`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "learner@example.com", next: "/\t/evil.com" }).toString(),
    });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("location")).toBe("/");
  });

  it("the top-up loop stops at the allowance: 429 topup_limit_reached, no more provider calls", async () => {
    const learner = await signIn("looper@example.com");
    const admin = await signIn("admin@example.com");
    const calls = async () => {
      const u = (await (await fetch(`${base}/api/admin/usage`, { headers: { cookie: admin } })).json()) as { totals: { calls: number } };
      return u.totals.calls;
    };
    const catalog = (await (await fetch(`${base}/api/topics`, { headers: { cookie: learner } })).json()) as { subjects: { topics: { id: string }[] }[] };
    const topics = catalog.subjects.flatMap((s) => s.topics).slice(0, 3);
    for (const t of topics) {
      const r = await fetch(`${base}/api/topics/${t.id}/follow`, { method: "PUT", headers: { cookie: learner, "content-type": "application/json" }, body: JSON.stringify({ difficulty: "hard" }) });
      expect(r.status).toBe(200);
    }
    const rounds: { status: number; code: string | null; callsAfter: number }[] = [];
    for (let round = 0; round < 8; round++) {
      const feed = (await (await fetch(`${base}/api/fyp`, { headers: { cookie: learner } })).json()) as { items: { lessonId: string }[] };
      for (const item of feed.items) {
        const seen = await fetch(`${base}/api/fyp/seen`, { method: "POST", headers: { cookie: learner, "content-type": "application/json" }, body: JSON.stringify({ lessonId: item.lessonId }) });
        expect(seen.status).toBe(200);
      }
      const res = await fetch(`${base}/api/fyp/generate-pending`, { method: "POST", headers: { cookie: learner, "content-type": "application/json" }, body: "{}" });
      const body = (await res.json()) as { error?: { code: string } };
      rounds.push({ status: res.status, code: body.error?.code ?? null, callsAfter: await calls() });
      if (rounds.filter((r) => r.status === 429).length >= 3) break;
    }
    console.log("[built-app] top-up rounds", JSON.stringify(rounds));
    const refused = rounds.filter((r) => r.status === 429);
    expect(refused.length).toBe(3);
    expect(refused.every((r) => r.code === "topup_limit_reached")).toBe(true);
    expect(rounds.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    // Once refused, the provider saw no further call.
    const first = rounds.findIndex((r) => r.status === 429);
    expect(new Set(rounds.slice(first - 1 < 0 ? 0 : first - 1).map((r) => r.callsAfter)).size).toBe(1);
  }, 120_000);
});
