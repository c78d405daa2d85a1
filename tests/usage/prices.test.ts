import { describe, expect, it } from "vitest";
import { costSplit, costUsd } from "@/lib/usage/cost";
import { counterfactualFor, savings } from "@/lib/usage/counterfactual";
import { DEFAULT_PRICE, PRICE_SOURCES, PRICE_VERSION, priceFor, priceTable } from "@/lib/usage/prices";

describe("price table", () => {
  it.each([
    ["sim", "sim-standard", 0.4, 0.1, 1.6],
    ["sim", "sim-mini", 0.1, 0.025, 0.4],
    ["openai", "gpt-4.1-mini", 0.4, 0.1, 1.6],
    ["openai", "gpt-4o-mini", 0.15, 0.075, 0.6],
    ["openai", "gpt-5-mini", 0.25, 0.025, 2.0],
    ["groq", "llama-3.1-8b-instant", 0.05, 0.05, 0.08],
    ["groq", "openai/gpt-oss-20b", 0.075, 0.0375, 0.3],
    ["deepinfra", "openai/gpt-oss-20b", 0.03, 0.03, 0.14],
  ])("%s %s", (provider, model, input, cached, output) => {
    const p = priceFor(provider, model);
    expect(p.source).toBe("table");
    expect(p.version).toBe(PRICE_VERSION);
    expect([p.price.inputPerMTok, p.price.cachedInputPerMTok, p.price.outputPerMTok]).toEqual([input, cached, output]);
  });

  it("prices an unknown model with a conservative default and says so", () => {
    const p = priceFor("custom", "mystery-model-9000");
    expect(p.source).toBe("default");
    expect(p.price).toEqual(DEFAULT_PRICE);
    for (const row of priceTable()) expect(DEFAULT_PRICE.outputPerMTok).toBeGreaterThanOrEqual(row.outputPerMTok);
  });

  it("treats ollama as free local inference", () => {
    expect(priceFor("ollama", "llama3.2").source).toBe("local");
    expect(costUsd("ollama", "llama3.2", { promptTokens: 1e6, cachedTokens: 0, completionTokens: 1e6 })).toBe(0);
  });

  it("has unique keys and sane prices", () => {
    const keys = priceTable().map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of priceTable()) expect(r.cachedInputPerMTok).toBeLessThanOrEqual(r.inputPerMTok);
  });
});

describe("cost", () => {
  it("charges uncached, cached and completion tokens at their prices", () => {
    // 1000 prompt (400 cached) + 500 completion on sim-standard: 600×0.4 + 400×0.1 + 500×1.6 per 1M.
    expect(costUsd("sim", "sim-standard", { promptTokens: 1000, cachedTokens: 400, completionTokens: 500 })).toBeCloseTo(0.00108, 12);
    expect(costUsd("sim", "sim-standard", { promptTokens: 0, cachedTokens: 0, completionTokens: 0 })).toBe(0);
  });

  it("never counts more cached tokens than prompt tokens", () => {
    expect(costUsd("sim", "sim-standard", { promptTokens: 100, cachedTokens: 500, completionTokens: 0 })).toBeCloseTo((100 * 0.1) / 1e6, 12);
  });
});

describe("counterfactual", () => {
  it("sums the single prompts of the delivered lessons, their own completions, and savings = counterfactual − actual", () => {
    const actual = { promptTokens: 1200, cachedTokens: 0, completionTokens: 3000 };
    const cf = counterfactualFor("sim", "sim-standard", { singlePromptTokens: 1100, baselineCachedTokens: 0, lessonCompletionTokens: [600, 600, 600, 600, 600] });
    expect(cf.promptTokens).toBe(5500);
    expect(cf.costUsd).toBeCloseTo((5500 * 0.4 + 3000 * 1.6) / 1e6, 12);
    const cost = costUsd("sim", "sim-standard", actual);
    const s = savings([
      { promptTokens: 1200, costUsd: cost, counterfactualPromptTokens: cf.promptTokens, counterfactualCostUsd: cf.costUsd },
      { promptTokens: 900, costUsd: 0.001, counterfactualPromptTokens: null, counterfactualCostUsd: null },
    ]);
    expect(s.savedPromptTokens).toBe(4300);
    expect(s.savedUsd).toBeCloseTo((4300 * 0.4) / 1e6, 9);
  });

  it("gives the single calls no more cached tokens than the request's first call saw, per call", () => {
    const cold = counterfactualFor("sim", "sim-standard", { singlePromptTokens: 1100, baselineCachedTokens: 0, lessonCompletionTokens: [500, 500] });
    const warm = counterfactualFor("sim", "sim-standard", { singlePromptTokens: 1100, baselineCachedTokens: 1024, lessonCompletionTokens: [500, 500] });
    expect(cold.costUsd).toBeCloseTo((2200 * 0.4 + 1000 * 1.6) / 1e6, 12);
    expect(warm.costUsd).toBeCloseTo((2 * 76 * 0.4 + 2 * 1024 * 0.1 + 1000 * 1.6) / 1e6, 12);
    // A baseline longer than the single prompt is capped at the prompt.
    const capped = counterfactualFor("sim", "sim-standard", { singlePromptTokens: 1100, baselineCachedTokens: 5000, lessonCompletionTokens: [0] });
    expect(capped.costUsd).toBeCloseTo((1100 * 0.1) / 1e6, 12);
  });

  it("claims nothing when nothing was delivered", () => {
    expect(counterfactualFor("sim", "sim-standard", { singlePromptTokens: 1100, baselineCachedTokens: 0, lessonCompletionTokens: [] })).toEqual({ promptTokens: 0, costUsd: 0 });
  });
});

describe("cost split", () => {
  it("splits a bill into input, cached and output dollars that add up to the total", () => {
    const s = costSplit("sim", "sim-openai-like", { promptTokens: 2000, cachedTokens: 1024, completionTokens: 700 });
    expect(s.inputUsd).toBeCloseTo((976 * 0.4) / 1e6, 12);
    expect(s.cachedUsd).toBeCloseTo((1024 * 0.1) / 1e6, 12);
    expect(s.outputUsd).toBeCloseTo((700 * 1.6) / 1e6, 12);
    expect(s.totalUsd).toBeCloseTo(s.inputUsd + s.cachedUsd + s.outputUsd, 12);
    expect(costUsd("sim", "sim-openai-like", { promptTokens: 2000, cachedTokens: 1024, completionTokens: 700 })).toBe(s.totalUsd);
  });

  it("names a source for every price and models the provider classes' cache pricing", () => {
    for (const r of priceTable()) expect(PRICE_SOURCES[r.source]).toBeTruthy();
    const openai = priceFor("sim", "sim-openai-like").price;
    expect(openai.cachedInputPerMTok / openai.inputPerMTok).toBeCloseTo(0.25, 12);
    for (const m of ["sim-groq-like", "sim-cerebras-like"]) {
      const p = priceFor("sim", m).price;
      expect(p.cachedInputPerMTok).toBe(p.inputPerMTok);
    }
  });
});
