// The simulator's own rate limit: a sliding 60-second window per model over simulated time, like a
// provider that counts requests and tokens in any trailing minute. Calls it rejects are not counted.

const WINDOW_MS = 60_000;

interface Entry {
  at: number;
  tokens: number;
}

export interface WindowState {
  limitRequests: number;
  limitTokens: number;
  remainingRequests: number;
  remainingTokens: number;
  resetRequestsMs: number; // simulated ms until one more request fits
  resetTokensMs: number; // simulated ms until the oldest tokens leave the window
}

export class RateWindow {
  private entries: Entry[] = [];

  constructor(
    readonly rpm: number,
    readonly tpm: number,
  ) {}

  private prune(now: number) {
    let i = 0;
    while (i < this.entries.length && this.entries[i].at <= now - WINDOW_MS) i++;
    if (i > 0) this.entries.splice(0, i);
  }

  private usedTokens(): number {
    let s = 0;
    for (const e of this.entries) s += e.tokens;
    return s;
  }

  /** Admits a call charging `tokens`, or returns the simulated ms to wait before it would fit. */
  tryAdmit(now: number, tokens: number): { ok: true } | { ok: false; waitMs: number; reason: "requests" | "tokens" } {
    this.prune(now);
    const used = this.usedTokens();
    let waitRequests = 0;
    if (this.entries.length >= this.rpm) waitRequests = this.entries[this.entries.length - this.rpm].at + WINDOW_MS - now;
    let waitTokens = 0;
    // A call larger than the whole budget is admitted alone, into an empty window.
    const need = Math.min(tokens, this.tpm);
    if (used + need > this.tpm) {
      let freed = 0;
      for (const e of this.entries) {
        freed += e.tokens;
        if (used - freed + need <= this.tpm) {
          waitTokens = e.at + WINDOW_MS - now;
          break;
        }
      }
    }
    if (waitRequests > 0 || waitTokens > 0) {
      return waitRequests >= waitTokens
        ? { ok: false, waitMs: Math.max(1, waitRequests), reason: "requests" }
        : { ok: false, waitMs: Math.max(1, waitTokens), reason: "tokens" };
    }
    this.entries.push({ at: now, tokens });
    return { ok: true };
  }

  state(now: number): WindowState {
    this.prune(now);
    const used = this.usedTokens();
    const oldest = this.entries[0];
    const firstBlocking = this.entries.length >= this.rpm ? this.entries[this.entries.length - this.rpm] : null;
    return {
      limitRequests: this.rpm,
      limitTokens: this.tpm,
      remainingRequests: Math.max(0, this.rpm - this.entries.length),
      remainingTokens: Math.max(0, this.tpm - used),
      resetRequestsMs: firstBlocking ? Math.max(0, firstBlocking.at + WINDOW_MS - now) : 0,
      resetTokensMs: oldest ? Math.max(0, oldest.at + WINDOW_MS - now) : 0,
    };
  }
}
