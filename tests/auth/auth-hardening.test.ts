// Attacks on sign-in, sessions and admin, each refused: open redirects through `next`, cross-site form
// posts, local cookies after local sign-in is switched off or after sign-out, admin by listed email that
// was removed from ADMIN_EMAILS.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { POST as signIn } from "@/app/api/auth/local/route";
import { POST as signOutRoute } from "@/app/api/auth/sign-out/route";
import { GET as meRoute } from "@/app/api/me/route";
import { resetAuthSecretCache } from "@/lib/auth/auth-secret";
import { safeNextPath } from "@/lib/auth/safe-next";
import { setDbProviderForTests } from "@/lib/db";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { resetServerEnvCache } from "@/lib/env";
import { proxy } from "@/proxy";

let db: TestDb;

function setEnv(vars: Record<string, string>) {
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
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
  setEnv({ AUTH_SECRET: "test-secret-that-is-long-enough-0123456789", NEXT_PUBLIC_SUPABASE_URL: "", LOCAL_AUTH: "", ADMIN_EMAILS: "", TRUST_PROXY: "0" });
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  resetAuthSecretCache();
  setDbProviderForTests(null);
});

const form = (fields: Record<string, string>) =>
  new Request("http://localhost/api/auth/local", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
const json = (email: string) =>
  new Request("http://localhost/api/auth/local", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) });
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0];
const me = (cookie: string) => meRoute(new Request("http://localhost/api/me", { headers: { cookie } }));

describe("open redirect through next", () => {
  const cases: { next: string; location: string }[] = [
    { next: "/\t/evil.example", location: "/" }, // browsers strip the tab: //evil.example
    { next: "/\n/evil.example", location: "/" },
    { next: "/\r\n/evil.example", location: "/" },
    { next: "/\u0000/evil.example", location: "/" },
    { next: "/\u200b/evil.example", location: "/" },
    { next: "//evil.example", location: "/" },
    { next: "/\\evil.example", location: "/" },
    { next: "/\\/evil.example", location: "/" },
    { next: "/..//evil.example", location: "/" },
    { next: "https://evil.example/", location: "/" },
    { next: "javascript:alert(1)", location: "/" },
    { next: "evil.example", location: "/" },
    { next: "/playlists?x=1#top", location: "/playlists?x=1#top" },
    { next: "/topics", location: "/topics" },
    { next: "/%09/evil.example", location: "/%09/evil.example" }, // still a path on our site
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.next)} → ${c.location}`, async () => {
      const res = await signIn(form({ email: "learner@example.com", next: c.next }));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(c.location);
      expect(safeNextPath(c.next)).toBe(c.location);
    });
  }
});

describe("cross-site requests (proxy)", () => {
  const req = (method: string, path: string, headers: Record<string, string>) =>
    new NextRequest(`http://app.example${path}`, { method, headers: { host: "app.example", ...headers } });
  const cases: { name: string; method: string; path: string; headers: Record<string, string>; refused: boolean }[] = [
    { name: "cross-site form post to sign-in", method: "POST", path: "/api/auth/local", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" }, refused: true },
    { name: "cross-site sign-in, Origin only", method: "POST", path: "/api/auth/local", headers: { origin: "https://evil.example" }, refused: true },
    { name: "cross-site sign-out", method: "POST", path: "/api/auth/sign-out", headers: { cookie: "ll_session=x", origin: "https://evil.example", "sec-fetch-site": "cross-site" }, refused: true },
    { name: "same-site subdomain post with a cookie", method: "POST", path: "/api/playlists", headers: { cookie: "ll_session=x", "sec-fetch-site": "same-site", origin: "https://blog.app.example" }, refused: true },
    { name: "opaque origin", method: "POST", path: "/api/fyp/seen", headers: { cookie: "ll_session=x", origin: "null" }, refused: true },
    { name: "cross-site DELETE with a cookie", method: "DELETE", path: "/api/playlists/1", headers: { cookie: "ll_session=x", origin: "https://evil.example" }, refused: true },
    { name: "same-origin post (fetch metadata)", method: "POST", path: "/api/auth/local", headers: { origin: "http://app.example", "sec-fetch-site": "same-origin" }, refused: false },
    { name: "same-origin post (Origin only)", method: "POST", path: "/api/playlists", headers: { cookie: "ll_session=x", origin: "http://app.example" }, refused: false },
    { name: "non-browser client without Origin", method: "POST", path: "/api/playlists", headers: { cookie: "ll_session=x" }, refused: false },
    { name: "cron with a bearer and no cookie", method: "POST", path: "/api/fyp/generate-pending", headers: { authorization: "Bearer x", origin: "https://scheduler.example" }, refused: false },
    { name: "cross-site GET (no state change)", method: "GET", path: "/api/me", headers: { cookie: "ll_session=x", "sec-fetch-site": "cross-site" }, refused: false },
    { name: "cross-site page navigation", method: "POST", path: "/login", headers: { "sec-fetch-site": "cross-site" }, refused: false },
  ];
  for (const c of cases) {
    it(`${c.refused ? "refuses" : "passes"} ${c.name}`, async () => {
      const res = await proxy(req(c.method, c.path, c.headers));
      if (c.refused) {
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
      } else {
        expect(res.status).toBe(200);
        expect(res.headers.get("x-middleware-next")).toBe("1");
      }
    });
  }
});

describe("local sessions", () => {
  it("are refused once local sign-in is disabled, and work again when it is re-enabled", async () => {
    const cookie = cookieOf(await signIn(json("learner@example.com")));
    expect((await me(cookie)).status).toBe(200);
    const disabled: { name: string; env: Record<string, string> }[] = [
      { name: "LOCAL_AUTH=deny", env: { LOCAL_AUTH: "deny" } },
      { name: "production without LOCAL_AUTH=allow", env: { NODE_ENV: "production", LOCAL_AUTH: "" } },
    ];
    for (const d of disabled) {
      setEnv(d.env);
      const res = await me(cookie);
      expect({ name: d.name, status: res.status }).toEqual({ name: d.name, status: 401 });
      setEnv({ NODE_ENV: "test", LOCAL_AUTH: "" });
    }
    expect((await me(cookie)).status).toBe(200);
  });

  it("sign-out revokes the session: the old cookie no longer signs in", async () => {
    const cookie = cookieOf(await signIn(json("pro@example.com")));
    expect((await me(cookie)).status).toBe(200);
    const out = await signOutRoute(new Request("http://localhost/api/auth/sign-out", { method: "POST", headers: { cookie } }));
    expect(out.status).toBe(200);
    expect((await me(cookie)).status).toBe(401);
    const [{ n }] = await db.sql.query("select count(*)::int as n from public.auth_sessions where revoked_at is not null");
    expect(Number(n)).toBeGreaterThanOrEqual(1);
  });

  it("signing out one session leaves the others signed in", async () => {
    const a = cookieOf(await signIn(json("learner@example.com")));
    const b = cookieOf(await signIn(json("learner@example.com")));
    await signOutRoute(new Request("http://localhost/api/auth/sign-out", { method: "POST", headers: { cookie: a } }));
    expect([(await me(a)).status, (await me(b)).status]).toEqual([401, 200]);
  });
});

describe("admin from ADMIN_EMAILS (local sign-in)", () => {
  it("is granted while listed and taken back on the next sign-in once removed; a database admin stays", async () => {
    const steps: { list: string; email: string; isAdmin: boolean }[] = [
      { list: "chief@example.com", email: "chief@example.com", isAdmin: true },
      { list: "", email: "chief@example.com", isAdmin: false },
      { list: "chief@example.com", email: "chief@example.com", isAdmin: true },
      { list: "", email: "admin@example.com", isAdmin: true }, // seeded as admin in the database itself
    ];
    for (const s of steps) {
      setEnv({ ADMIN_EMAILS: s.list });
      const res = await signIn(json(s.email));
      const { user } = (await res.json()) as { user: { isAdmin: boolean } };
      expect({ ...s, got: user.isAdmin }).toEqual({ ...s, got: s.isAdmin });
      const body = (await (await me(cookieOf(res))).json()) as { user: { isAdmin: boolean } };
      expect(body.user.isAdmin).toBe(s.isAdmin);
    }
  });
});
