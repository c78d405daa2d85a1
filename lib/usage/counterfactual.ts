// What one-call-per-lesson would have billed for the lessons a generation request actually delivered,
// and the honest saving: that counterfactual minus everything the request was billed (batch calls,
// repairs, failed and retried attempts). The rule is written down in docs/cost-model.md:
// - one single-lesson call per DELIVERED lesson (nothing is claimed for lessons never delivered);
// - its prompt is the real single-lesson prompt of that lesson's group, tokenised exactly;
// - its completion is the lesson as the model wrote it, wrapped as a one-lesson answer;
// - its cached prompt tokens are the EXPECTED ones (`baselineCachedTokens`, per call): the provider's
//   hit rate × the prefix that would have been cached when that single call started, as `NaiveWorld`
//   below models it: single calls sent together miss each other; calls the rate limiter or the
//   concurrency cap holds back until an earlier one's prompt is processed find it cached.
import type { TokenUsage } from "@/lib/llm/types";
import { costSplit, roundUsd } from "./cost";

export interface Counterfactual {
  promptTokens: number;
  costUsd: number;
}

export interface CounterfactualInput {
  /** Prompt tokens of the single-lesson prompt for these lessons. */
  singlePromptTokens: number;
  /** Expected cached prompt tokens of each single call (may be fractional: hit rate × cached prefix). */
  baselineCachedTokens: number;
  /** Completion tokens of each delivered lesson as a one-lesson answer. */
  lessonCompletionTokens: readonly number[];
}

export function counterfactualFor(provider: string, model: string, input: CounterfactualInput): Counterfactual {
  const n = input.lessonCompletionTokens.length;
  const cachedEach = Math.min(Math.max(input.baselineCachedTokens, 0), input.singlePromptTokens);
  const usage: TokenUsage = {
    promptTokens: n * input.singlePromptTokens,
    cachedTokens: n * cachedEach,
    completionTokens: input.lessonCompletionTokens.reduce((a, b) => a + b, 0),
  };
  return { promptTokens: usage.promptTokens, costUsd: costSplit(provider, model, usage).totalUsd };
}

export interface SavingsEvent {
  requestId?: string | null;
  promptTokens: number;
  costUsd: number;
  counterfactualPromptTokens: number | null;
  counterfactualCostUsd: number | null;
}

/**
 * Saved prompt tokens and USD of a set of events: Σ (counterfactual − cost) over the events that carry
 * a counterfactual. Every call of a request that batched carries one (0 when it delivered nothing), so
 * its repairs and failed attempts are netted; calls that never batched (plain single calls, the
 * circuit-open fallback) carry none: they are exactly what the counterfactual would have made.
 */
export function savings(events: readonly SavingsEvent[]): { savedPromptTokens: number; savedUsd: number } {
  let savedPromptTokens = 0;
  let savedUsd = 0;
  for (const e of events) {
    if (e.counterfactualPromptTokens === null || e.counterfactualCostUsd === null) continue;
    savedPromptTokens += e.counterfactualPromptTokens - e.promptTokens;
    savedUsd += e.counterfactualCostUsd - e.costUsd;
  }
  return { savedPromptTokens, savedUsd: roundUsd(savedUsd) };
}

/** The saving of each generation request (events without a request id are grouped under ""). */
export function savingsByRequest(events: readonly SavingsEvent[]): Map<string, number> {
  const byRequest = new Map<string, SavingsEvent[]>();
  for (const e of events) {
    const key = e.requestId ?? "";
    byRequest.set(key, [...(byRequest.get(key) ?? []), e]);
  }
  return new Map([...byRequest].map(([k, evs]) => [k, savings(evs).savedUsd]));
}

/** The truth check: reported savings within `tolerance` (share) of measured savings. */
export function savingsAgree(reportedUsd: number, measuredUsd: number, tolerance = 0.05): boolean {
  if (measuredUsd === 0) return Math.abs(reportedUsd) < 1e-9;
  return Math.abs(reportedUsd - measuredUsd) <= tolerance * Math.abs(measuredUsd);
}

// ---- The counterfactual's world ----
// When one-call-per-lesson's single calls would have started, and what its provider's cache would
// then have held. Deterministic and in expectation: a prefix is cacheable once the first single call
// carrying it has had its prompt processed (start + prefill), stays so until unused for the TTL, and a
// call that starts later finds it with the provider's hit rate. Start times come from the gateway's own
// limits applied to the single calls (first in, first out): requests per minute, tokens per minute
// (prompt + output budget reserved, as the limiter does) and the concurrency cap. Without limits the
// single calls of a request start together and miss each other.

const WINDOW_MS = 60_000;
/** OpenAI clears cached prefixes after 5–10 minutes of inactivity; the lower bound. */
export const NAIVE_CACHE_TTL_MS = 5 * 60_000;

export interface NaiveCacheRule {
  minTokens: number;
  blockTokens: number;
  hitRate: number;
}

export interface NaiveLimits {
  rpm: number; // Infinity: none known
  tpm: number;
  concurrency: number;
}

export interface NaiveCalls {
  now: number;
  /** Token ids of the single-lesson prompt, in the order the provider caches prefixes. */
  promptTokens: readonly number[];
  /** Single calls (one per lesson asked). */
  n: number;
  /** Tokens the limiter reserves for one single call (prompt + output budget) while it runs. */
  reserveTokens: number;
  /** Tokens it counts once the call answered (prompt + the output actually written, as expected). */
  usedTokens: number;
  /** From sending a single call until its prompt is processed (it is then cacheable). */
  prefillMs: number;
  /** From sending a single call until it has answered (its concurrency slot is free again). */
  callMs: number;
}

interface Slot {
  start: number;
  end: number;
  tokens: number; // reserved while running
  used: number; // counted once it answered
}

export class NaiveWorld {
  private readonly prefixes = new Map<string, { readyAt: number; lastUse: number }>();
  private calls: Slot[] = [];
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly cache: NaiveCacheRule | null,
    public limits: NaiveLimits,
  ) {}

  /**
   * Schedules a request's single calls and returns each one's expected cached prompt tokens, in the
   * order they would start; then remembers them (their prompts warm the cache for later requests).
   */
  singleCalls(req: NaiveCalls): number[] {
    const keys = this.keys(req.promptTokens);
    const out: number[] = [];
    for (let i = 0; i < req.n; i++) {
      const start = this.schedule(req.now, req.reserveTokens);
      this.calls.push({ start, end: start + req.callMs, tokens: req.reserveTokens, used: Math.min(req.usedTokens, req.reserveTokens) });
      this.lastStart = start;
      out.push(this.warmLength(keys, start) * (this.cache?.hitRate ?? 0));
      this.store(keys, start, start + req.prefillMs);
    }
    this.prune(req.now);
    return out;
  }

  /** When the single calls scheduled so far (and not yet forgotten) would have started, in order. */
  starts(): number[] {
    return this.calls.map((c) => c.start);
  }

  /** The earliest start ≥ now that the limits allow, after every call queued before it (FIFO). */
  private schedule(now: number, tokens: number): number {
    const { rpm, tpm, concurrency } = this.limits;
    let t = Math.max(now, this.lastStart);
    for (let guard = 0; guard < 10_000; guard++) {
      const recent = this.calls.filter((c) => c.start > t - WINDOW_MS && c.start <= t);
      const running = this.calls.filter((c) => c.start <= t && c.end > t);
      let next = t;
      if (recent.length + 1 > rpm) next = Math.max(next, recent[recent.length - Math.floor(rpm)].start + WINDOW_MS);
      // A call's reservation shrinks to what it used once it answered (the limiter's release).
      const weight = (c: Slot) => (c.end <= t ? c.used : c.tokens);
      const used = recent.reduce((a, c) => a + weight(c), 0);
      if (used + Math.min(tokens, tpm) > tpm) {
        // Try again at the next moment the count drops: a call answers or leaves the window.
        const events = recent.flatMap((c) => [c.start + WINDOW_MS, c.end]).filter((x) => x > t);
        next = Math.max(next, Math.min(...events));
      }
      if (running.length + 1 > concurrency) next = Math.max(next, Math.min(...running.map((c) => c.end)));
      if (next === t) return t;
      t = next;
    }
    return t;
  }

  /** Prefix keys at the cache's block boundaries, longest last. */
  private keys(tokens: readonly number[]): { key: string; length: number }[] {
    const b = this.cache;
    if (!b) return [];
    const keys: { key: string; length: number }[] = [];
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < tokens.length; i++) {
      h1 = Math.imul(h1 ^ tokens[i], 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ (tokens[i] + i), 0x5bd1e995) >>> 0;
      const len = i + 1;
      if (len >= b.minTokens && (len - b.minTokens) % b.blockTokens === 0) keys.push({ key: `${len}|${h1}|${h2}`, length: len });
    }
    return keys;
  }

  private warmLength(keys: readonly { key: string; length: number }[], at: number): number {
    for (let k = keys.length - 1; k >= 0; k--) {
      const e = this.prefixes.get(keys[k].key);
      if (e && e.readyAt <= at && at - e.lastUse <= NAIVE_CACHE_TTL_MS) return keys[k].length;
    }
    return 0;
  }

  private store(keys: readonly { key: string; length: number }[], at: number, readyAt: number): void {
    for (const { key } of keys) {
      const e = this.prefixes.get(key);
      if (e && at - e.lastUse <= NAIVE_CACHE_TTL_MS) {
        e.readyAt = Math.min(e.readyAt, readyAt);
        e.lastUse = Math.max(e.lastUse, at);
      } else this.prefixes.set(key, { readyAt, lastUse: at });
    }
  }

  private prune(now: number): void {
    if (this.calls.length > 64) this.calls = this.calls.filter((c) => c.end > now - WINDOW_MS || c.start > now - WINDOW_MS);
    if (this.prefixes.size > 4096) for (const [k, e] of this.prefixes) if (now - e.lastUse > NAIVE_CACHE_TTL_MS) this.prefixes.delete(k);
  }
}
