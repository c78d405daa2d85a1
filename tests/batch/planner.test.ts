// The cache-aware planner: k per call, calls at once or after a leader's prefill, by provider
// behaviour, prices and priority; and the reading-wait measure it bounds.
import { describe, expect, it } from "vitest";
import { defaultPlannerPolicy, expectedMinFactor, planGroupCalls, readingWaitMs, type PlanInput } from "@/lib/batch/planner";
import { behaviourFor } from "@/lib/llm/capabilities";
import { priceFor } from "@/lib/usage/prices";

// Prompt tokens of a k-lesson call: ~1200 shared, a few per lesson asked.
const promptTokens = (k: number) => 1200 + 3 * k;

function input(model: string, n: number, over: Partial<PlanInput> = {}): PlanInput {
  return { n, priority: "interactive", behaviour: behaviourFor("sim", model), price: priceFor("sim", model).price, promptTokens, capK: 20, policy: defaultPlannerPolicy, ...over };
}

const shape = (p: ReturnType<typeof planGroupCalls>) => p.calls.map((c) => `${c.slots.length}${c.startAfterPrefillOf === null ? "" : "w"}`);

describe("planner", () => {
  it("interactive: one call for a few lessons; for five, a lead single-lesson call races the batch of the rest", () => {
    for (const model of ["sim-openai-like", "sim-groq-like"]) {
      expect(shape(planGroupCalls(input(model, 2)))).toEqual(["2"]);
      expect(shape(planGroupCalls(input(model, 3)))).toEqual(["3"]);
      // Five single calls race: the first of five lands ~8% before one call's first lesson, past the bound.
      expect(shape(planGroupCalls(input(model, 5)))).toEqual(["1", "4"]);
    }
  });

  it("models the race of calls sent together: the first of m arrives at the expected minimum of m draws", () => {
    expect(expectedMinFactor(1, 0.25)).toBeCloseTo(1);
    expect(expectedMinFactor(5, 0.25)).toBeCloseTo(1 - 0.25 + 0.5 / 6);
    // Without jitter in the model the single batch call would look as fast as five single calls.
    const one = planGroupCalls(input("sim-openai-like", 5, { policy: { ...defaultPlannerPolicy, mode: "fixed" } }));
    const five = planGroupCalls(input("sim-openai-like", 5, { policy: { ...defaultPlannerPolicy, mode: "fixed", maxPerCall: { interactive: 1, background: 1 } } }));
    expect(one.estimate.readingWaitMs / five.estimate.readingWaitMs).toBeGreaterThan(1.07);
    expect(one.estimate.readingWaitMs / five.estimate.readingWaitMs).toBeLessThan(1.1);
    // The wider bound lets the single call through; the default does not.
    expect(shape(planGroupCalls(input("sim-openai-like", 5, { policy: { ...defaultPlannerPolicy, interactiveWaitFactor: 1.1 } })))).toEqual(["5"]);
  });

  it("background: with a discounted cache later chunks wait for the first one's prefill; without, all start at once", () => {
    const bg = { priority: "background" as const };
    expect(shape(planGroupCalls(input("sim-openai-like-mini", 10, bg)))).toEqual(["5", "5w"]);
    expect(shape(planGroupCalls(input("sim-openai-like-mini", 10, { ...bg, capK: 4 })))).toEqual(["4", "3w", "3w"]);
    expect(shape(planGroupCalls(input("sim-groq-like-mini", 10, bg)))).toEqual(["5", "5"]);
    // Cerebras caches for speed only: waiting buys no discount.
    expect(shape(planGroupCalls(input("sim-cerebras-like-mini", 10, bg)))).toEqual(["5", "5"]);
  });

  it("interactive calls start together unless the policy allows warm starts; a bigger background cap takes bigger calls", () => {
    expect(shape(planGroupCalls(input("sim-openai-like", 10)))).toEqual(["5", "5"]);
    // A warm follower does not race for the first lesson, so it needs a looser wait bound.
    const warm = { ...defaultPlannerPolicy, interactiveWaitFactor: 1.2, warmStart: { interactive: true, background: true } };
    expect(shape(planGroupCalls(input("sim-openai-like", 10, { policy: warm })))).toEqual(["5", "5w"]);
    const big = { ...defaultPlannerPolicy, maxPerCall: { interactive: 5, background: 10 } };
    expect(shape(planGroupCalls(input("sim-openai-like-mini", 10, { priority: "background", policy: big })))).toEqual(["10"]);
  });

  it("splits when decoding is slower than reading, to keep the interactive wait bound", () => {
    // 600-token lessons at 10 tokens/s take a minute each: a reader of 30 s per lesson would wait.
    const slow = { ...behaviourFor("sim", "sim-groq-like"), decodeTokensPerSecond: 10 };
    const plan = planGroupCalls(input("sim-groq-like", 5, { behaviour: slow }));
    expect(plan.calls.length).toBeGreaterThan(1);
    const single = planGroupCalls(input("sim-groq-like", 5, { behaviour: slow, policy: { ...defaultPlannerPolicy, mode: "fixed", maxPerCall: { interactive: 1, background: 1 } } }));
    expect(plan.estimate.readingWaitMs).toBeLessThanOrEqual(single.estimate.readingWaitMs * defaultPlannerPolicy.interactiveWaitFactor);
    expect(plan.estimate.promptUsd).toBeLessThan(single.estimate.promptUsd);
  });

  it("fixed mode: chunks of the cap, all at once", () => {
    expect(shape(planGroupCalls(input("sim-openai-like", 7, { policy: { ...defaultPlannerPolicy, mode: "fixed", maxPerCall: { interactive: 3, background: 3 } } })))).toEqual(["3", "2", "2"]);
  });

  it("reading wait: the first arrival plus every gap the reader waits", () => {
    expect(readingWaitMs([], 30_000)).toBe(0);
    expect(readingWaitMs([5_000, 6_000, 7_000], 30_000)).toBe(5_000);
    // Second lesson lands 10 s after the reader finished the first; the third is ready in time.
    expect(readingWaitMs([5_000, 45_000, 50_000], 30_000)).toBe(15_000);
    expect(readingWaitMs([45_000, 5_000], 30_000)).toBe(15_000);
  });
});
