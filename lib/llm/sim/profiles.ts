// Simulator profiles (SIM_PROFILE): latency, rate limits and fault rate of a pretend provider.

export type SimProfileName = "instant" | "fast" | "typical" | "free-tier" | "chaos";

export interface SimProfile {
  ttftMs: number; // base time to first token
  tokensPerSecond: number; // decode speed
  prefillTokensPerSecond: number; // uncached prompt tokens processed per second, added to TTFT
  jitter: number; // ± fraction applied to TTFT and decode time
  rpm: number;
  tpm: number;
  faultRate: number; // share of calls that get a random fault
}

// Paid-tier style limits for the profiles that are not about limits.
const ROOMY = { rpm: 10_000, tpm: 10_000_000 };
const TYPICAL = { ttftMs: 400, tokensPerSecond: 120, prefillTokensPerSecond: 20_000, jitter: 0.2 };

export const SIM_PROFILES: Record<SimProfileName, SimProfile> = {
  instant: { ttftMs: 0, tokensPerSecond: Number.POSITIVE_INFINITY, prefillTokensPerSecond: Number.POSITIVE_INFINITY, jitter: 0, ...ROOMY, faultRate: 0 },
  fast: { ttftMs: 150, tokensPerSecond: 1500, prefillTokensPerSecond: 40_000, jitter: 0.2, ...ROOMY, faultRate: 0 },
  typical: { ...TYPICAL, ...ROOMY, faultRate: 0 },
  "free-tier": { ...TYPICAL, rpm: 30, tpm: 8000, faultRate: 0 },
  chaos: { ...TYPICAL, ...ROOMY, faultRate: 0.2 },
};

/** Per-model speed: the mini model is quicker, like real small models. */
export function modelSpeed(model: string): { ttft: number; tps: number } {
  return /mini|small|nano/i.test(model) ? { ttft: 0.8, tps: 1.6 } : { ttft: 1, tps: 1 };
}

export const DEFAULT_SIM_MODELS = ["sim-standard", "sim-mini"];
