// Supabase Auth mode: getViewer() reads the @supabase/ssr session cookies from a plain Request, has
// Supabase Auth vouch for the token (a local stand-in for GoTrue's /auth/v1/user over real HTTP), then
// takes role and tier from our profiles table, creating the profile on first sight (ADMIN_EMAILS promotes).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createServerClient } from "@supabase/ssr";
import { SignJWT, jwtVerify } from "jose";
import { POST as signIn } from "@/app/api/auth/local/route";
import { getViewer } from "@/lib/auth";
import { setDbProviderForTests } from "@/lib/db";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { resetServerEnvCache } from "@/lib/env";
import { serverRealtimeOptions } from "@/lib/supabase/no-realtime";

const secret = new TextEncoder().encode("gotrue-stand-in-secret-0123456789abcdef");
const USER = { id: "6f1c1f4e-3d53-4c61-9d1c-6f6f0a0b0c0d", email: "supa@example.com" };
const BOSS = { id: "7a2c1f4e-3d53-4c61-9d1c-6f6f0a0b0c0e", email: "boss@example.com" };

let db: TestDb;
let auth: Server;
let url = "";

beforeAll(async () => {
  db = await createTestDb();
  // Supabase Auth (GoTrue) owns auth.users: these users signed up there.
  for (const u of [USER, BOSS]) await db.sql.query("insert into auth.users (id, email) values ($1, $2)", [u.id, u.email]);
  auth = createServer(async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    if (req.url?.startsWith("/auth/v1/user")) {
      try {
        const { payload } = await jwtVerify(token, secret);
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ id: payload.sub, email: payload.email, aud: "authenticated", role: "authenticated", app_metadata: {}, user_metadata: {}, created_at: new Date().toISOString() }));
      } catch {
        res.writeHead(403, { "content-type": "application/json" });
        return res.end(JSON.stringify({ code: 403, error_code: "bad_jwt", msg: "invalid JWT" }));
      }
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => auth.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(auth.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => auth?.close(() => r()));
  await db?.cleanup();
});
beforeEach(() => {
  setDbProviderForTests(db.provider);
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", url);
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_ANON_KEY", "anon-key");
  vi.stubEnv("ADMIN_EMAILS", "");
  resetServerEnvCache();
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  setDbProviderForTests(null);
});

/** The Cookie header @supabase/ssr writes for a signed-in session. */
async function sessionCookies(user: { id: string; email: string }, key = secret, claims: Record<string, unknown> = {}): Promise<string> {
  const accessToken = await new SignJWT({ email: user.email, role: "authenticated", aud: "authenticated", ...claims })
    .setProtectedHeader({ alg: "HS256" }).setSubject(user.id).setIssuedAt().setExpirationTime("1h").sign(key);
  const jar = new Map<string, string>();
  const client = createServerClient(url, "anon-key", {
    ...serverRealtimeOptions,
    cookies: { getAll: () => [...jar].map(([name, value]) => ({ name, value })), setAll: (cs) => cs.forEach((c) => jar.set(c.name, c.value)) },
  });
  const { error } = await client.auth.setSession({ access_token: accessToken, refresh_token: "refresh-token" });
  if (error && key === secret) throw error;
  if (jar.size === 0) {
    // A forged token is refused by setSession; write the cookie ourselves as ssr would.
    const session = { access_token: accessToken, refresh_token: "r", token_type: "bearer", expires_in: 3600, expires_at: Math.floor(Date.now() / 1000) + 3600, user: { id: user.id, email: user.email } };
    jar.set("sb-127-auth-token", `base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`);
  }
  return [...jar].map(([n, v]) => `${n}=${v}`).join("; ");
}

describe("getViewer with Supabase Auth", () => {
  it("creates the profile on first sight and answers a learner", async () => {
    const cookie = await sessionCookies(USER);
    const viewer = await getViewer(new Request("http://localhost/", { headers: { cookie } }));
    expect(viewer).toEqual({ userId: USER.id, email: USER.email, displayName: "supa", role: "learner", tier: "free", isAdmin: false });
    const rows = await db.sql.query("select email, role from public.profiles where id = $1", [USER.id]);
    expect(rows).toEqual([{ email: USER.email, role: "learner" }]);
  });

  it("promotes ADMIN_EMAILS (verified address)", async () => {
    vi.stubEnv("ADMIN_EMAILS", "boss@example.com");
    resetServerEnvCache();
    const verified = { user_metadata: { email_verified: true } };
    const viewer = await getViewer(new Request("http://localhost/", { headers: { cookie: await sessionCookies(BOSS, secret, verified) } }));
    expect(viewer).toMatchObject({ userId: BOSS.id, isAdmin: true, role: "admin" });
  });

  it("admin follows ADMIN_EMAILS: never for an unverified address, taken back once removed", async () => {
    const verified = { user_metadata: { email_verified: true } };
    const cases: { name: string; list: string; claims: Record<string, unknown>; isAdmin: boolean }[] = [
      { name: "listed, verified", list: "boss@example.com", claims: verified, isAdmin: true },
      { name: "listed, unverified", list: "boss@example.com", claims: { user_metadata: { email_verified: false } }, isAdmin: false },
      { name: "listed, verified again", list: "boss@example.com", claims: verified, isAdmin: true },
      { name: "removed from the list", list: "", claims: verified, isAdmin: false },
    ];
    for (const c of cases) {
      vi.stubEnv("ADMIN_EMAILS", c.list);
      resetServerEnvCache();
      const viewer = await getViewer(new Request("http://localhost/", { headers: { cookie: await sessionCookies(BOSS, secret, c.claims) } }));
      expect({ name: c.name, isAdmin: viewer?.isAdmin }).toEqual({ name: c.name, isAdmin: c.isAdmin });
      const [row] = await db.sql.query("select role from public.profiles where id = $1", [BOSS.id]);
      expect({ name: c.name, role: row.role }).toEqual({ name: c.name, role: c.isAdmin ? "admin" : "learner" });
    }
  });

  it("is nobody without cookies or with a token Supabase Auth refuses", async () => {
    expect(await getViewer(new Request("http://localhost/"))).toBeNull();
    const forged = await sessionCookies(USER, new TextEncoder().encode("not-the-auth-servers-secret-0123456789"));
    expect(await getViewer(new Request("http://localhost/", { headers: { cookie: forged } }))).toBeNull();
  });

  it("switches local sign-in off (404)", async () => {
    const res = await signIn(new Request("http://localhost/api/auth/local", { method: "POST", headers: { "content-type": "application/json" }, body: '{"email":"a@example.com"}' }));
    expect(res.status).toBe(404);
  });
});
