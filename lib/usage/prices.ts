// The one price table (USD per million tokens), versioned: every usage event stores the version it
// was priced with, so a later price change never rewrites history.
import type { ModelPrice } from "@/lib/llm/types";

export const PRICE_VERSION = "2026-11-01";

export interface PriceRow extends ModelPrice {
  /** `provider:model` for a provider-specific price, or the bare model id. */
  key: string;
  note?: string;
}

// Cached input equals input where the provider gives no cache discount.
const rows: PriceRow[] = [
  // Simulator models, priced like the real models they stand in for.
  { key: "sim-standard", inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6, note: "priced like gpt-4.1-mini" },
  { key: "sim-mini", inputPerMTok: 0.1, cachedInputPerMTok: 0.025, outputPerMTok: 0.4, note: "priced like gpt-4.1-nano" },
  // OpenAI
  { key: "gpt-4.1", inputPerMTok: 2.0, cachedInputPerMTok: 0.5, outputPerMTok: 8.0 },
  { key: "gpt-4.1-mini", inputPerMTok: 0.4, cachedInputPerMTok: 0.1, outputPerMTok: 1.6 },
  { key: "gpt-4.1-nano", inputPerMTok: 0.1, cachedInputPerMTok: 0.025, outputPerMTok: 0.4 },
  { key: "gpt-4o", inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10.0 },
  { key: "gpt-4o-mini", inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  { key: "gpt-5", inputPerMTok: 1.25, cachedInputPerMTok: 0.125, outputPerMTok: 10.0 },
  { key: "gpt-5-mini", inputPerMTok: 0.25, cachedInputPerMTok: 0.025, outputPerMTok: 2.0 },
  { key: "gpt-5-nano", inputPerMTok: 0.05, cachedInputPerMTok: 0.005, outputPerMTok: 0.4 },
  // Groq
  { key: "llama-3.1-8b-instant", inputPerMTok: 0.05, cachedInputPerMTok: 0.05, outputPerMTok: 0.08 },
  { key: "llama-3.3-70b-versatile", inputPerMTok: 0.59, cachedInputPerMTok: 0.59, outputPerMTok: 0.79 },
  { key: "openai/gpt-oss-20b", inputPerMTok: 0.075, cachedInputPerMTok: 0.0375, outputPerMTok: 0.3 },
  { key: "openai/gpt-oss-120b", inputPerMTok: 0.15, cachedInputPerMTok: 0.075, outputPerMTok: 0.6 },
  // Cerebras
  { key: "llama3.1-8b", inputPerMTok: 0.1, cachedInputPerMTok: 0.1, outputPerMTok: 0.1 },
  { key: "gpt-oss-120b", inputPerMTok: 0.25, cachedInputPerMTok: 0.25, outputPerMTok: 0.69 },
  // DeepInfra (same model ids as Groq's gpt-oss at other prices)
  { key: "deepinfra:openai/gpt-oss-20b", inputPerMTok: 0.03, cachedInputPerMTok: 0.03, outputPerMTok: 0.14 },
  { key: "deepinfra:openai/gpt-oss-120b", inputPerMTok: 0.05, cachedInputPerMTok: 0.05, outputPerMTok: 0.45 },
  { key: "meta-llama/Meta-Llama-3.1-8B-Instruct", inputPerMTok: 0.03, cachedInputPerMTok: 0.03, outputPerMTok: 0.05 },
  { key: "meta-llama/Llama-3.3-70B-Instruct-Turbo", inputPerMTok: 0.23, cachedInputPerMTok: 0.23, outputPerMTok: 0.4 },
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
