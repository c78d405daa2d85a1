// Response headers (CSP with frame-ancestors 'none', Referrer-Policy, nosniff), what /api/health tells
// whom, and which forwarding header names the client IP.
import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { clientIp } from "@/lib/api/client-ip";
import { resetServerEnvCache } from "@/lib/env";
import { CRON_SECRET, makeUser, setupHarness, type Harness } from "../api/harness";

type Header = { key: string; value: string };
const nextConfig = createRequire(import.meta.url)("../../next.config.js") as {
  headers(): Promise<{ source: string; headers: Header[] }[]>;
  securityHeaders(env: Record<string, string | undefined>): Header[];
};

const byKey = (headers: Header[]) => Object.fromEntries(headers.map((h) => [h.key.toLowerCase(), h.value]));

describe("security headers (next.config.js)", () => {
  it("apply to every path", async () => {
    const rules = await nextConfig.headers();
    expect(rules.map((r) => r.source)).toEqual(["/:path*"]);
    expect(Object.keys(byKey(rules[0].headers))).toEqual(
      expect.arrayContaining(["content-security-policy", "referrer-policy", "x-content-type-options", "x-frame-options"]),
    );
  });

  const cases: { name: string; env: Record<string, string | undefined>; has: string[]; lacks: string[] }[] = [
    {
      name: "production",
      env: { NODE_ENV: "production" },
      has: ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "default-src 'self'", "script-src 'self' 'unsafe-inline'"],
      lacks: ["unsafe-eval", "ws:"],
    },
    { name: "development (React Refresh, HMR)", env: { NODE_ENV: "development" }, has: ["'unsafe-eval'", "connect-src 'self' ws:"], lacks: [] },
    {
      name: "production with Supabase",
      env: { NODE_ENV: "production", NEXT_PUBLIC_SUPABASE_URL: "https://abc.supabase.co" },
      has: ["connect-src 'self' https://abc.supabase.co wss://abc.supabase.co"],
      lacks: ["unsafe-eval"],
    },
  ];
  for (const c of cases) {
    it(`CSP in ${c.name}`, () => {
      const h = byKey(nextConfig.securityHeaders(c.env));
      for (const s of c.has) expect(h["content-security-policy"]).toContain(s);
      for (const s of c.lacks) expect(h["content-security-policy"]).not.toContain(s);
      expect(h).toMatchObject({ "referrer-policy": "strict-origin-when-cross-origin", "x-content-type-options": "nosniff", "x-frame-options": "DENY" });
    });
  }
});

describe("GET /api/health", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await setupHarness();
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  it("tells anonymous callers and learners only whether it is up; admins and the cron secret get the detail", async () => {
    const learner = await makeUser(h, "curious@example.com");
    const admin = await makeUser(h, "ops@example.com", { admin: true });
    const cases = [
      { name: "anonymous", headers: {} as Record<string, string>, detail: false },
      { name: "learner", headers: { cookie: learner.cookie }, detail: false },
      { name: "wrong cron secret", headers: { authorization: "Bearer not-the-secret-at-all" }, detail: false },
      { name: "admin", headers: { cookie: admin.cookie }, detail: true },
      { name: "cron secret", headers: { authorization: `Bearer ${CRON_SECRET}` }, detail: true },
    ];
    for (const c of cases) {
      const res = await health(new Request("http://localhost/api/health", { headers: c.headers }));
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      if (c.detail) expect({ name: c.name, keys: Object.keys(body).sort() }).toEqual({ name: c.name, keys: ["db", "ok", "provider"] });
      else expect({ name: c.name, body }).toEqual({ name: c.name, body: { ok: true } });
    }
  });
});

describe("client IP", () => {
  beforeEach(() => {
    vi.unstubAllEnvs();
    resetServerEnvCache();
  });
  const cases: { name: string; env: Record<string, string>; headers: Record<string, string>; ip: string | null }[] = [
    { name: "no trusted proxy: headers ignored", env: { TRUST_PROXY: "0" }, headers: { "x-forwarded-for": "203.0.113.5", "x-real-ip": "203.0.113.6" }, ip: null },
    { name: "trusted proxy: right-most X-Forwarded-For", env: { TRUST_PROXY: "1" }, headers: { "x-forwarded-for": "198.51.100.1, 203.0.113.5" }, ip: "203.0.113.5" },
    { name: "trusted proxy: a client's X-Real-IP does not outrank the chain", env: { TRUST_PROXY: "1" }, headers: { "x-real-ip": "198.51.100.9", "x-forwarded-for": "203.0.113.5" }, ip: "203.0.113.5" },
    { name: "trusted proxy: X-Real-IP alone is not believed", env: { TRUST_PROXY: "1" }, headers: { "x-real-ip": "198.51.100.9" }, ip: null },
    { name: "proxy declared to set X-Real-IP", env: { TRUST_PROXY: "1", TRUST_PROXY_IP_HEADER: "x-real-ip" }, headers: { "x-real-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1" }, ip: "203.0.113.7" },
    { name: "garbage is no IP", env: { TRUST_PROXY: "1" }, headers: { "x-forwarded-for": "not-an-ip" }, ip: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      for (const [k, v] of Object.entries(c.env)) vi.stubEnv(k, v);
      resetServerEnvCache();
      expect(clientIp(new Request("http://localhost/", { headers: c.headers }))).toBe(c.ip);
    });
  }
});
