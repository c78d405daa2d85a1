// One RPM/TPM budget per (provider, model) for every process on the database: web instances and job
// workers take their room from Postgres (llm_rate_reserve), so together they never exceed the
// provider's limit. Each call reserves its estimated prompt + max_tokens, gives back what it did not
// use when it ends, and the provider's rate-limit headers correct the shared state. Interactive calls
// may use the whole budget; background calls leave a reserve fraction free for them.
// The in-process RateLimiter still runs first (concurrency cap, 429 back-off); this is the gate behind it.
import "server-only";
import { realClock, type Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/port";
import type { RateLimitInfo } from "./rate-limit-headers";
import { LlmError, type Priority } from "./types";

export interface SharedLimits {
  rpm?: number;
  tpm?: number;
  /** Share of each budget background calls leave free for interactive ones (0–0.9). */
  reserveFraction: number;
  /** Sliding window (ms); default 61 000, one second over a minute. */
  windowMs?: number;
}

export interface SharedReservation {
  readonly id: number;
  /** When the database granted it (epoch ms): the window's own clock. */
  readonly grantedAt: number;
  /** The call ended: `sent` false gives the whole reservation back; `tokens` is what the provider counted. */
  release(result: { sent: boolean; tokens?: number }): Promise<void>;
}

/** What the in-process limiter needs from the shared one, for one model. */
export interface SharedModelLimit {
  reserve(tokens: number, opts: { priority: Priority; signal?: AbortSignal; maxWaitMs?: number | null }): Promise<SharedReservation>;
  observe(info: RateLimitInfo): void;
}

export interface SharedRateLimitOptions {
  /** The service-role database. */
  db: () => Promise<Db>;
  provider: string;
  limits: SharedLimits;
  /** Real time: the budget lives in the database's clock. */
  clock?: Clock;
  /** Longest single wait between two reservation attempts (ms). */
  maxPollMs?: number;
  log?: (line: string) => void;
}

export class SharedRateLimit {
  private readonly clock: Clock;
  private readonly configured = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: SharedRateLimitOptions) {
    this.clock = opts.clock ?? realClock;
  }

  /** Stores this process's configured limits for the model (once per process and model). */
  private configure(model: string): Promise<unknown> {
    let p = this.configured.get(model);
    if (!p) {
      const { rpm, tpm, reserveFraction, windowMs } = this.opts.limits;
      p = this.opts
        .db()
        .then((db) => db.rpc("llm_rate_configure", { p_provider: this.opts.provider, p_model: model, p_rpm: rpm ?? null, p_tpm: tpm ?? null, p_reserve_fraction: reserveFraction, p_window_ms: windowMs ?? 61_000 }));
      p.catch(() => this.configured.delete(model)); // the next call tries again
      this.configured.set(model, p);
    }
    return p;
  }

  /** Waits until the shared budget has room for `tokens`, then holds that room until released. */
  async reserve(model: string, tokens: number, opts: { priority: Priority; signal?: AbortSignal; maxWaitMs?: number | null }): Promise<SharedReservation> {
    await this.configure(model);
    const startedAt = this.clock.now();
    const maxPoll = this.opts.maxPollMs ?? 2000;
    for (;;) {
      if (opts.signal?.aborted) throw new LlmError("aborted", "The call was cancelled.");
      const db = await this.opts.db();
      const r = await db.rpc("llm_rate_reserve", { p_provider: this.opts.provider, p_model: model, p_tokens: Math.max(0, Math.ceil(tokens)), p_priority: opts.priority });
      if (r.granted) return this.reservation(r.id, r.grantedAt);
      // Another process may release early (a refund), so poll at least every maxPoll ms.
      const wait = Math.min(Math.max(r.retryAfterMs, 10), maxPoll);
      if (opts.maxWaitMs != null && this.clock.now() + wait - startedAt > opts.maxWaitMs) {
        throw new LlmError("deadline", "The shared rate limit would delay this call past its deadline.");
      }
      try {
        await this.clock.sleep(wait, opts.signal);
      } catch {
        throw new LlmError("aborted", "The call was cancelled.");
      }
    }
  }

  private reservation(id: number, grantedAt: number): SharedReservation {
    let released = false;
    return {
      id,
      grantedAt,
      release: async ({ sent, tokens }) => {
        if (released) return;
        released = true;
        const db = await this.opts.db();
        await db.rpc("llm_rate_release", { p_id: id, p_sent: sent, p_tokens: tokens === undefined ? null : Math.max(0, Math.round(tokens)) });
      },
    };
  }

  /** Feeds one response's per-minute rate-limit headers into the shared state. */
  async observe(model: string, info: RateLimitInfo): Promise<void> {
    const minute = (budgets: RateLimitInfo["requests"]) => budgets.find((b) => b.window === "minute");
    const req = minute(info.requests);
    const tok = minute(info.tokens);
    if (!req && !tok && info.retryAfterMs === null) return;
    const int = (v: number | null | undefined) => (v == null ? null : Math.max(0, Math.round(v)));
    const db = await this.opts.db();
    await db.rpc("llm_rate_observe", {
      p_provider: this.opts.provider,
      p_model: model,
      p_limit_requests: int(req?.limit),
      p_remaining_requests: int(req?.remaining),
      p_reset_requests_ms: int(req?.resetMs),
      p_limit_tokens: int(tok?.limit),
      p_remaining_tokens: int(tok?.remaining),
      p_reset_tokens_ms: int(tok?.resetMs),
      p_retry_after_ms: int(info.retryAfterMs),
    });
  }

  /** The port the in-process limiter of one model uses. Header corrections never fail a call. */
  forModel(model: string): SharedModelLimit {
    const log = this.opts.log ?? ((line: string) => console.warn(`[llm] ${line}`));
    return {
      reserve: (tokens, opts) => this.reserve(model, tokens, opts),
      observe: (info) => {
        this.observe(model, info).catch((err: unknown) => log(`shared rate limit: observing headers failed: ${err instanceof Error ? err.message : String(err)}`));
      },
    };
  }
}
