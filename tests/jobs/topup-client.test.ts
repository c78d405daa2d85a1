// The feed's side of a top-up on the job engine (lib/ui/top-up.ts): it polls the job until it is done or
// failed, and stops waiting after the bound instead of spinning forever.
import { afterEach, describe, expect, it, vi } from "vitest";
import { requestTopUp } from "@/lib/ui/top-up";

const jobId = "7d9f2c1e-5b1a-4c3e-9a6f-0b2d4e6f8a10";
const queued = { status: "queued", jobId, fromLibrary: 0, generated: 0, failed: 0, pending: 1 };

function serve(states: string[]) {
  const asked: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    asked.push(url);
    if (url === "/api/fyp/generate-pending") return Response.json(queued, { status: 202 });
    const state = states.length > 1 ? states.shift()! : states[0];
    return Response.json({ id: jobId, state, delivered: state === "done" ? 2 : null });
  });
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

describe("requestTopUp", () => {
  it("polls the queued job until it is done", async () => {
    const asked = serve(["queued", "running", "running", "done"]);
    const r = await requestTopUp({ intervalMs: 1, timeoutMs: 5000 });
    expect(r.outcome).toBe("done");
    expect(asked.filter((u) => u === `/api/fyp/top-ups/${jobId}`)).toHaveLength(4);
  });

  it("reports a failed job", async () => {
    serve(["running", "failed"]);
    expect((await requestTopUp({ intervalMs: 1, timeoutMs: 5000 })).outcome).toBe("failed");
  });

  it("stops waiting after the bound when the job never finishes", async () => {
    const asked = serve(["running"]);
    const started = Date.now();
    expect((await requestTopUp({ intervalMs: 5, timeoutMs: 100 })).outcome).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(asked.length).toBeGreaterThan(2);
  });

  it("answers at once when nothing was queued (no engine, or nothing missing)", async () => {
    vi.stubGlobal("fetch", async () => Response.json({ ...queued, status: "done", jobId: null, generated: 2 }));
    expect((await requestTopUp({ intervalMs: 1, timeoutMs: 100 })).outcome).toBe("done");
  });
});
