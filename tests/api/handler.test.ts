// The handler wrappers: cron secret checks (constant-time, 401 on anything but the exact secret) and
// anything thrown inside a handler becoming the standard error body.
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/api/errors";
import { withCron, withViewerOrCron } from "@/lib/api/handler";
import { resetServerEnvCache } from "@/lib/env";

const secret = "a-cron-secret-long-enough-1234";
const ok = withCron(async () => Response.json({ ran: true }));

function post(headers: Record<string, string> = {}) {
  return new Request("http://localhost/api/fyp/generate-pending", { method: "POST", headers });
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
});

describe("withCron", () => {
  it.each([
    ["no header", {}],
    ["wrong secret", { authorization: "Bearer a-cron-secret-long-enough-1235" }],
    ["prefix of the secret", { authorization: "Bearer a-cron-secret" }],
    ["secret plus more", { authorization: `Bearer ${secret}x` }],
    ["not bearer", { authorization: `Basic ${secret}` }],
    ["empty bearer", { authorization: "Bearer " }],
  ])("%s → 401", async (_name, headers) => {
    vi.stubEnv("CRON_SECRET", secret);
    resetServerEnvCache();
    const res = await ok(post(headers), {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthenticated", message: expect.any(String) } });
  });

  it("accepts the exact secret", async () => {
    vi.stubEnv("CRON_SECRET", secret);
    resetServerEnvCache();
    const res = await ok(post({ authorization: `Bearer ${secret}` }), {});
    expect(res.status).toBe(200);
  });

  it("refuses everyone when no secret is configured", async () => {
    vi.stubEnv("CRON_SECRET", "");
    resetServerEnvCache();
    expect((await ok(post({ authorization: "Bearer " }), {})).status).toBe(401);
    expect((await ok(post({ authorization: "Bearer undefined" }), {})).status).toBe(401);
  });

  it("turns errors thrown inside into the standard body", async () => {
    vi.stubEnv("CRON_SECRET", secret);
    resetServerEnvCache();
    const h = withViewerOrCron(async () => {
      throw new AppError("rate_limited", "slow down", undefined, 7);
    });
    const res = await h(post({ authorization: `Bearer ${secret}` }), {});
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toEqual({ error: { code: "rate_limited", message: "slow down" } });
  });
});
