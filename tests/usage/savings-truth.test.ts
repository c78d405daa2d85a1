// The savings check can fail: the saving a request reports (Σ counterfactual − cost over its usage
// events) agrees with the measured one (what one-call-per-lesson billed for the same delivered
// lessons on a twin simulator − what the request billed), and the same check rejects the two old
// mistakes: repairs left out of the accounting, and undelivered lessons charged to the counterfactual.
import { describe, expect, it } from "vitest";
import { generateLessonBatch } from "@/lib/batch";
import { collect } from "../batch/harness";
import { createBatchState } from "@/lib/batch/batch-state";
import type { BatchConfig } from "@/lib/batch/types";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator, type FaultKind } from "@/lib/llm/sim";
import { costUsd } from "@/lib/usage/cost";
import { priceFor } from "@/lib/usage/prices";
import { savings, savingsAgree } from "@/lib/usage/counterfactual";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";
import type { UsageEvent } from "@/lib/usage/types";

const subject = { subject: "Biology", topic: "Photosynthesis", difficulty: "easy" as const };

function world(config: Partial<BatchConfig> = {}, seed = 11) {
  // typical latency at 1/100 speed: real prefill times, so simultaneous calls miss the cache.
  const sim = createSimulator({ profile: "typical", timeScale: 0.01, seed });
  const gateway = createGateway(
    { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 10, timeoutMs: 5000, maxAttempts: 3, deadlineMs: 600_000 },
    { fetch: sim.fetch, clock: sim.clock, random: () => 0 },
  );
  const usage = new MemoryUsageSink();
  return { sim, gateway, usage, deps: { llm: gateway, usage, clock: sim.clock, state: createBatchState(), config } };
}

/** Runs a request of n lessons with the batch call faulted; returns its events and what it delivered. */
async function request(n: number, fault: FaultKind, config: Partial<BatchConfig> = {}) {
  // One batch call of the n lessons takes the fault (the cost-aware planner might add a lead single call).
  const w = world({ planner: { mode: "fixed" }, ...config });
  w.sim.queueFaults(fault);
  const results = await collect(generateLessonBatch(w.deps, Array.from({ length: n }, () => ({ ...subject })), { requestId: "r1" }));
  return { events: w.usage.events, delivered: results.filter((r) => r.ok).length };
}

/** Measured: one-call-per-lesson for the delivered lessons, all sent at once on a twin simulator. */
async function naiveRun(delivered: number): Promise<{ cost: number; promptTokens: number }> {
  const w = world();
  await Promise.all(Array.from({ length: delivered }, () => collect(generateLessonBatch(w.deps, [{ ...subject }]))));
  return { cost: w.usage.events.reduce((a, e) => a + e.costUsd, 0), promptTokens: w.sim.stats().promptTokens };
}
const naiveBill = async (delivered: number) => (await naiveRun(delivered)).cost;

const billed = (events: readonly UsageEvent[]) => events.reduce((a, e) => a + e.costUsd, 0);

/** The old accounting: each batch event claims all lessons it was asked for; repairs are not netted. */
function oldAccounting(events: readonly UsageEvent[]): number {
  let saved = 0;
  for (const e of events) {
    if (e.mode !== "single-call" || e.lessonsValid === 0 || e.counterfactualPromptTokens === null) continue;
    const perLessonPrompt = e.counterfactualPromptTokens / e.lessonsValid;
    const cf = costUsd(e.provider, e.model, { promptTokens: perLessonPrompt * e.lessonsAsked, cachedTokens: 0, completionTokens: e.completionTokens });
    saved += cf - e.costUsd;
  }
  return saved;
}

describe("honest savings", () => {
  it("repairs are netted: the reported saving matches the measured one, leaving repairs out does not", async () => {
    const { events, delivered } = await request(5, "fewer_items");
    expect(delivered).toBe(5);
    expect(events.filter((e) => e.mode === "repair").length).toBeGreaterThan(0);
    const measured = (await naiveBill(delivered)) - billed(events);
    const reported = savings(events).savedUsd;
    expect(measured).toBeGreaterThan(0);
    expect(savingsAgree(reported, measured)).toBe(true);
    // Repairs left out (their cost not netted, the batch claiming every lesson it was asked for).
    const withoutRepairs = oldAccounting(events);
    expect(savingsAgree(withoutRepairs, measured)).toBe(false);
  });

  it("nothing is claimed for undelivered lessons: charging them to the counterfactual fails the check", async () => {
    // One attempt per slot: the two lessons the batch call dropped are never delivered.
    const { events, delivered } = await request(5, "fewer_items", { maxAttemptsPerSlot: 1 });
    expect(delivered).toBe(3);
    const naive = await naiveRun(delivered);
    const measured = naive.cost - billed(events);
    const reported = savings(events).savedUsd;
    expect(savingsAgree(reported, measured)).toBe(true);
    // The counterfactual prompts are those of the 3 delivered lessons' single calls, not 5.
    const [batch] = events.filter((e) => e.mode === "single-call");
    expect(batch.counterfactualPromptTokens).toBe(naive.promptTokens);
    // The same events, with the counterfactual charging all 5 asked lessons.
    const chargedUndelivered = oldAccounting(events);
    expect(chargedUndelivered).toBeGreaterThan(reported);
    expect(savingsAgree(chargedUndelivered, measured)).toBe(false);
  });

  it("a failed attempt is pure cost against the request's saving", async () => {
    const { events } = await request(5, "truncate");
    const failedOrPartial = events.filter((e) => e.counterfactualCostUsd !== null);
    expect(failedOrPartial.length).toBe(events.length);
    const measured = (await naiveBill(5)) - billed(events);
    expect(savingsAgree(savings(events).savedUsd, measured)).toBe(true);
  });

  it("a warm cache is priced at the hit rate: a second request's saving matches the replay, ignoring the cache does not", async () => {
    // Two requests of five, one after the other, in one world: the second finds the prompt cached.
    const w = world({ planner: { mode: "fixed" } });
    for (const requestId of ["r1", "r2"]) {
      const results = await collect(generateLessonBatch(w.deps, Array.from({ length: 5 }, () => ({ ...subject })), { requestId }));
      expect(results.every((r) => r.ok)).toBe(true);
    }
    const events = w.usage.events;
    const second = events.filter((e) => e.requestId === "r2");
    expect(second[0].cachedTokens).toBeGreaterThan(0);
    // Measured: the same two requests one call per lesson, all at once per request, on twins with
    // seeds of their own (each single call hits or misses the cache by itself), mean bill.
    const bills: number[] = [];
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const twin = world({}, seed);
      for (let r = 0; r < 2; r++) await Promise.all(Array.from({ length: 5 }, () => collect(generateLessonBatch(twin.deps, [{ ...subject }]))));
      bills.push(billed(twin.usage.events));
    }
    const measured = bills.reduce((a, b) => a + b, 0) / bills.length - billed(events);
    const reported = savings(events).savedUsd;
    expect(savingsAgree(reported, measured), `reported ${reported} vs measured ${measured}`).toBe(true);
    // The second request's single calls priced as if nothing were cached (the old "the cache is cold
    // unless the first call saw it" rule gets this whenever that one call misses).
    const { price } = priceFor("sim", "sim-standard");
    const single = second[0].counterfactualPromptTokens! / second[0].lessonsValid;
    const cachedEach = 0.9 * (1024 + Math.floor((single - 1024) / 128) * 128);
    const cold = reported + (5 * cachedEach * (price.inputPerMTok - price.cachedInputPerMTok)) / 1e6;
    expect(savingsAgree(cold, measured)).toBe(false);
  });
});
