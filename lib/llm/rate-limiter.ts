// Client-side rate limiter for one (provider, model): requests-per-minute and tokens-per-minute
// budgets plus an adaptive concurrency cap (halve on 429, +1 after a run of successes).
//
// The RPM/TPM budgets are sliding windows over what was actually sent, not refilling token buckets:
// a bucket of one minute's capacity lets up to twice the limit through in some 60-second window,
// which a provider that counts any trailing minute answers with 429s. A call counts from the moment
// its request is handed to fetch (markSent); a granted call that has not been sent yet counts as
// "now", so no window can ever hold more than the limit. The window is one second longer than a
// minute to absorb the gap between our send time and the provider's arrival time.
import type { Clock } from "@/lib/clock";
import type { RateLimitInfo } from "./rate-limit-headers";
import type { SharedModelLimit } from "./shared-rate-limit";
import { LlmError, type Priority } from "./types";

export interface LimiterOptions {
  maxConcurrency: number;
  rpm?: number;
  tpm?: number;
  clock: Clock;
  windowMs?: number; // default 61_000
  growAfter?: number; // successes in a row before the cap grows by one; default 5
  /** The budget shared with every other process (lib/llm/shared-rate-limit.ts), taken after the local one. */
  shared?: SharedModelLimit;
  /** Priority of this model's calls in the shared budget when a call does not say; default interactive. */
  priority?: Priority;
  /**
   * Fair share: while calls of other users wait, no user holds more than this fraction of the
   * concurrency cap (at least one slot), and freed slots go round the waiting users (start-time fair
   * queueing) instead of first-come-first-served. Without others waiting a user may use every slot.
   * Default 1 (off: first-in-first-out).
   */
  userMaxShare?: number;
}

/** Who a call is made for (the learner); calls without one are never held back by the fair share. */
export interface AcquireOptions {
  signal?: AbortSignal;
  deadline?: number | null;
  priority?: Priority;
  userId?: string | null;
}

export interface LimiterSnapshot {
  concurrencyCap: number;
  inFlight: number;
  rpmAvailable: number; // Infinity when no limit is known
  tpmAvailable: number;
}

interface Entry {
  at: number | null; // when sent (clock ms); null = granted, not sent yet
  tokens: number;
}

export interface Permit {
  readonly grantedAt: number;
  /** The request is being handed to fetch now. */
  markSent(): void;
  /** The attempt ended. `tokens` replaces the estimate with what the provider reported. */
  release(result: { tokens?: number }): void;
}

interface Waiter {
  tokens: number;
  user: string | null;
  /** Start tag in the fair-share order (start-time fair queueing over users); lower goes first. */
  tag: number;
  deadline: number | null;
  resolve(p: Permit): void;
  reject(e: unknown): void;
  done: boolean;
}

export class RateLimiter {
  private readonly windowMs: number;
  private readonly growAfter: number;
  private cap: number;
  private inFlight = 0;
  private streak = 0;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private rpm: number | undefined;
  private tpm: number | undefined;
  private readonly learnLimits: { rpm: boolean; tpm: boolean };
  private entries: Entry[] = [];
  private queue: Waiter[] = [];
  private readonly userInFlight = new Map<string, number>();
  /** Fair share: the virtual time (start tag of the last call granted) and each user's next start tag. */
  private vtime = 0;
  private readonly userNextTag = new Map<string, number>();
  private blockedUntil = 0;
  private timerAt: number | null = null;

  constructor(private readonly opts: LimiterOptions) {
    this.windowMs = opts.windowMs ?? 61_000;
    this.growAfter = opts.growAfter ?? 5;
    this.cap = Math.max(1, opts.maxConcurrency);
    this.rpm = opts.rpm;
    this.tpm = opts.tpm;
    this.learnLimits = { rpm: opts.rpm === undefined, tpm: opts.tpm === undefined };
  }

  /**
   * Waits for a slot and for room in the RPM/TPM windows for a call of `tokens` estimated tokens; with a
   * shared budget, then for room there too (holding the local slot meanwhile).
   */
  async acquire(tokens: number, options: AcquireOptions = {}): Promise<Permit> {
    const local = await this.acquireLocal(tokens, options);
    const shared = this.opts.shared;
    if (!shared) return local;
    let reservation: Awaited<ReturnType<SharedModelLimit["reserve"]>>;
    try {
      const maxWaitMs = options.deadline == null ? null : Math.max(0, options.deadline - this.opts.clock.now());
      reservation = await shared.reserve(tokens, { priority: options.priority ?? this.opts.priority ?? "interactive", signal: options.signal, maxWaitMs });
    } catch (err) {
      local.release({});
      throw err;
    }
    let sent = false;
    return {
      grantedAt: local.grantedAt,
      markSent: () => {
        sent = true;
        local.markSent();
      },
      release: (result) => {
        local.release(result);
        // A lost release leaves the estimate counted until the window passes: the safe side.
        reservation.release({ sent, tokens: result.tokens }).catch(() => {});
      },
    };
  }

  private acquireLocal(tokens: number, options: AcquireOptions): Promise<Permit> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new LlmError("aborted", "The call was cancelled."));
    return new Promise<Permit>((resolve, reject) => {
      const user = options.userId ?? null;
      const waiter: Waiter = {
        tokens,
        user,
        tag: this.startTag(user),
        deadline: options.deadline ?? null,
        done: false,
        resolve: (p) => {
          waiter.done = true;
          signal?.removeEventListener("abort", onAbort);
          resolve(p);
        },
        reject: (e) => {
          waiter.done = true;
          signal?.removeEventListener("abort", onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        if (waiter.done) return;
        this.queue = this.queue.filter((w) => w !== waiter);
        waiter.reject(new LlmError("aborted", "The call was cancelled."));
        this.pump();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** A 429 came back: halve the cap once per burst (429s from calls granted before the last cut are ignored). */
  onRateLimited(permit: Permit | null, retryAfterMs: number | null) {
    const now = this.opts.clock.now();
    if (!permit || permit.grantedAt >= this.lastDecreaseAt) {
      this.cap = Math.max(1, Math.floor(this.cap / 2));
      this.lastDecreaseAt = now;
    }
    this.streak = 0;
    if (retryAfterMs !== null) this.blockedUntil = Math.max(this.blockedUntil, now + retryAfterMs);
  }

  onSuccess() {
    this.streak++;
    if (this.streak >= this.growAfter && this.cap < this.opts.maxConcurrency) {
      this.cap++;
      this.streak = 0;
      this.pump();
    }
  }

  /**
   * Adopts what the provider's headers say: limits we were not given, and an exhausted budget blocks
   * until its reset. `toClockMs` converts header durations (real time) to this limiter's clock.
   */
  observe(info: RateLimitInfo, toClockMs: (realMs: number) => number = (ms) => ms) {
    this.opts.shared?.observe(info);
    const now = this.opts.clock.now();
    for (const [kind, budgets] of [["requests", info.requests], ["tokens", info.tokens]] as const) {
      for (const b of budgets) {
        if (b.window === "minute" && b.limit !== null && b.limit > 0) {
          if (kind === "requests" && this.learnLimits.rpm) this.rpm = b.limit;
          if (kind === "tokens" && this.learnLimits.tpm) this.tpm = b.limit;
        }
        if (b.remaining !== null && b.remaining <= 0 && b.resetMs !== null) {
          this.blockedUntil = Math.max(this.blockedUntil, now + toClockMs(b.resetMs));
        }
      }
    }
    this.pump();
  }

  snapshot(): LimiterSnapshot {
    this.prune(this.opts.clock.now());
    const used = this.entries.reduce((s, e) => s + e.tokens, 0);
    return {
      concurrencyCap: this.cap,
      inFlight: this.inFlight,
      rpmAvailable: this.rpm === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.rpm - this.entries.length),
      tpmAvailable: this.tpm === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.tpm - used),
    };
  }

  private prune(now: number) {
    const cutoff = now - this.windowMs;
    if (this.entries.some((e) => e.at !== null && e.at <= cutoff)) this.entries = this.entries.filter((e) => e.at === null || e.at > cutoff);
  }

  /** Clock ms until a call of `tokens` fits; Infinity when only a send or a release can make room. */
  private waitFor(tokens: number, now: number): number {
    this.prune(now);
    let wait = Math.max(0, this.blockedUntil - now);
    const sent = this.entries.filter((e) => e.at !== null).sort((a, b) => a.at! - b.at!);
    if (this.rpm !== undefined && this.entries.length >= this.rpm) {
      const mustExpire = this.entries.length - this.rpm + 1;
      if (sent.length < mustExpire) return Number.POSITIVE_INFINITY;
      wait = Math.max(wait, sent[mustExpire - 1].at! + this.windowMs - now);
    }
    if (this.tpm !== undefined) {
      const used = this.entries.reduce((s, e) => s + e.tokens, 0);
      const need = Math.min(tokens, this.tpm); // a call bigger than the budget goes alone
      if (used + need > this.tpm) {
        let freed = 0;
        let at: number | null = null;
        for (const e of sent) {
          freed += e.tokens;
          if (used - freed + need <= this.tpm) {
            at = e.at;
            break;
          }
        }
        if (at === null) return Number.POSITIVE_INFINITY;
        wait = Math.max(wait, at + this.windowMs - now);
      }
    }
    return wait;
  }

  private grant(waiter: Waiter, now: number) {
    if (waiter.tag > this.vtime) {
      this.vtime = waiter.tag;
      // Users whose next tag the virtual time has passed are as good as new: forget them.
      if (this.userNextTag.size > 1000) for (const [u, t] of this.userNextTag) if (t <= this.vtime) this.userNextTag.delete(u);
    }
    const entry: Entry = { at: null, tokens: waiter.tokens };
    this.entries.push(entry);
    this.inFlight++;
    const user = waiter.user;
    if (user !== null) this.userInFlight.set(user, (this.userInFlight.get(user) ?? 0) + 1);
    let released = false;
    const permit: Permit = {
      grantedAt: now,
      markSent: () => {
        if (entry.at === null) entry.at = this.opts.clock.now();
        this.pump();
      },
      release: ({ tokens }) => {
        if (released) return;
        released = true;
        this.inFlight--;
        if (user !== null) {
          const n = (this.userInFlight.get(user) ?? 1) - 1;
          if (n <= 0) this.userInFlight.delete(user);
          else this.userInFlight.set(user, n);
        }
        // Never sent: the provider never saw it, so it does not count.
        if (entry.at === null) this.entries = this.entries.filter((e) => e !== entry);
        else if (tokens !== undefined) entry.tokens = tokens;
        this.pump();
      },
    };
    waiter.resolve(permit);
  }

  /** The most slots one user may hold while another user's call waits. */
  private userSlots(): number {
    const share = this.opts.userMaxShare ?? 1;
    return Math.max(1, Math.floor(this.cap * share));
  }

  private get fair(): boolean {
    return (this.opts.userMaxShare ?? 1) < 1;
  }

  /**
   * A call's place in the fair order (start-time fair queueing, one unit per call): a user's calls are
   * numbered on from the later of the current virtual time and that user's previous call, so 40 calls
   * queued by one learner take tags v…v+39 while a learner arriving next gets v: every other learner's
   * first call goes before the long queue's second half, whoever queued first. Calls without a user start
   * at the virtual time.
   */
  private startTag(user: string | null): number {
    if (!this.fair) return 0;
    const tag = Math.max(this.vtime, user === null ? 0 : (this.userNextTag.get(user) ?? 0));
    if (user !== null) this.userNextTag.set(user, tag + 1);
    return tag;
  }

  /**
   * The next call to serve. Without a fair share (1): the oldest. With one: the lowest start tag (the
   * oldest of equals) among calls whose user holds fewer than the share's slots. When every waiting
   * call's user is at or over the share (one user alone, say), the oldest call, so no slot idles.
   */
  private next(): Waiter | undefined {
    const limit = this.userSlots();
    const fair = this.fair;
    let first: Waiter | undefined;
    let best: Waiter | undefined;
    for (const w of this.queue) {
      if (w.done) continue;
      first ??= w;
      if (w.user !== null && (this.userInFlight.get(w.user) ?? 0) >= limit) continue;
      if (!fair) return w;
      if (!best || w.tag < best.tag) best = w;
    }
    return best ?? first;
  }

  private pump() {
    for (;;) {
      this.queue = this.queue.filter((w) => !w.done);
      if (this.queue.length === 0) return;
      if (this.inFlight >= this.cap) return;
      const head = this.next()!;
      const now = this.opts.clock.now();
      const wait = this.waitFor(head.tokens, now);
      if (wait <= 0) {
        this.queue = this.queue.filter((w) => w !== head);
        this.grant(head, now);
        continue;
      }
      if (head.deadline !== null && now + wait > head.deadline) {
        this.queue = this.queue.filter((w) => w !== head);
        head.reject(new LlmError("deadline", "The rate limit would delay this call past its deadline."));
        continue;
      }
      if (wait === Number.POSITIVE_INFINITY) return;
      this.schedule(now + wait);
      return;
    }
  }

  private schedule(at: number) {
    if (this.timerAt !== null && this.timerAt <= at) return;
    this.timerAt = at;
    this.opts.clock.sleep(at - this.opts.clock.now()).then(
      () => {
        if (this.timerAt === at) this.timerAt = null;
        this.pump();
      },
      () => {},
    );
  }
}
