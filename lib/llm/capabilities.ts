// What each provider/model accepts, and how it behaves in time and cache (docs/cost-model.md).
// lib/batch asks for the strongest output mode these allow.
// Facts encoded here come from the providers' docs; anything unknown gets SAFE_DEFAULT (prompted JSON).
import { LANE_PRICES } from "@/lib/usage/prices";
import { modelSpeed, SIM_PROFILES } from "./sim/profiles";
import type { Capabilities, ProviderId } from "./types";

/** Unknown endpoint or model: plain chat that we ask for JSON in the prompt. */
export const SAFE_DEFAULT: Capabilities = {
  strictTools: false,
  forcedToolChoice: false,
  jsonSchema: false,
  jsonObject: false,
  streaming: true,
  streamingTools: false,
  promptCacheKey: false,
  maxOutputTokens: 4_096,
  contextWindow: 8_192,
};

const STRONGEST: Capabilities = {
  strictTools: true,
  forcedToolChoice: true,
  jsonSchema: true,
  jsonObject: true,
  streaming: true,
  streamingTools: true,
  promptCacheKey: true,
  maxOutputTokens: 16_384,
  contextWindow: 128_000,
};

function openai(model: string): Capabilities {
  const m = model.toLowerCase();
  if (/^(gpt-4o|gpt-4\.1|gpt-5|o[134]|chatgpt-4o)/.test(m)) {
    const big = /^(gpt-4\.1|gpt-5|o[34])/.test(m);
    return { ...STRONGEST, maxOutputTokens: big ? 32_768 : 16_384, contextWindow: big ? 400_000 : 128_000 };
  }
  // Older chat models: tools and JSON mode, but no strict schemas.
  return { ...STRONGEST, strictTools: false, jsonSchema: false, promptCacheKey: false, maxOutputTokens: 4_096, contextWindow: 16_385 };
}

function groq(model: string): Capabilities {
  const m = model.toLowerCase();
  if (m.includes("gpt-oss")) {
    // Strict json_schema is supported; JSON mode together with tools is rejected.
    return { ...STRONGEST, strictTools: false, promptCacheKey: false, maxOutputTokens: 32_766, contextWindow: 131_072 };
  }
  if (/llama|qwen|kimi|mixtral|gemma/.test(m)) {
    return { ...STRONGEST, strictTools: false, jsonSchema: false, promptCacheKey: false, maxOutputTokens: 8_192, contextWindow: 131_072 };
  }
  return SAFE_DEFAULT;
}

function cerebras(model: string): Capabilities {
  // tool_choice accepts only "auto" and "none": never force a named tool.
  const base: Capabilities = { ...STRONGEST, forcedToolChoice: false, streamingTools: false, promptCacheKey: false, maxOutputTokens: 8_192, contextWindow: 65_536 };
  return model.toLowerCase().includes("gpt-oss") ? { ...base, maxOutputTokens: 32_768, contextWindow: 131_072 } : base;
}

function deepinfra(): Capabilities {
  return { ...SAFE_DEFAULT, forcedToolChoice: true, jsonObject: true, streaming: true, maxOutputTokens: 8_192, contextWindow: 32_768 };
}

/** Capabilities for a provider's model; unknown combinations get the safe default. */
export function capabilitiesFor(provider: ProviderId, model: string): Capabilities {
  switch (provider) {
    case "sim":
      return { ...STRONGEST };
    case "openai":
      return openai(model);
    case "groq":
      return groq(model);
    case "cerebras":
      return cerebras(model);
    case "deepinfra":
      return deepinfra();
    case "ollama":
      // Ollama's OpenAI layer varies by model; prompted JSON is the mode that always works.
      return { ...SAFE_DEFAULT, contextWindow: 8_192 };
    default:
      return { ...SAFE_DEFAULT };
  }
}

/**
 * The provider's moderation endpoint model, or null when it has none (lib/moderation then has the model
 * check the classroom rubric). OpenAI's is free; the simulator implements the same endpoint.
 */
export function moderationModelFor(provider: ProviderId): string | null {
  return provider === "openai" || provider === "sim" ? "omni-moderation-latest" : null;
}

/** How a provider's model behaves in time and cache, as the batch planner models it (docs/cost-model.md). */
export interface ProviderBehaviour {
  ttftMs: number; // base time to first token
  decodeTokensPerSecond: number;
  prefillTokensPerSecond: number;
  /** null: no prompt cache. `cachedPriceRatio` comes from the price table, not from here. */
  cache: { minTokens: number; blockTokens: number; hitRate: number; speedsUp: boolean } | null;
}

const OPENAI_CACHE = { minTokens: 1024, blockTokens: 128, hitRate: 0.9, speedsUp: true };

function simBehaviour(model: string): ProviderBehaviour {
  const m = model.toLowerCase();
  const name = m.includes("openai-like") ? "openai-like" : m.includes("groq-like") ? "groq-like" : m.includes("cerebras-like") ? "cerebras-like" : "typical";
  const p = SIM_PROFILES[name];
  const speed = modelSpeed(model);
  return {
    ttftMs: p.ttftMs * speed.ttft,
    decodeTokensPerSecond: p.tokensPerSecond * speed.tps,
    prefillTokensPerSecond: p.prefillTokensPerSecond,
    cache: p.cache ? { minTokens: p.cache.minTokens, blockTokens: p.cache.blockTokens, hitRate: p.cache.hitRate, speedsUp: p.cache.speedsUp } : null,
  };
}

/**
 * Round figures of what each provider class publishes or is commonly measured at; the planner uses
 * them only to compare plans with each other, so their exact values matter little.
 */
export function behaviourFor(provider: ProviderId, model: string): ProviderBehaviour {
  const m = model.toLowerCase();
  switch (provider) {
    case "sim":
      return simBehaviour(model);
    case "openai":
      return { ttftMs: 500, decodeTokensPerSecond: /nano|mini/.test(m) ? 150 : 90, prefillTokensPerSecond: 10_000, cache: OPENAI_CACHE };
    case "groq":
      // Groq caches prompts (at 0.5×) only for some models, e.g. gpt-oss and kimi.
      return { ttftMs: 200, decodeTokensPerSecond: 300, prefillTokensPerSecond: 60_000, cache: /gpt-oss|kimi/.test(m) ? { ...OPENAI_CACHE, hitRate: 0.8 } : null };
    case "cerebras":
      return { ttftMs: 250, decodeTokensPerSecond: 1500, prefillTokensPerSecond: 100_000, cache: { ...OPENAI_CACHE, hitRate: 0.8 } };
    default:
      return { ttftMs: 600, decodeTokensPerSecond: 60, prefillTokensPerSecond: 5_000, cache: null };
  }
}


/** The slow lanes a provider's model offers (docs/slow-lane.md); discounts come from lib/usage/prices.ts. */
export interface SlowLanes {
  /** An OpenAI-compatible Batch API (`/v1/files` + `/v1/batches`), and the share of the price it takes off. */
  batch: { discount: number } | null;
  /** `service_tier: "flex"` on ordinary calls (may answer 429 resource unavailable). */
  flex: { discount: number } | null;
}

// OpenAI sells flex only on its reasoning-era models (gpt-5 family, o3, o4-mini); batch on all chat models.
const OPENAI_FLEX = /^(gpt-5|o3|o4-mini)/;

/** Which slow lanes a model has; a provider with neither keeps one lane (the fast one). */
export function slowLanesFor(provider: ProviderId, model: string): SlowLanes {
  const lanes = LANE_PRICES[provider];
  const discount = (lane: "batch" | "flex") => {
    const f = lanes?.[lane]?.factor;
    return f === undefined ? null : { discount: Math.round((1 - f) * 100) / 100 };
  };
  switch (provider) {
    case "openai":
      return { batch: discount("batch"), flex: OPENAI_FLEX.test(model.toLowerCase()) ? discount("flex") : null };
    case "sim":
    case "groq":
    case "deepinfra":
      return { batch: discount("batch"), flex: discount("flex") };
    default:
      // Cerebras, Ollama and unknown endpoints: no batch endpoint, no flex tier.
      return { batch: null, flex: null };
  }
}
