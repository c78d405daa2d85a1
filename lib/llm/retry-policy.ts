// The one retry policy of the app (the openai SDK's own retries are off): which provider answers are
// worth another attempt, how long to wait (full jitter, or what the server asked for with retry-after),
// and `withRetry`, the loop every retrier uses: the gateway, the lesson saver, the usage sink and slot
// repair. Time comes from the injected clock, so tests and the simulator control every wait.
//
// Why our own ~60 lines rather than p-retry or cockatiel: both sleep on the real timer (no clock port),
// and the gateway needs per-attempt bookkeeping (rate-limit permits, one usage report per attempt) and
// a deadline measured on that clock; wrapping either library would take more code than this.
import type { Clock } from "@/lib/clock";
import type { LlmErrorCode } from "./types";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff ceiling; doubled per attempt up to maxMs. 0 means retry at once. */
  baseMs: number;
  maxMs: number;
}

/** Model calls (the gateway): transient provider failures. */
export const PROVIDER_RETRY: RetryPolicy = { maxAttempts: 4, baseMs: 500, maxMs: 20_000 };
/** Writes to our own database (lesson saves, usage events): a blip, not an outage. */
export const DB_WRITE_RETRY: RetryPolicy = { maxAttempts: 3, baseMs: 100, maxMs: 2_000 };
/** Repairing a lesson slot: a new prompt with feedback, not the same request again, so no wait. */
export const REPAIR_RETRY: RetryPolicy = { maxAttempts: 3, baseMs: 0, maxMs: 0 };

/** 408, 409, 429 and 5xx are transient; any other 4xx is our request's fault and never retried. */
export function classifyStatus(status: number): { code: LlmErrorCode; retryable: boolean } {
  if (status === 429) return { code: "rate_limited", retryable: true };
  if (status === 408) return { code: "timeout", retryable: true };
  if (status === 409) return { code: "provider_error", retryable: true };
  if (status >= 500) return { code: "provider_error", retryable: true };
  return { code: "bad_request", retryable: false };
}

/** Full jitter: uniform in [0, min(max, base · 2^(attempt−1))]. `attempt` is the one that just failed. */
export function backoffDelay(attempt: number, random: () => number, policy: Pick<RetryPolicy, "baseMs" | "maxMs"> = PROVIDER_RETRY): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return random() * ceiling;
}

/** Whether a failure deserves another attempt; `afterMs` is the server's retry-after in clock ms. */
export type RetryVerdict = { retry: false } | { retry: true; afterMs?: number | null };
export type StopReason = "not_retryable" | "attempts" | "deadline" | "aborted";

export interface RetryOptions extends RetryPolicy {
  clock: Clock;
  random?: () => number;
  /** Default: every error is worth another attempt, with no server hint. */
  classify?: (err: unknown, attempt: number) => RetryVerdict;
  /** Clock ms after which no retry may end; read after each failure (the first attempt may set it). */
  deadline?: () => number | null;
  /** Stops a wait between attempts. */
  signal?: AbortSignal;
  /** What to throw when retrying stops (default: the last error). */
  giveUp?: (err: unknown, reason: StopReason, attempt: number) => unknown;
}

/** Runs `attempt(1)`, `attempt(2)`, … until one resolves or the policy says stop. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const random = opts.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      const stop = (reason: StopReason): never => {
        throw opts.giveUp ? opts.giveUp(err, reason, n) : err;
      };
      const verdict: RetryVerdict = opts.classify ? opts.classify(err, n) : { retry: true };
      if (!verdict.retry) return stop("not_retryable");
      if (n >= opts.maxAttempts) return stop("attempts");
      const delay = verdict.afterMs ?? backoffDelay(n, random, opts);
      const deadline = opts.deadline?.() ?? null;
      if (deadline !== null && opts.clock.now() + delay > deadline) return stop("deadline");
      if (delay === 0 && !opts.signal) continue;
      try {
        await opts.clock.sleep(delay, opts.signal);
      } catch {
        return stop("aborted");
      }
    }
  }
}
