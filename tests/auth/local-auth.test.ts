// Local sign-in, sessions, sign-out, /api/me and /api/health, calling the route handlers with plain
// Requests against a fresh PGlite database (docs/architecture.md, runtime modes: local sessions for development and demos).
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as signIn } from "@/app/api/auth/local/route";
import { POST as signOutRoute } from "@/app/api/auth/sign-out/route";
import { GET as meRoute } from "@/app/api/me/route";
import { GET as health } from "@/app/api/health/route";
import { getViewer, sessionCookieFor } from "@/lib/auth";
import { authSecretFile, resetAuthSecretCache } from "@/lib/auth/auth-secret";
import { setDbProviderForTests } from "@/lib/db";
import { DbError, type DbProvider } from "@/lib/db/port";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { resetServerEnvCache } from "@/lib/env";

let db: TestDb;

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v as string);
  resetServerEnvCache();
  resetAuthSecretCache();
}

beforeAll(async () => {
  db = await createTestDb({ seed: true });
});
afterAll(async () => {
  await db?.cleanup();
});
beforeEach(() => {
  setDbProviderForTests(db.provider);
  setEnv({ AUTH_SECRET: "test-secret-that-is-long-enough-0123456789", NEXT_PUBLIC_SUPABASE_URL: "", LOCAL_AUTH: "", ADMIN_EMAILS: "" });
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  resetAuthSecretCache();
  setDbProviderForTests(null);
});

const json = (body: unknown, url = "http://localhost/api/auth/local") =>
  new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const form = (fields: Record<string, string>) =>
  new Request("http://localhost/api/auth/local", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0];

describe("POST /api/auth/local", () => {
  const cases: { name: string; env?: Record<string, string>; request: () => Request; status: number; errorCode?: string; location?: string }[] = [
    { name: "JSON sign-in", request: () => json({ email: "learner@example.com" }), status: 200 },
    { name: "form sign-in redirects home", request: () => form({ email: "learner@example.com" }), status: 303, location: "/" },
    { name: "form sign-in follows a safe next", request: () => form({ email: "learner@example.com", next: "/playlists?x=1" }), status: 303, location: "/playlists?x=1" },
    { name: "protocol-relative next is ignored", request: () => form({ email: "learner@example.com", next: "//evil.example" }), status: 303, location: "/" },
    { name: "backslash next is ignored", request: () => form({ email: "learner@example.com", next: "/\\evil.example" }), status: 303, location: "/" },
    { name: "absolute next is ignored", request: () => form({ email: "learner@example.com", next: "https://evil.example/" }), status: 303, location: "/" },
    { name: "multipart form sign-in (fetch with FormData)", request: () => { const fd = new FormData(); fd.set("email", "learner@example.com"); fd.set("next", "/topics"); return new Request("http://localhost/api/auth/local", { method: "POST", body: fd }); }, status: 303, location: "/topics" },
    { name: "invalid email", request: () => json({ email: "not-an-email" }), status: 400, errorCode: "invalid_request" },
    { name: "missing email", request: () => json({}), status: 400, errorCode: "invalid_request" },
    { name: "broken JSON", request: () => new Request("http://localhost/api/auth/local", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }), status: 400, errorCode: "invalid_request" },
    { name: "plain text body", request: () => new Request("http://localhost/api/auth/local", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }), status: 415, errorCode: "unsupported_media_type" },
    { name: "oversized body", request: () => json({ email: "a@example.com", pad: "x".repeat(5000) }), status: 413, errorCode: "payload_too_large" },
    { name: "refused in production by default", env: { NODE_ENV: "production" }, request: () => json({ email: "learner@example.com" }), status: 403, errorCode: "forbidden" },
    { name: "allowed in production with LOCAL_AUTH=allow", env: { NODE_ENV: "production", LOCAL_AUTH: "allow" }, request: () => json({ email: "learner@example.com" }), status: 200 },
    { name: "refused with LOCAL_AUTH=deny", env: { LOCAL_AUTH: "deny" }, request: () => json({ email: "learner@example.com" }), status: 403, errorCode: "forbidden" },
    { name: "404 when Supabase Auth is configured", env: { NEXT_PUBLIC_SUPABASE_URL: "https://project.supabase.co" }, request: () => json({ email: "learner@example.com" }), status: 404, errorCode: "not_found" },
  ];

  it.each(cases)("$name → $status", async (c) => {
    if (c.env) setEnv(c.env);
    const res = await signIn(c.request());
    expect(res.status).toBe(c.status);
    if (c.errorCode) {
      const body = await res.json();
      expect(body.error.code).toBe(c.errorCode);
      expect(typeof body.error.message).toBe("string");
      expect(res.headers.get("set-cookie")).toBeNull();
    } else {
      expect(res.headers.get("set-cookie")).toMatch(/^ll_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    }
    if (c.location) expect(res.headers.get("location")).toBe(c.location);
  });

  it("answers the user, creates them on first sign-in and reuses them after", async () => {
    const first = await signIn(json({ email: "  Newcomer@Example.com " }));
    const { user } = await first.json();
    expect(user).toMatchObject({ email: "newcomer@example.com", tier: "free", role: "learner", isAdmin: false, displayName: "newcomer" });
    const again = await (await signIn(json({ email: "newcomer@example.com" }))).json();
    expect(again.user.id).toBe(user.id);
  });

  it("sends a browser's plain form back to /login with the error code", async () => {
    const browser = (body: string) =>
      new Request("http://localhost/api/auth/local", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
        body,
      });
    const bad = await signIn(browser("email=nope"));
    expect(bad.status).toBe(303);
    expect(bad.headers.get("location")).toBe("/login?error=invalid_request");
    expect(bad.headers.get("set-cookie")).toBeNull();
    setEnv({ NODE_ENV: "production" });
    expect((await signIn(browser("email=learner%40example.com"))).headers.get("location")).toBe("/login?error=forbidden");
    setEnv({ NODE_ENV: "test", NEXT_PUBLIC_SUPABASE_URL: "https://project.supabase.co" });
    expect((await signIn(browser("email=learner%40example.com"))).status).toBe(404);
  });

  it("marks the cookie Secure over https", async () => {
    const res = await signIn(json({ email: "learner@example.com" }, "https://lessonloom.example/api/auth/local"));
    expect(res.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("promotes ADMIN_EMAILS to admin on sign-in", async () => {
    setEnv({ ADMIN_EMAILS: "boss@example.com, other@example.com" });
    const { user } = await (await signIn(json({ email: "Boss@example.com" }))).json();
    expect(user).toMatchObject({ role: "admin", isAdmin: true });
  });

  it("gives the seeded admin their role", async () => {
    const { user } = await (await signIn(json({ email: "admin@example.com" }))).json();
    expect(user).toMatchObject({ email: "admin@example.com", isAdmin: true, tier: "admin" });
  });
});

describe("sessions", () => {
  it("getViewer reads the cookie the sign-in set", async () => {
    const res = await signIn(json({ email: "pro@example.com" }));
    const viewer = await getViewer(new Request("http://localhost/", { headers: { cookie: `theme=dark; ${cookieOf(res)}` } }));
    expect(viewer).toMatchObject({ email: "pro@example.com", tier: "pro", role: "learner", isAdmin: false });
  });

  it("sessionCookieFor signs a test user in", async () => {
    const cookie = await sessionCookieFor({ userId: "00000000-0000-4000-8000-000000000003", email: "admin@example.com" });
    const viewer = await getViewer(new Request("http://localhost/", { headers: { cookie } }));
    expect(viewer).toMatchObject({ userId: "00000000-0000-4000-8000-000000000003", isAdmin: true, role: "admin" });
  });

  it("ignores missing, forged and foreign-key cookies", async () => {
    const good = await sessionCookieFor({ userId: "00000000-0000-4000-8000-000000000001", email: "learner@example.com" });
    const [name, token] = good.split("=");
    const [h, p] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ sub: "00000000-0000-4000-8000-000000000003", email: "admin@example.com" })).toString("base64url");
    for (const cookie of [null, "ll_session=", `${name}=${h}.${forgedPayload}.${token.split(".")[2]}`, `${name}=${h}.${p}.AAAA`]) {
      const headers = cookie ? { cookie } : undefined;
      expect(await getViewer(new Request("http://localhost/", { headers }))).toBeNull();
    }
    setEnv({ AUTH_SECRET: "a-completely-different-secret-0123456789abcdef" });
    expect(await getViewer(new Request("http://localhost/", { headers: { cookie: good } }))).toBeNull();
  });

  it("a session for a user with no profile is no viewer", async () => {
    const cookie = await sessionCookieFor({ userId: "00000000-0000-4000-8000-0000000000ff", email: "ghost@example.com" });
    expect(await getViewer(new Request("http://localhost/", { headers: { cookie } }))).toBeNull();
  });

  it("generates a 0600 secret in the data directory when AUTH_SECRET is unset", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ll-auth-"));
    setEnv({ AUTH_SECRET: "", PGLITE_DIR: path.join(dir, "pglite") });
    const cookie = await sessionCookieFor({ userId: "00000000-0000-4000-8000-000000000001", email: "learner@example.com" });
    expect(authSecretFile()).toBe(path.join(dir, "auth-secret"));
    expect(statSync(authSecretFile()).mode & 0o777).toBe(0o600);
    expect(readFileSync(authSecretFile(), "utf8").length).toBeGreaterThanOrEqual(32);
    resetAuthSecretCache(); // a restart reads the same file, so the session still verifies
    expect(await getViewer(new Request("http://localhost/", { headers: { cookie } }))).toMatchObject({ email: "learner@example.com" });
  });
});

describe("POST /api/auth/sign-out", () => {
  it("clears the cookie (JSON)", async () => {
    const res = await signOutRoute(new Request("http://localhost/api/auth/sign-out", { method: "POST" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ signedOut: true });
    expect(res.headers.get("set-cookie")).toMatch(/^ll_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
  });

  it("redirects a form post to /login", async () => {
    const res = await signOutRoute(new Request("http://localhost/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
  });
});

describe("GET /api/me", () => {
  it("401 without a session", async () => {
    const res = await meRoute(new Request("http://localhost/api/me"));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthenticated");
  });

  it("answers user, quota and provider", async () => {
    const cookie = await sessionCookieFor({ userId: "00000000-0000-4000-8000-000000000004", email: "nearly@example.com" });
    const res = await meRoute(new Request("http://localhost/api/me", { headers: { cookie } }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toEqual({ id: "00000000-0000-4000-8000-000000000004", email: "nearly@example.com", displayName: "Nico Nearly", tier: "free", role: "learner", isAdmin: false });
    expect(body.quota).toMatchObject({ tier: "free", lessonsPerDay: 20, usedToday: 19, remaining: 1 });
    expect(body.provider).toEqual({ simulated: true });
  });
});

const CRON = "health-cron-secret-0123456789";

describe("GET /api/health", () => {
  // Detail is for admins and the cron secret (tests/security/headers.test.ts covers anonymous callers).
  const cron = () => new Request("http://localhost/api/health", { headers: { authorization: `Bearer ${CRON}` } });

  it("reports the database and its migration version", async () => {
    setEnv({ CRON_SECRET: CRON });
    const res = await health(cron());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ ok: true, db: { mode: "pglite", status: "ok", migrationVersion: db.migration.version }, provider: { mode: "sim", model: "sim-standard", simulated: true } });
  });

  it("503 without internals when the database is down", async () => {
    const broken: DbProvider = {
      kind: "pglite",
      as: () => ({ rpc: async () => { throw new DbError("connection to server at 10.0.0.5 refused: password for user x", "08006"); } }),
      close: async () => {},
    };
    setDbProviderForTests(broken);
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    setEnv({ CRON_SECRET: CRON });
    const res = await health(cron());
    spy.mockRestore();
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ ok: false, db: { status: "error", migrationVersion: null } });
    expect(text).not.toMatch(/10\.0\.0\.5|password|refused/);
  });
});
