// The one price table (USD per million tokens), versioned: every usage event stores the version it
// was priced with, so a later price change never rewrites history. Each row names where its rates
// come from (the provider's public pricing page) and the day they were recorded (PRICE_VERSION).
// Rates are list prices for standard (non-batch, non-priority) processing.
import type { ModelPrice } from "@/lib/llm/types";

export const PRICE_VERSION = "2026-11-01";

export const PRICE_SOURCES = {
  openai: "https://openai.com/api/pricing/ (standard tier; cached input as listed)",
  groq: "https://groq.com/pricing/ (on-demand; prompt caching discount only where listed)",
  cerebras: "https://www.cerebras.ai/pricing (pay-as-you-go; caching is not discounted)",
  deepinfra: "https://deepinfra.com/pricing",
  sim: "the simulator's models are priced like the real model named in `note`",
} as const;

export interface PriceRow extends ModelPrice {
  /** `provider:model` for a provider-specific price, or the bare model id. */
  key: string;
  /** Which entry of PRICE_SOURCES the rates come from. */
  source: keyof typeof PRICE_SOURCES;
  note?: string;
}

// Cached input equals input where the provider gives no cache discount. No provider in this table
// bills cache writes separately (OpenAI, Groq and Cerebras cache automatically at no write charge).
const rows: PriceRow[] = [
  // Simulator models, priced like the real models they stand in for.
  { key: "sim-standard", source: "sim", inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6, note: "priced like gpt-4.1-mini" },
  { key: "sim-mini", source: "sim", inputPerMTok: 0.1, cachedInputPerMTok: 0.025, outputPerMTok: 0.4, note: "priced like gpt-4.1-nano" },
  // The provider-class profiles of the simulator (lib/llm/sim/profiles.ts), one model pair each.
  { key: "sim-openai-like", source: "sim", inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6, note: "priced like gpt-4.1-mini (cached 0.25×)" },
  { key: "sim-openai-like-mini", source: "sim", inputPerMTok: 0.1, cachedInputPerMTok: 0.025, outputPerMTok: 0.4, note: "priced like gpt-4.1-nano (cached 0.25×)" },
  { key: "sim-groq-like", source: "sim", inputPerMTok: 0.59, cachedInputPerMTok: 0.59, outputPerMTok: 0.79, note: "priced like llama-3.3-70b-versatile on Groq (no cache discount)" },
  { key: "sim-groq-like-mini", source: "sim", inputPerMTok: 0.05, cachedInputPerMTok: 0.05, outputPerMTok: 0.08, note: "priced like llama-3.1-8b-instant on Groq (no cache discount)" },
  { key: "sim-cerebras-like", source: "sim", inputPerMTok: 0.25, cachedInputPerMTok: 0.25, outputPerMTok: 0.69, note: "priced like gpt-oss-120b on Cerebras (cache not discounted)" },
  { key: "sim-cerebras-like-mini", source: "sim", inputPerMTok: 0.1, cachedInputPerMTok: 0.1, outputPerMTok: 0.1, note: "priced like llama3.1-8b on Cerebras (cache not discounted)" },
  // OpenAI
  { key: "gpt-4.1", source: "openai", inputPerMTok: 2.0, cachedInputPerMTok: 0.5, outputPerMTok: 8.0 },
  { key: "gpt-4.1-mini", source: "openai", inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6 },
  { key: "gpt-4.1-nano", source: "openai", inputPerMTok: 0.1, cachedInputPerMTok: 0.025, outputPerMTok: 0.4 },
  { key: "gpt-4o", source: "openai", inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10.0 },
  { key: "gpt-4o-mini", source: "openai", inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  { key: "gpt-5", source: "openai", inputPerMTok: 1.25, cachedInputPerMTok: 0.125, outputPerMTok: 10.0 },
  { key: "gpt-5-mini", source: "openai", inputPerMTok: 0.25, cachedInputPerMTok: 0.025, outputPerMTok: 2.0 },
  { key: "gpt-5-nano", source: "openai", inputPerMTok: 0.05, cachedInputPerMTok: 0.005, outputPerMTok: 0.4 },
  // Groq
  { key: "llama-3.1-8b-instant", source: "groq", inputPerMTok: 0.05, cachedInputPerMTok: 0.05, outputPerMTok: 0.08 },
  { key: "llama-3.3-70b-versatile", source: "groq", inputPerMTok: 0.59, cachedInputPerMTok: 0.59, outputPerMTok: 0.79 },
  { key: "openai/gpt-oss-20b", source: "groq", inputPerMTok: 0.075, cachedInputPerMTok: 0.0375, outputPerMTok: 0.3 },
  { key: "openai/gpt-oss-120b", source: "groq", inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  // Cerebras
  { key: "llama3.1-8b", source: "cerebras", inputPerMTok: 0.1, cachedInputPerMTok: 0.1, outputPerMTok: 0.1 },
  { key: "gpt-oss-120b", source: "cerebras", inputPerMTok: 0.25, cachedInputPerMTok: 0.25, outputPerMTok: 0.69 },
  // DeepInfra (same model ids as Groq's gpt-oss at other prices)
  { key: "deepinfra:openai/gpt-oss-20b", source: "deepinfra", inputPerMTok: 0.03, cachedInputPerMTok: 0.03, outputPerMTok: 0.14 },
  { key: "deepinfra:openai/gpt-oss-120b", source: "deepinfra", inputPerMTok: 0.05, cachedInputPerMTok: 0.05, outputPerMTok: 0.45 },
  { key: "meta-llama/Meta-Llama-3.1-8B-Instruct", source: "deepinfra", inputPerMTok: 0.03, cachedInputPerMTok: 0.03, outputPerMTok: 0.05 },
  { key: "meta-llama/Llama-3.3-70B-Instruct-Turbo", source: "deepinfra", inputPerMTok: 0.23, cachedInputPerMTok: 0.23, outputPerMTok: 0.4 },
];

const byKey = new Map(rows.map((r) => [r.key, r]));

/** For a model nobody priced: deliberately high (gpt-4o-like, no cache discount) so cost is never understated. */
export const DEFAULT_PRICE: ModelPrice = { inputPerMTok: 2.5, cachedInputPerMTok: 2.5, outputPerMTok: 10.0 };

export interface PriceLookup {
  price: ModelPrice;
  version: string;
  /** "table" when priced; "local" for self-hosted (ollama); "default" when the model is unknown. */
  source: "table" | "local" | "default";
  key: string;
}

export function priceFor(provider: string, model: string): PriceLookup {
  // Ollama runs on your own hardware: no per-token bill.
  if (provider === "ollama") return { price: { inputPerMTok: 0, cachedInputPerMTok: 0, outputPerMTok: 0 }, version: PRICE_VERSION, source: "local", key: `ollama:${model}` };
  const row = byKey.get(`${provider}:${model}`) ?? byKey.get(model);
  if (row) return { price: row, version: PRICE_VERSION, source: "table", key: row.key };
  return { price: DEFAULT_PRICE, version: PRICE_VERSION, source: "default", key: model };
}

export function priceTable(): readonly PriceRow[] {
  return rows;
}

// ---- Slow-lane prices: the provider's Batch API and its flex tier (docs/slow-lane.md) ----
// A lane's rates are the standard row's rates times the lane's factor; the factor is written here,
// once, with where it comes from. lib/llm/capabilities.ts says which models have which lane.

/** How a call is billed: ordinary synchronous call, a Batch API line, or a flex-tier call. */
export type BillingLane = "fast" | "batch" | "flex";

export const LANE_PRICE_SOURCES = {
  openaiBatch: "https://platform.openai.com/docs/guides/batch (50% of input and output, 24 h window)",
  openaiFlex: "https://platform.openai.com/docs/guides/flex-processing (billed at Batch API rates; may answer 429 resource unavailable)",
  groqBatch: "https://console.groq.com/docs/batch (50% off, 24 h to 7 d window)",
  deepinfraBatch: "https://deepinfra.com/docs/advanced/batch_inference (20% off, as stated in issue 14; unverified)",
  sim: "the simulator's `sim` provider behaves like OpenAI: batch and flex at 50%",
} as const;

export interface LanePrice {
  /** Multiplier on every standard rate (input, cached input, output). */
  factor: number;
  source: keyof typeof LANE_PRICE_SOURCES;
}

/** Per provider: the lanes it sells beyond the standard one, and at what factor. */
export const LANE_PRICES: Partial<Record<string, Partial<Record<Exclude<BillingLane, "fast">, LanePrice>>>> = {
  openai: { batch: { factor: 0.5, source: "openaiBatch" }, flex: { factor: 0.5, source: "openaiFlex" } },
  groq: { batch: { factor: 0.5, source: "groqBatch" } },
  deepinfra: { batch: { factor: 0.8, source: "deepinfraBatch" } },
  sim: { batch: { factor: 0.5, source: "sim" }, flex: { factor: 0.5, source: "sim" } },
};

/** The price of a call in a lane; a lane the provider does not sell falls back to the standard price. */
export function lanePriceFor(provider: string, model: string, lane: BillingLane): PriceLookup & { lane: BillingLane; factor: number } {
  const base = priceFor(provider, model);
  const rate = lane === "fast" ? undefined : LANE_PRICES[provider]?.[lane];
  if (!rate) return { ...base, lane: "fast", factor: 1 };
  const p = base.price;
  return {
    ...base,
    lane,
    factor: rate.factor,
    price: { inputPerMTok: p.inputPerMTok * rate.factor, cachedInputPerMTok: p.cachedInputPerMTok * rate.factor, outputPerMTok: p.outputPerMTok * rate.factor },
  };
}
