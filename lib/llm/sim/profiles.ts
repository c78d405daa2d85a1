// Simulator profiles (SIM_PROFILE): latency, rate limits, prompt cache and faults of a pretend provider.
// The `*-like` profiles model real provider classes (docs/cost-model.md): their models are priced
// like the real models they stand in for (lib/usage/prices.ts), and their speeds are round figures
// of what those providers publish or are commonly measured at, not measurements of our own.

export type SimProfileName = "instant" | "fast" | "typical" | "free-tier" | "chaos" | "openai-like" | "groq-like" | "cerebras-like";

export interface SimCacheBehaviour {
  minTokens: number; // prompts shorter than this are never cached
  blockTokens: number; // cached length grows in blocks of this many tokens beyond minTokens
  /** Chance that a request finds a prefix that is in the cache (routing to another machine misses). */
  hitRate: number;
  ttlMs: number; // simulated ms a prefix stays cached after its last use
  /** Cached tokens skip prefill (time to first token); true for every provider modelled here. */
  speedsUp: boolean;
}

export interface SimProfile {
  ttftMs: number; // base time to first token
  tokensPerSecond: number; // decode speed
  prefillTokensPerSecond: number; // uncached prompt tokens processed per second, added to TTFT
  jitter: number; // ± fraction applied to TTFT
  decodeJitter?: number; // ± fraction applied to decode time (default: jitter)
  rpm: number;
  tpm: number;
  /** Share of calls that get a random fault; with faultUnit "lesson", per lesson asked. */
  faultRate: number;
  /** "lesson": a call asking for k lessons fails with 1 − (1 − faultRate)^k, so big calls fail more. */
  faultUnit?: "call" | "lesson";
  /** null: the provider has no prompt cache. */
  cache: SimCacheBehaviour | null;
  /** [interactive, background] model ids this profile serves by default. */
  models: [string, string];
}

// Paid-tier style limits for the profiles that are not about limits.
const ROOMY = { rpm: 10_000, tpm: 10_000_000 };
const TYPICAL = { ttftMs: 400, tokensPerSecond: 120, prefillTokensPerSecond: 20_000, jitter: 0.2 };
const SIM_MODELS: [string, string] = ["sim-standard", "sim-mini"];
// OpenAI's documented automatic caching: prompts of 1024+ tokens, in 128-token increments, cleared
// after 5–10 minutes of inactivity; requests land on a cached machine most of the time, not always.
const OPENAI_CACHE: SimCacheBehaviour = { minTokens: 1024, blockTokens: 128, hitRate: 0.9, ttlMs: 5 * 60_000, speedsUp: true };

export const SIM_PROFILES: Record<SimProfileName, SimProfile> = {
  instant: { ttftMs: 0, tokensPerSecond: Number.POSITIVE_INFINITY, prefillTokensPerSecond: Number.POSITIVE_INFINITY, jitter: 0, ...ROOMY, faultRate: 0, cache: OPENAI_CACHE, models: SIM_MODELS },
  fast: { ttftMs: 150, tokensPerSecond: 1500, prefillTokensPerSecond: 40_000, jitter: 0.2, ...ROOMY, faultRate: 0, cache: OPENAI_CACHE, models: SIM_MODELS },
  typical: { ...TYPICAL, ...ROOMY, faultRate: 0, cache: OPENAI_CACHE, models: SIM_MODELS },
  "free-tier": { ...TYPICAL, rpm: 30, tpm: 8000, faultRate: 0, cache: OPENAI_CACHE, models: SIM_MODELS },
  chaos: { ...TYPICAL, ...ROOMY, faultRate: 0.2, faultUnit: "lesson", cache: OPENAI_CACHE, models: SIM_MODELS },
  // gpt-4.1-mini class: ~100 tok/s decode, automatic prefix cache billed at 0.25×.
  "openai-like": { ttftMs: 500, tokensPerSecond: 100, prefillTokensPerSecond: 10_000, jitter: 0.25, decodeJitter: 0.1, ...ROOMY, faultRate: 0, faultUnit: "lesson", cache: OPENAI_CACHE, models: ["sim-openai-like", "sim-openai-like-mini"] },
  // Llama 3.3 70B on Groq: fast decode, no prompt cache and so no discount.
  "groq-like": { ttftMs: 200, tokensPerSecond: 300, prefillTokensPerSecond: 60_000, jitter: 0.25, decodeJitter: 0.1, ...ROOMY, faultRate: 0, faultUnit: "lesson", cache: null, models: ["sim-groq-like", "sim-groq-like-mini"] },
  // gpt-oss-120b on Cerebras: very fast decode; its cache saves prefill time but bills full price.
  "cerebras-like": { ttftMs: 250, tokensPerSecond: 1500, prefillTokensPerSecond: 100_000, jitter: 0.25, decodeJitter: 0.1, ...ROOMY, faultRate: 0, faultUnit: "lesson", cache: { ...OPENAI_CACHE, hitRate: 0.8 }, models: ["sim-cerebras-like", "sim-cerebras-like-mini"] },
};

/** Per-model speed: the mini model is quicker, like real small models. */
export function modelSpeed(model: string): { ttft: number; tps: number } {
  return /mini|small|nano/i.test(model) ? { ttft: 0.8, tps: 1.6 } : { ttft: 1, tps: 1 };
}

export const DEFAULT_SIM_MODELS = SIM_MODELS;
