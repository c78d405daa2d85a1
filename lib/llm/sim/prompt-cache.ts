// Prompt caching the way real providers behave: a prefix is keyed by model and token content in
// blocks (OpenAI: from 1024 tokens, in 128-token steps). A prefix becomes cacheable only once the
// first request carrying it has finished its prefill, so requests that arrive before that (e.g.
// siblings sent at the same instant) miss. After that a request finds it with a configurable hit
// rate (routing to a machine without it misses) until it has gone unused for the TTL.
// `prompt_cache_key` is accepted but does not change the outcome (it only improves routing odds).
import type { SimCacheBehaviour } from "./profiles";

interface Entry {
  readyAt: number; // simulated ms when the first carrier finished prefill
  lastUse: number;
}

export class PromptCache {
  private entries = new Map<string, Entry>();
  private inserts = 0;

  constructor(
    private readonly behaviour: SimCacheBehaviour | null,
    private readonly rng: () => number,
  ) {}

  private keys(model: string, tokens: readonly number[]): string[] {
    const b = this.behaviour;
    if (!b) return [];
    const keys: string[] = [];
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < tokens.length; i++) {
      h1 = Math.imul(h1 ^ tokens[i], 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ (tokens[i] + i), 0x5bd1e995) >>> 0;
      const len = i + 1;
      if (len >= b.minTokens && (len - b.minTokens) % b.blockTokens === 0) keys.push(`${model}|${len}|${h1}|${h2}`);
    }
    return keys;
  }

  /**
   * Cached prompt tokens for a request arriving at `now`: the longest prefix that is ready (its first
   * carrier finished prefill) and unexpired, if this request is routed to it (hit rate).
   */
  lookup(model: string, tokens: readonly number[], now: number): number {
    const b = this.behaviour;
    if (!b) return 0;
    const keys = this.keys(model, tokens);
    for (let k = keys.length - 1; k >= 0; k--) {
      const e = this.entries.get(keys[k]);
      if (e && e.readyAt <= now && now - e.lastUse <= b.ttlMs) {
        if (this.rng() >= b.hitRate) return 0;
        for (let j = 0; j <= k; j++) {
          const hit = this.entries.get(keys[j]);
          if (hit) hit.lastUse = now;
        }
        return b.minTokens + k * b.blockTokens;
      }
    }
    return 0;
  }

  /** Records that a request's prefixes finish prefill at `readyAt` (kept if an earlier carrier was sooner). */
  store(model: string, tokens: readonly number[], now: number, readyAt: number): void {
    const b = this.behaviour;
    if (!b) return;
    const keys = this.keys(model, tokens);
    for (const key of keys) {
      const e = this.entries.get(key);
      if (e && now - e.lastUse <= b.ttlMs) {
        e.readyAt = Math.min(e.readyAt, readyAt);
        e.lastUse = Math.max(e.lastUse, now);
      } else {
        this.entries.set(key, { readyAt, lastUse: now });
      }
    }
    this.inserts += keys.length;
    if (this.inserts > 20_000) this.evict(now);
  }

  private evict(now: number) {
    const ttl = this.behaviour?.ttlMs ?? 0;
    for (const [key, e] of this.entries) if (now - e.lastUse > ttl) this.entries.delete(key);
    this.inserts = 0;
  }
}
