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
