// Batch configuration with defaults (DESIGN §4); callers override any part through deps.config.
import type { BatchConfig } from "./types";

export const defaultBatchConfig: Required<BatchConfig> = {
  maxPerCall: 5,
  maxAttemptsPerSlot: 3,
  repairConcurrency: 10, // the gateway's default concurrency cap (LLM_MAX_CONCURRENCY)
  circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
  // A lesson as JSON is ~550–650 tokens; the estimate errs high so a full chunk is never cut off.
  outputTokensPerLesson: 750,
  outputMarginTokens: 200,
  truncationMemoryMs: 10 * 60_000,
};

export function resolveBatchConfig(partial: Partial<BatchConfig> | undefined): Required<BatchConfig> {
  return {
    ...defaultBatchConfig,
    ...partial,
    circuitBreaker: { ...defaultBatchConfig.circuitBreaker, ...partial?.circuitBreaker },
  };
}
