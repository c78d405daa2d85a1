// proxy.ts: with Supabase configured it refreshes an expired session through Supabase Auth and writes
// the new cookies on the response; with local sessions it passes through untouched.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { SignJWT, jwtVerify } from "jose";

const secret = new TextEncoder().encode("gotrue-stand-in-secret-0123456789abcdef");
const user = { id: "6f1c1f4e-3d53-4c61-9d1c-6f6f0a0b0c0d", email: "supa@example.com" };
let auth: Server;
let url = "";
let refreshes = 0;

const token = (expiresIn: string | number) =>
  new SignJWT({ email: user.email, role: "authenticated", aud: "authenticated" })
    .setProtectedHeader({ alg: "HS256" }).setSubject(user.id).setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
    .setExpirationTime(expiresIn).sign(secret);

beforeAll(async () => {
  auth = createServer(async (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const gotUser = { id: user.id, email: user.email, aud: "authenticated", role: "authenticated", app_metadata: {}, user_metadata: {}, created_at: new Date().toISOString() };
    if (req.url?.startsWith("/auth/v1/token") && req.url.includes("grant_type=refresh_token")) {
      refreshes++;
      const fresh = await token("1h");
      return json(200, { access_token: fresh, refresh_token: "refresh-2", token_type: "bearer", expires_in: 3600, expires_at: Math.floor(Date.now() / 1000) + 3600, user: gotUser });
    }
    if (req.url?.startsWith("/auth/v1/user")) {
      try {
        await jwtVerify(/^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "", secret);
        return json(200, gotUser);
      } catch {
        return json(403, { code: 403, error_code: "bad_jwt", msg: "invalid JWT" });
      }
    }
    json(404, {});
  });
  await new Promise<void>((r) => auth.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(auth.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => auth?.close(() => r()));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

// clientEnv is read when lib/env loads, as in a real build: import the proxy after setting the env.
async function loadProxy(env: Record<string, string>) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  vi.resetModules();
  return (await import("@/proxy")).proxy;
}

describe("proxy", () => {
  it("passes through with local sessions", async () => {
    const proxy = await loadProxy({ NEXT_PUBLIC_SUPABASE_URL: "", NEXT_PUBLIC_SUPABASE_ANON_KEY: "" });
    const res = await proxy(new NextRequest("http://localhost/playlists", { headers: { cookie: "ll_session=abc" } }));
    expect(res.headers.get("x-middleware-next")).toBe("1");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("refreshes an expired Supabase session and sets the new cookies", async () => {
    const proxy = await loadProxy({ NEXT_PUBLIC_SUPABASE_URL: url, NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon-key" });
    const expired = await token(Math.floor(Date.now() / 1000) - 60);
    const session = { access_token: expired, refresh_token: "refresh-1", token_type: "bearer", expires_in: 3600, expires_at: Math.floor(Date.now() / 1000) - 60, user: { id: user.id, email: user.email } };
    const cookie = `sb-127-auth-token=base64-${Buffer.from(JSON.stringify(session)).toString("base64url")}`;
    const before = refreshes;
    const res = await proxy(new NextRequest("http://localhost/playlists", { headers: { cookie } }));
    expect(refreshes).toBe(before + 1);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    const set = res.cookies.get("sb-127-auth-token");
    expect(set?.value).toMatch(/^base64-/);
    const written = JSON.parse(Buffer.from(set!.value.slice("base64-".length), "base64url").toString("utf8"));
    expect(written.refresh_token).toBe("refresh-2");
    expect(written.access_token).not.toBe(expired);
  });
});
