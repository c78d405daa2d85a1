// Reading providers' rate-limit headers into one shape. Pure functions, table-tested.
//   OpenAI:   x-ratelimit-{limit,remaining}-{requests,tokens} per minute,
//             x-ratelimit-reset-{requests,tokens} as durations: "6m0s", "1.5s", "20ms".
//   Groq:     same names, but the *requests* headers count per DAY (tokens per minute).
//   Cerebras: x-ratelimit-{limit,remaining,reset}-{requests,tokens}-{minute,hour,day}, resets in seconds.
//   Any:      retry-after-ms (ms), retry-after (seconds or an HTTP date).
import type { ProviderId } from "./types";

export type RateWindowName = "minute" | "hour" | "day";

export interface RateBudget {
  window: RateWindowName;
  limit: number | null;
  remaining: number | null;
  resetMs: number | null; // time until the budget refills (provider's meaning), ms
}

export interface RateLimitInfo {
  requests: RateBudget[];
  tokens: RateBudget[];
  retryAfterMs: number | null;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined> | null | undefined;

function getter(headers: HeaderSource): (name: string) => string | null {
  if (!headers) return () => null;
  if (typeof (headers as Headers).get === "function") return (n) => (headers as Headers).get(n);
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) lower.set(k.toLowerCase(), Array.isArray(v) ? v[0] : v);
  return (n) => lower.get(n.toLowerCase()) ?? null;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, "µs": 0.001, ns: 0.000001 };

/**
 * Go-style durations ("6m0s", "1h2m3.5s", "20ms", "1.5s") or a bare number of seconds ("7.66").
 * Returns ms, or null when the text is not a duration.
 */
export function parseDuration(text: string | null | undefined): number | null {
  if (text == null) return null;
  const t = text.trim();
  if (t === "") return null;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(re)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    consumed += m[0].length;
  }
  return consumed === t.length && consumed > 0 ? total : null;
}

/** `retry-after-ms` wins (precise), then `retry-after` as seconds or an HTTP date. */
export function parseRetryAfter(headers: HeaderSource, nowMs: number = Date.now()): number | null {
  const get = getter(headers);
  const ms = get("retry-after-ms");
  if (ms != null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = get("retry-after");
  if (ra == null || ra.trim() === "") return null;
  if (Number.isFinite(Number(ra))) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

function num(v: string | null): number | null {
  if (v == null || v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function budget(window: RateWindowName, limit: string | null, remaining: string | null, reset: string | null): RateBudget | null {
  const b = { window, limit: num(limit), remaining: num(remaining), resetMs: parseDuration(reset) };
  return b.limit === null && b.remaining === null && b.resetMs === null ? null : b;
}

/** Normalised rate-limit state from one response's headers. */
export function parseRateLimitHeaders(provider: ProviderId, headers: HeaderSource, nowMs: number = Date.now()): RateLimitInfo {
  const get = getter(headers);
  const info: RateLimitInfo = { requests: [], tokens: [], retryAfterMs: parseRetryAfter(headers, nowMs) };
  for (const kind of ["requests", "tokens"] as const) {
    // Suffixed headers (Cerebras, and anyone else who names the window).
    for (const window of ["minute", "hour", "day"] as const) {
      const b = budget(window, get(`x-ratelimit-limit-${kind}-${window}`), get(`x-ratelimit-remaining-${kind}-${window}`), get(`x-ratelimit-reset-${kind}-${window}`));
      if (b) info[kind].push(b);
    }
    // Unsuffixed: per minute, except Groq's request headers, which count per day.
    const window: RateWindowName = provider === "groq" && kind === "requests" ? "day" : "minute";
    const b = budget(window, get(`x-ratelimit-limit-${kind}`), get(`x-ratelimit-remaining-${kind}`), get(`x-ratelimit-reset-${kind}`));
    if (b) info[kind].push(b);
  }
  return info;
}
