// Normalised reading of providers' rate-limit headers.
import { describe, expect, it } from "vitest";
import { parseDuration, parseRateLimitHeaders, parseRetryAfter } from "@/lib/llm/rate-limit-headers";
import { formatResetDuration } from "@/lib/llm/sim";
import type { ProviderId } from "@/lib/llm/types";

describe("parseDuration", () => {
  it.each([
    ["6m0s", 360_000],
    ["1.5s", 1_500],
    ["20ms", 20],
    ["1h2m3.5s", 3_723_500],
    ["2m59.56s", 179_560],
    ["7.66s", 7_660],
    ["7.66", 7_660], // Cerebras: bare seconds
    ["0", 0],
    ["250us", 0.25],
    ["", null],
    ["soon", null],
    ["5 minutes", null],
  ])("%s → %s ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it.each([
    [{ "retry-after": "1" }, 1000],
    [{ "retry-after": "0.25" }, 250],
    [{ "retry-after-ms": "120", "retry-after": "3" }, 120],
    [{ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, 30_000],
    [{ "retry-after": "Tue, 31 Dec 2024 23:00:00 GMT" }, 0],
    [{ "retry-after": "whenever" }, null],
    [{}, null],
  ])("%j → %s", (headers, ms) => {
    expect(parseRetryAfter(headers as Record<string, string>, now)).toBe(ms);
  });
});

describe("parseRateLimitHeaders", () => {
  const cases: { name: string; provider: ProviderId; headers: Record<string, string>; requests: unknown[]; tokens: unknown[] }[] = [
    {
      name: "OpenAI: per-minute requests and tokens, Go durations",
      provider: "openai",
      headers: {
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "499",
        "x-ratelimit-reset-requests": "120ms",
        "x-ratelimit-limit-tokens": "200000",
        "x-ratelimit-remaining-tokens": "0",
        "x-ratelimit-reset-tokens": "6m0s",
      },
      requests: [{ window: "minute", limit: 500, remaining: 499, resetMs: 120 }],
      tokens: [{ window: "minute", limit: 200_000, remaining: 0, resetMs: 360_000 }],
    },
    {
      name: "Groq: the unsuffixed request headers count per day",
      provider: "groq",
      headers: {
        "x-ratelimit-limit-requests": "14400",
        "x-ratelimit-remaining-requests": "14370",
        "x-ratelimit-reset-requests": "2m59.56s",
        "x-ratelimit-limit-tokens": "18000",
        "x-ratelimit-remaining-tokens": "17997",
        "x-ratelimit-reset-tokens": "7.66s",
      },
      requests: [{ window: "day", limit: 14_400, remaining: 14_370, resetMs: 179_560 }],
      tokens: [{ window: "minute", limit: 18_000, remaining: 17_997, resetMs: 7_660 }],
    },
    {
      name: "Cerebras: -day / -minute suffixes, resets in seconds",
      provider: "cerebras",
      headers: {
        "x-ratelimit-limit-requests-day": "14400",
        "x-ratelimit-remaining-requests-day": "0",
        "x-ratelimit-reset-requests-day": "33011.382867",
        "x-ratelimit-limit-tokens-minute": "60000",
        "x-ratelimit-remaining-tokens-minute": "59000",
        "x-ratelimit-reset-tokens-minute": "11.382867",
      },
      requests: [{ window: "day", limit: 14_400, remaining: 0, resetMs: 33_011_382.867 }],
      tokens: [{ window: "minute", limit: 60_000, remaining: 59_000, resetMs: 11_382.867 }],
    },
    { name: "no rate-limit headers at all", provider: "ollama", headers: { "content-type": "application/json" }, requests: [], tokens: [] },
  ];

  it.each(cases)("$name", ({ provider, headers, requests, tokens }) => {
    const info = parseRateLimitHeaders(provider, new Headers(headers));
    expect(info.requests.map((b) => ({ ...b, resetMs: b.resetMs === null ? null : Math.round(b.resetMs * 1000) / 1000 }))).toEqual(requests);
    expect(info.tokens.map((b) => ({ ...b, resetMs: b.resetMs === null ? null : Math.round(b.resetMs * 1000) / 1000 }))).toEqual(tokens);
  });

  it("reads plain header objects as well as Headers", () => {
    const info = parseRateLimitHeaders("openai", { "X-RateLimit-Remaining-Requests": "3", "retry-after": "2" });
    expect(info.requests[0]).toMatchObject({ remaining: 3, window: "minute" });
    expect(info.retryAfterMs).toBe(2000);
  });

  it("reads back what the simulator writes", () => {
    for (const ms of [0, 20, 999, 1500, 59_999, 360_000, 3_723_500]) {
      expect(parseDuration(formatResetDuration(ms))).toBeCloseTo(ms, 0);
    }
  });
});
