// The counterfactual's world (lib/usage/counterfactual.ts): when one-call-per-lesson's single calls
// would have started under the gateway's limits, and the cached prompt tokens each would have got in
// expectation (hit rate × the prefix cached when it started).
import { describe, expect, it } from "vitest";
import { NaiveWorld, NAIVE_CACHE_TTL_MS, type NaiveCalls } from "@/lib/usage/counterfactual";

const CACHE = { minTokens: 1024, blockTokens: 128, hitRate: 0.9 };
const NO_LIMITS = { rpm: Infinity, tpm: Infinity, concurrency: Infinity };
const prompt = (n: number, salt = 0) => Array.from({ length: n }, (_, i) => (i < 1100 ? i : i + salt * 100_000));

function calls(over: Partial<NaiveCalls> = {}): NaiveCalls {
  return { now: 0, promptTokens: prompt(1200), n: 5, reserveTokens: 2000, usedTokens: 2000, prefillMs: 600, callMs: 6000, ...over };
}

describe("the counterfactual's world", () => {
  it("single calls sent together miss each other; a later request finds the prompt at the hit rate", () => {
    const w = new NaiveWorld(CACHE, NO_LIMITS);
    expect(w.singleCalls(calls())).toEqual([0, 0, 0, 0, 0]);
    // 1152 = 1024 + one 128-token block of the 1200-token prompt.
    expect(w.singleCalls(calls({ now: 10_000 }))).toEqual(Array(5).fill(0.9 * 1152));
    // Before the first one's prefill ended, nothing was cached yet.
    const early = new NaiveWorld(CACHE, NO_LIMITS);
    early.singleCalls(calls());
    expect(early.singleCalls(calls({ now: 500 }))).toEqual(Array(5).fill(0));
  });

  it("a prompt that shares only its first blocks gets only those", () => {
    const w = new NaiveWorld(CACHE, NO_LIMITS);
    w.singleCalls(calls());
    // Shares 1100 tokens: the 1024-token block is cached, the 1152 one is not.
    expect(w.singleCalls(calls({ now: 10_000, promptTokens: prompt(1200, 1), n: 1 }))).toEqual([0.9 * 1024]);
  });

  it("a TPM limit spreads the single calls: those held back past the first one's prefill hit", () => {
    // 5000 tokens a minute, 2000 a call: two go at once, the rest a minute apart, by then cached.
    const w = new NaiveWorld(CACHE, { ...NO_LIMITS, tpm: 5000 });
    expect(w.singleCalls(calls())).toEqual([0, 0, 0.9 * 1152, 0.9 * 1152, 0.9 * 1152]);
  });

  it("a call's reservation shrinks to what it used once it answered", () => {
    // 5000 a minute, 2000 reserved per call, 500 counted once it answered (after 6 s).
    const w = new NaiveWorld(CACHE, { ...NO_LIMITS, tpm: 5000 });
    w.singleCalls(calls({ n: 4, usedTokens: 500 }));
    // Two at once (4000); the third and fourth once both answered (500 + 500 + 2000 + 2000).
    expect(w.starts()).toEqual([0, 0, 6000, 6000]);
    const reserved = new NaiveWorld(CACHE, { ...NO_LIMITS, tpm: 5000 });
    reserved.singleCalls(calls({ n: 4 }));
    expect(reserved.starts()).toEqual([0, 0, 60_000, 60_000]);
  });

  it("the concurrency cap holds calls until an earlier one answered", () => {
    const w = new NaiveWorld(CACHE, { ...NO_LIMITS, concurrency: 3 });
    expect(w.singleCalls(calls())).toEqual([0, 0, 0, 0.9 * 1152, 0.9 * 1152]);
  });

  it("no cache, no cached tokens; an unused prefix expires after the TTL", () => {
    expect(new NaiveWorld(null, { ...NO_LIMITS, tpm: 5000 }).singleCalls(calls())).toEqual([0, 0, 0, 0, 0]);
    const w = new NaiveWorld(CACHE, NO_LIMITS);
    w.singleCalls(calls({ n: 1 }));
    expect(w.singleCalls(calls({ now: 600 + NAIVE_CACHE_TTL_MS + 1, n: 1 }))).toEqual([0]);
  });
});
