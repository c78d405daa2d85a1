// Our retry policy (the SDK's own retries are off): which answers are worth another attempt, and how long
// to wait before it. Connection errors and timeouts are retried by the gateway directly.
import type { LlmErrorCode } from "./types";

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 20_000;

/** 408, 409, 429 and 5xx are transient; any other 4xx is our request's fault and never retried. */
export function classifyStatus(status: number): { code: LlmErrorCode; retryable: boolean } {
  if (status === 429) return { code: "rate_limited", retryable: true };
  if (status === 408) return { code: "timeout", retryable: true };
  if (status === 409) return { code: "provider_error", retryable: true };
  if (status >= 500) return { code: "provider_error", retryable: true };
  return { code: "bad_request", retryable: false };
}

/** Full jitter: uniform in [0, min(max, base · 2^(attempt−1))]. `attempt` is the one that just failed. */
export function backoffDelay(attempt: number, random: () => number, baseMs = BACKOFF_BASE_MS, maxMs = BACKOFF_MAX_MS): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return random() * ceiling;
}
