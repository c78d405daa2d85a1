// The gateway's retry policy: what is retried, how long it waits, the deadline, and one report per attempt.
import { describe, expect, it } from "vitest";
import type { Clock } from "@/lib/clock";
import { createGateway, type GatewayConfig } from "@/lib/llm/gateway";
import { createSimulator } from "@/lib/llm/sim";
import { LlmError, type AttemptReport } from "@/lib/llm/types";

/** A clock that only moves when someone sleeps: waits are recorded and cost no real time. */
function fakeClock(): Clock & { sleeps: number[]; t: number } {
  const c = {
    t: 1_000_000,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new Error("aborted");
      c.sleeps.push(ms);
      c.t += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
  return c;
}

const okBody = {
  id: "x",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: '{"ok":true}', refusal: null }, finish_reason: "stop", logprobs: null }],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
};

/** A provider that answers from a script: each entry is one HTTP response (status + headers). */
function scriptedFetch(script: { status: number; headers?: Record<string, string> }[]) {
  const calls: number[] = [];
  const f = (async () => {
    const step = script[Math.min(calls.length, script.length - 1)];
    calls.push(step.status);
    const body = step.status === 200 ? okBody : { error: { message: "nope", type: "x", param: null, code: null } };
    return new Response(JSON.stringify(body), { status: step.status, headers: { "content-type": "application/json", ...step.headers } });
  }) as typeof fetch;
  return { fetch: f, calls };
}

const config: GatewayConfig = { provider: "custom", baseURL: "http://provider.test/v1", model: "m", maxConcurrency: 4, timeoutMs: 5_000 };
const params = { model: "m", messages: [{ role: "user" as const, content: "hello" }] };

describe("gateway retry policy", () => {
  it("retries a 429 after the retry-after it was given (fake clock)", async () => {
    const clock = fakeClock();
    const p = scriptedFetch([{ status: 429, headers: { "retry-after": "1" } }, { status: 200 }]);
    const reports: AttemptReport[] = [];
    const gw = createGateway(config, { fetch: p.fetch, clock, random: () => 0 });
    const res = await gw.chat(params, { onAttempt: (r) => reports.push(r) });
    expect(res.status).toBe(200);
    expect(p.calls).toEqual([429, 200]);
    expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(1000);
    expect(reports.map((r) => [r.attempt, r.status, r.errorCode])).toEqual([
      [1, 429, "rate_limited"],
      [2, 200, null],
    ]);
    expect(reports[1].startedAt - reports[0].startedAt).toBeGreaterThanOrEqual(1000);
  });

  it("waits at least a second of real time for a simulated 429 with retry-after: 1", async () => {
    const sim = createSimulator({ profile: "instant", timeScale: 1, seed: 1 });
    sim.queueFaults("rate_limit");
    const gw = createGateway({ provider: "sim", model: "sim-standard", maxConcurrency: 4, timeoutMs: 5_000 }, { fetch: sim.fetch });
    const reports: AttemptReport[] = [];
    const started = performance.now();
    const res = await gw.chat({ model: "sim-standard", messages: [{ role: "user", content: "Topic: Tides" }] }, { onAttempt: (r) => reports.push(r) });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(sim.stats().byStatus).toEqual({ "200": 1, "429": 1 });
    expect(reports.length).toBe(sim.stats().calls);
  });

  it("retries 503, 500, 408 and 409, honouring retry-after-ms over retry-after", async () => {
    const clock = fakeClock();
    const p = scriptedFetch([
      { status: 503, headers: { "retry-after-ms": "250", "retry-after": "9" } },
      { status: 500 },
      { status: 408 },
      { status: 409 },
      { status: 200 },
    ]);
    const gw = createGateway({ ...config, maxAttempts: 5 }, { fetch: p.fetch, clock, random: () => 0.5 });
    const res = await gw.chat(params);
    expect(res.status).toBe(200);
    expect(p.calls).toEqual([503, 500, 408, 409, 200]);
    expect(clock.sleeps[0]).toBe(250);
    // Full jitter with random()=0.5: half of 500·2^(n−1).
    expect(clock.sleeps.slice(1)).toEqual([500, 1000, 2000]);
  });

  it.each([400, 401, 403, 404, 422])("never retries a %i", async (status) => {
    const p = scriptedFetch([{ status }, { status: 200 }]);
    const reports: AttemptReport[] = [];
    const gw = createGateway(config, { fetch: p.fetch, clock: fakeClock() });
    const err = await gw.chat(params, { onAttempt: (r) => reports.push(r) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect(err).toMatchObject({ code: "bad_request", status });
    expect(p.calls).toEqual([status]);
    expect(reports).toHaveLength(1);
  });

  it("gives up at maxAttempts with the last error", async () => {
    const p = scriptedFetch([{ status: 503 }]);
    const gw = createGateway({ ...config, maxAttempts: 3 }, { fetch: p.fetch, clock: fakeClock(), random: () => 0 });
    await expect(gw.chat(params)).rejects.toMatchObject({ code: "provider_error", status: 503 });
    expect(p.calls).toHaveLength(3);
  });

  it("respects the overall deadline", async () => {
    const clock = fakeClock();
    const p = scriptedFetch([{ status: 503 }]);
    const gw = createGateway({ ...config, maxAttempts: 50, deadlineMs: 3_000 }, { fetch: p.fetch, clock, random: () => 1 });
    const start = clock.now();
    await expect(gw.chat(params)).rejects.toMatchObject({ code: "deadline" });
    // Waits 500 then 1000 (t = 1500); the next wait of 2000 would end past 3000, so it stops.
    expect(p.calls).toHaveLength(3);
    expect(clock.now() - start).toBeLessThanOrEqual(3_000);
  });

  it("does not wait out a retry-after that ends past the deadline", async () => {
    const clock = fakeClock();
    const p = scriptedFetch([{ status: 429, headers: { "retry-after": "120" } }, { status: 200 }]);
    const gw = createGateway({ ...config, deadlineMs: 60_000 }, { fetch: p.fetch, clock });
    await expect(gw.chat(params)).rejects.toMatchObject({ code: "rate_limited", status: 429 });
    expect(p.calls).toEqual([429]);
    expect(clock.sleeps.filter((s) => s >= 60_000)).toEqual([]);
  });

  it("retries timeouts and connection resets from the simulator, one report per simulator call", async () => {
    const sim = createSimulator({ profile: "instant", seed: 2 });
    const gw = createGateway({ provider: "sim", model: "sim-standard", maxConcurrency: 4, timeoutMs: 200 }, { fetch: sim.fetch, random: () => 0 });
    sim.queueFaults("hang", "reset", "server_error");
    const reports: AttemptReport[] = [];
    const res = await gw.chat({ model: "sim-standard", messages: [{ role: "user", content: "Topic: Volcanoes" }] }, { onAttempt: (r) => reports.push(r) });
    expect(res.status).toBe(200);
    expect(reports.map((r) => r.errorCode)).toEqual(["timeout", "connection", "provider_error", null]);
    expect(reports.length).toBe(sim.stats().calls);
    expect(sim.stats().faults).toEqual({ hang: 1, reset: 1, server_error: 1 });
  });

  it("stops with 'aborted' when the caller's signal fires during a hang", async () => {
    const sim = createSimulator({ profile: "instant", seed: 3 });
    const gw = createGateway({ provider: "sim", model: "sim-standard", maxConcurrency: 4, timeoutMs: 10_000 }, { fetch: sim.fetch });
    sim.queueFaults("hang");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const reports: AttemptReport[] = [];
    const err = await gw
      .chat({ model: "sim-standard", messages: [{ role: "user", content: "Topic: Glaciers" }] }, { signal: controller.signal, onAttempt: (r) => reports.push(r) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "aborted" });
    expect(reports.map((r) => r.errorCode)).toEqual(["aborted"]);
    expect(sim.stats().calls).toBe(1);
  });
});
