// The gateway's limiter against the simulator: RPM/TPM never exceeded in any minute, and the adaptive
// concurrency cap. Simulated time runs 100x faster than real time so minutes pass in under a second.
import { describe, expect, it } from "vitest";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator, type SimLogEntry } from "@/lib/llm/sim";

const TIME_SCALE = 0.01;

/** The most requests and tokens any 60-second window of the simulator's log holds. */
function worstMinute(log: SimLogEntry[]): { requests: number; tokens: number } {
  const ok = log.filter((e) => e.status !== 429).sort((a, b) => a.at - b.at);
  let requests = 0;
  let tokens = 0;
  for (let i = 0; i < ok.length; i++) {
    let n = 0;
    let t = 0;
    for (let j = i; j < ok.length && ok[j].at < ok[i].at + 60_000; j++) {
      n++;
      t += ok[j].promptTokens + ok[j].completionTokens;
    }
    requests = Math.max(requests, n);
    tokens = Math.max(tokens, t);
  }
  return { requests, tokens };
}

function ask(topic: string, maxTokens?: number) {
  return {
    model: "sim-standard",
    messages: [
      { role: "system" as const, content: "You write short lessons. Reply in JSON." },
      { role: "user" as const, content: `Subject: Geography\nTopic: ${topic}\nNumber of lessons: 1` },
    ],
    ...(maxTokens ? { max_tokens: maxTokens } : {}),
  };
}

describe("rate limiter", () => {
  // max_tokens 400 makes tokens the binding limit (~440 tokens a call); max_tokens 60, requests.
  it.each([
    { binding: "tokens", maxTokens: 400 },
    { binding: "requests", maxTokens: 60 },
  ])("keeps 200 concurrent calls within 60 RPM and 20000 TPM in every 60-second window ($binding binding)", async ({ binding, maxTokens }) => {
    const sim = createSimulator({ profile: "fast", timeScale: TIME_SCALE, seed: 5, rpm: 60, tpm: 20_000 });
    const gw = createGateway(
      { provider: "sim", model: "sim-standard", maxConcurrency: 10, rpm: 60, tpm: 20_000, timeoutMs: 30_000, deadlineMs: 10 * 60_000 },
      { fetch: sim.fetch, clock: sim.clock },
    );
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => gw.chat(ask(`Rivers ${i % 7}`, maxTokens))));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const stats = sim.stats();
    // The limiter, not the simulator, did the throttling: not one 429.
    expect(stats.byStatus).toEqual({ "200": 200 });
    const worst = worstMinute(stats.log);
    expect(worst.requests).toBeLessThanOrEqual(60);
    expect(worst.tokens).toBeLessThanOrEqual(20_000);
    // And it used the budget: the binding limit was close to full in the busiest minute.
    const use = binding === "tokens" ? worst.tokens / 20_000 : worst.requests / 60;
    expect(use).toBeGreaterThan(0.9);
    const span = stats.log[stats.log.length - 1].at - stats.log[0].at;
    expect(span).toBeGreaterThan(2 * 60_000);
  });

  it("without the limiter's budgets, the same burst does hit the simulator's limits", async () => {
    const sim = createSimulator({ profile: "fast", timeScale: TIME_SCALE, seed: 5, rpm: 60, tpm: 20_000 });
    const gw = createGateway(
      { provider: "sim", model: "sim-standard", maxConcurrency: 10, rpm: 100_000, tpm: 100_000_000, timeoutMs: 30_000, maxAttempts: 1 },
      { fetch: sim.fetch, clock: sim.clock },
    );
    await Promise.allSettled(Array.from({ length: 80 }, (_, i) => gw.chat(ask(`Lakes ${i}`, 400))));
    expect(sim.stats().byStatus["429"]).toBeGreaterThan(0);
  });

  it("halves the concurrency cap on a 429 and grows it back one step per run of successes", async () => {
    const sim = createSimulator({ profile: "instant", timeScale: TIME_SCALE, seed: 6 });
    const gw = createGateway({ provider: "sim", model: "sim-standard", maxConcurrency: 8, timeoutMs: 10_000 }, { fetch: sim.fetch, clock: sim.clock });
    expect(gw.limiterSnapshot().concurrencyCap).toBe(8);
    sim.queueFaults("rate_limit");
    await gw.chat(ask("Deserts"));
    expect(sim.stats().byStatus).toEqual({ "200": 1, "429": 1 });
    expect(gw.limiterSnapshot().concurrencyCap).toBe(4);
    const caps: number[] = [];
    for (let i = 0; i < 24; i++) {
      await gw.chat(ask("Deserts"));
      caps.push(gw.limiterSnapshot().concurrencyCap);
    }
    expect(caps[3]).toBe(5); // 1 success before the loop + 4 = a run of 5
    expect(Math.max(...caps)).toBe(8); // recovered, never above maxConcurrency
    expect(caps[caps.length - 1]).toBe(8);
  });

  it("halves once for a burst of 429s from calls already in flight", async () => {
    const sim = createSimulator({ profile: "instant", timeScale: TIME_SCALE, seed: 7 });
    const gw = createGateway({ provider: "sim", model: "sim-standard", maxConcurrency: 8, timeoutMs: 10_000 }, { fetch: sim.fetch, clock: sim.clock });
    sim.queueFaults("rate_limit", "rate_limit", "rate_limit", "rate_limit");
    await Promise.all([0, 1, 2, 3].map(() => gw.chat(ask("Forests"))));
    expect(sim.stats().byStatus["429"]).toBe(4);
    expect(gw.limiterSnapshot().concurrencyCap).toBe(4);
  });

  it("never has more calls in flight than the cap", async () => {
    const sim = createSimulator({ profile: "fast", timeScale: TIME_SCALE, seed: 8 });
    const gw = createGateway({ provider: "sim", model: "sim-standard", maxConcurrency: 3, timeoutMs: 10_000 }, { fetch: sim.fetch, clock: sim.clock });
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        gw.chat(ask("Coasts"), {
          onDelta: () => {
            peak = Math.max(peak, gw.limiterSnapshot().inFlight);
          },
        }),
      ),
    );
    const inFlight = gw.limiterSnapshot().inFlight;
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(3);
    expect(inFlight).toBe(0);
  });
});
