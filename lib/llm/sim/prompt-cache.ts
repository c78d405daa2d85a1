// Prompt caching the way OpenAI reports it: a request whose prompt starts with a prefix seen recently
// (per model) gets `cached_tokens` = the longest such prefix, in 128-token blocks, from 1024 tokens up.
// Prefixes are matched on token content only, which keeps results deterministic; `prompt_cache_key`
// is accepted but does not change the outcome (on real providers it only improves routing odds).

const MIN_CACHED = 1024;
const BLOCK = 128;
const TTL_MS = 5 * 60_000; // simulated time a prefix stays warm after its last use

export class PromptCache {
  private seen = new Map<string, number>(); // prefix key -> last use (simulated ms)
  private inserts = 0;

  /** Cached prompt tokens for this request; also marks all its prefixes as seen at `now`. */
  lookupAndStore(model: string, tokens: readonly number[], now: number): number {
    const keys: string[] = [];
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < tokens.length; i++) {
      h1 = Math.imul(h1 ^ tokens[i], 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ (tokens[i] + i), 0x5bd1e995) >>> 0;
      const len = i + 1;
      if (len >= MIN_CACHED && (len - MIN_CACHED) % BLOCK === 0) keys.push(`${model}|${len}|${h1}|${h2}`);
    }
    let cached = 0;
    for (let k = keys.length - 1; k >= 0; k--) {
      const last = this.seen.get(keys[k]);
      if (last !== undefined && now - last <= TTL_MS) {
        cached = MIN_CACHED + k * BLOCK;
        break;
      }
    }
    for (const key of keys) this.seen.set(key, now);
    this.inserts += keys.length;
    if (this.inserts > 20_000) this.evict(now);
    return cached;
  }

  private evict(now: number) {
    for (const [key, last] of this.seen) if (now - last > TTL_MS) this.seen.delete(key);
    this.inserts = 0;
  }
}
