// The one retry policy (lib/llm/retry-policy.ts): full-jitter backoff, the server's retry-after, the
// deadline and the caller's signal, all measured on the injected clock.
import { describe, expect, it } from "vitest";
import type { Clock } from "@/lib/clock";
import { createGateway } from "@/lib/llm/gateway";
import { backoffDelay, withRetry, type RetryVerdict } from "@/lib/llm/retry-policy";

/** A clock that only moves when someone sleeps: waits are recorded and cost no real time. */
function fakeClock(t = 1_000_000): Clock & { sleeps: number[] } {
  const c = {
    sleeps: [] as number[],
    now: () => t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new Error("aborted");
      c.sleeps.push(ms);
      t += ms;
    },
  };
  return c;
}

/** An attempt function that fails `failures` times, then answers "ok". */
function flaky(failures: number) {
  let calls = 0;
  return {
    calls: () => calls,
    run: async () => {
      calls++;
      if (calls <= failures) throw new Error(`failure ${calls}`);
      return "ok";
    },
  };
}

const policy = { maxAttempts: 4, baseMs: 100, maxMs: 1_000 };

describe("backoffDelay", () => {
  it.each([
    [1, 1, 100],
    [2, 1, 200],
    [3, 0.5, 200],
    [5, 1, 1_000], // capped at maxMs
    [9, 0, 0],
  ])("attempt %i with random %d waits %i", (attempt, r, ms) => {
    expect(backoffDelay(attempt, () => r, policy)).toBe(ms);
  });
});

describe("withRetry", () => {
  it("retries with jittered backoff on the injected clock until an attempt succeeds", async () => {
    const clock = fakeClock();
    const f = flaky(2);
    await expect(withRetry(f.run, { ...policy, clock, random: () => 0.5 })).resolves.toBe("ok");
    expect(f.calls()).toBe(3);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it("waits what the server asked for instead of the backoff", async () => {
    const clock = fakeClock();
    const f = flaky(1);
    await withRetry(f.run, { ...policy, clock, random: () => 1, classify: (): RetryVerdict => ({ retry: true, afterMs: 750 }) });
    expect(clock.sleeps).toEqual([750]);
  });

  it("stops at maxAttempts with the last error, or what giveUp makes of it", async () => {
    const clock = fakeClock();
    const f = flaky(10);
    await expect(withRetry(f.run, { ...policy, clock })).rejects.toThrow("failure 4");
    expect(f.calls()).toBe(4);
    const g = flaky(10);
    await expect(withRetry(g.run, { ...policy, clock, giveUp: (_e, reason, n) => new Error(`${reason} after ${n}`) })).rejects.toThrow("attempts after 4");
  });

  it("never retries what classify refuses", async () => {
    const f = flaky(10);
    await expect(withRetry(f.run, { ...policy, clock: fakeClock(), classify: () => ({ retry: false }), giveUp: (_e, reason) => new Error(reason) })).rejects.toThrow(
      "not_retryable",
    );
    expect(f.calls()).toBe(1);
  });

  it("does not start a wait that would end past the deadline", async () => {
    const clock = fakeClock(0);
    const f = flaky(10);
    const err = await withRetry(f.run, { ...policy, clock, random: () => 1, deadline: () => 250, giveUp: (_e, reason, n) => `${reason}@${n}` }).catch((e: unknown) => e);
    // Waits 100 (t = 100) and 200 would end at 300 > 250.
    expect(err).toBe("deadline@2");
    expect(clock.sleeps).toEqual([100]);
  });

  it("stops when the signal aborts a wait", async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const f = flaky(10);
    await expect(withRetry(f.run, { ...policy, clock: fakeClock(), signal: ctrl.signal, giveUp: (_e, reason) => new Error(reason) })).rejects.toThrow("aborted");
    expect(f.calls()).toBe(1);
  });

  it("retries at once when the policy has no backoff (slot repair)", async () => {
    const clock = fakeClock();
    const f = flaky(2);
    await withRetry(f.run, { maxAttempts: 3, baseMs: 0, maxMs: 0, clock });
    expect(f.calls()).toBe(3);
    expect(clock.sleeps).toEqual([]);
  });
});

describe("the gateway's retry-after as an HTTP date", () => {
  it("is measured on the injected clock, not the machine's", async () => {
    // The fake clock is far from the machine's time; the date is 3 s ahead of the fake clock.
    const start = 1_000_000_000; // a whole second, so the HTTP date (second resolution) is exact
    const clock = fakeClock(start);
    let calls = 0;
    const fetch = (async () => {
      calls++;
      if (calls === 1) {
        return new Response(JSON.stringify({ error: { message: "slow down", type: "x", param: null, code: null } }), {
          status: 429,
          headers: { "content-type": "application/json", "retry-after": new Date(start + 3_000).toUTCString() },
        });
      }
      return new Response(
        JSON.stringify({
          id: "x", object: "chat.completion", created: 1, model: "m",
          choices: [{ index: 0, message: { role: "assistant", content: "{}", refusal: null }, finish_reason: "stop", logprobs: null }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      );
    }) as typeof globalThis.fetch;
    const gw = createGateway({ provider: "custom", baseURL: "http://provider.test/v1", model: "m", maxConcurrency: 2, timeoutMs: 5_000 }, { fetch, clock, random: () => 0 });
    const res = await gw.chat({ model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(200);
    expect(clock.sleeps).toContain(3_000);
  });
});
