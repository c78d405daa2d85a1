import { describe, expect, it } from "vitest";
import { slowLanesFor } from "@/lib/llm/capabilities";
import { LANE_PRICE_SOURCES, LANE_PRICES, lanePriceFor, priceFor } from "@/lib/usage/prices";

describe("slow-lane prices and capabilities", () => {
  it("prices a batch line at the provider's batch factor, and a lane the provider lacks at the standard price", () => {
    const std = priceFor("openai", "gpt-4.1-mini").price;
    const batch = lanePriceFor("openai", "gpt-4.1-mini", "batch");
    expect(batch).toMatchObject({ lane: "batch", factor: 0.5 });
    expect(batch.price).toEqual({ inputPerMTok: std.inputPerMTok / 2, cachedInputPerMTok: std.cachedInputPerMTok / 2, outputPerMTok: std.outputPerMTok / 2 });
    expect(lanePriceFor("deepinfra", "meta-llama/Meta-Llama-3.1-8B-Instruct", "batch").factor).toBe(0.8);
    expect(lanePriceFor("cerebras", "gpt-oss-120b", "batch")).toMatchObject({ lane: "fast", factor: 1, price: priceFor("cerebras", "gpt-oss-120b").price });
  });
  it("names a source for every lane price", () => {
    for (const lanes of Object.values(LANE_PRICES)) for (const p of Object.values(lanes ?? {})) expect(LANE_PRICE_SOURCES[p!.source]).toBeTruthy();
  });
  it("says which presets have a Batch API and which have flex", () => {
    expect(slowLanesFor("openai", "gpt-4.1-nano")).toEqual({ batch: { discount: 0.5 }, flex: null });
    expect(slowLanesFor("openai", "gpt-5-mini")).toEqual({ batch: { discount: 0.5 }, flex: { discount: 0.5 } });
    expect(slowLanesFor("groq", "openai/gpt-oss-20b")).toEqual({ batch: { discount: 0.5 }, flex: null });
    expect(slowLanesFor("deepinfra", "x")).toEqual({ batch: { discount: 0.2 }, flex: null });
    expect(slowLanesFor("sim", "sim-mini")).toEqual({ batch: { discount: 0.5 }, flex: { discount: 0.5 } });
    for (const p of ["cerebras", "ollama", "custom"] as const) expect(slowLanesFor(p, "m")).toEqual({ batch: null, flex: null });
  });
});
