// The shared state of one generateLessonBatch call: results in request order, attempts per slot,
// title registries per group, usage recording, and the rule that each lesson settles exactly once.
// Settled results queue up for the engine's async iterator, which hands them out as they arrive.
import { BatchQuality, PositionBalancer } from "@/lib/lessons/checks";
import { ignoredWords, TitleRegistry } from "@/lib/lessons/dedup";
import type { LessonContent } from "@/lib/lessons/types";
import type { ModelTarget, OutputMode } from "@/lib/llm/types";
import type { LessonContext } from "@/lib/lessons/prompts";
import { ModerationFailed, moderationUsageEvents } from "@/lib/moderation";
import type { UsageEvent, UsageFeature, UsageMode } from "@/lib/usage/types";
import { batchStateFor, type BatchState } from "./batch-state";
import { ConcurrencyLimit } from "./concurrency-limit";
import { resolveBatchConfig } from "./config";
import { slotErrors, type SlotError } from "./error-codes";
import { canStream, chooseOutputMode } from "./output-mode";
import type { LessonCallRequest } from "./lesson-call";
import { groupContext, outputBudget, type LessonGroup } from "./plan";
import { regenerateFlagged } from "./repair";
import type { CallContext } from "./usage-events";
import type { BatchConfig, BatchDeps, BatchOptions, LessonRequest, LessonResult, LessonVia } from "./types";

// Re-exported for callers that import it from here; it lives with LessonGroup (plan.ts), so the repair
// and single-call paths that BatchRun calls need nothing from this file at run time.
export { groupContext };

export class BatchRun {
  readonly config: Required<BatchConfig>;
  readonly target: ModelTarget;
  readonly mode: OutputMode;
  readonly stream: boolean;
  readonly feature: UsageFeature;
  readonly state: BatchState;
  readonly repairLimit: ConcurrencyLimit;
  readonly results: (LessonResult | undefined)[];
  readonly attempts: number[];
  private readonly registries = new Map<string, TitleRegistry>();
  /** Per group: the quality rules that look across lessons, and where correct answers are placed. */
  private readonly qualities = new Map<string, BatchQuality>();
  private readonly balancers = new Map<string, PositionBalancer>();
  /** Slots whose accepted lesson is being screened, and slots being regenerated after a flag. */
  private readonly screening = new Map<number, Promise<void>>();
  private readonly regenerating = new Set<number>();
  /** Every screen still running (with the regeneration it may start): flushUsage waits for them. */
  private readonly screens = new Set<Promise<void>>();
  /** Regenerations after a moderation flag, per slot (at most one). */
  private readonly moderationRetries: number[];
  private readonly usageWrites: Promise<void>[] = [];
  /** Settled results not yet handed out, and the iterator waiting for the next one. */
  private readonly outbox: LessonResult[] = [];
  private wake: (() => void) | null = null;
  private closed = false;
  /** Aborts when the caller's signal does, or when the caller stops iterating. */
  private readonly stop = new AbortController();
  readonly opts: BatchOptions;

  constructor(
    readonly deps: BatchDeps,
    readonly requests: readonly LessonRequest[],
    opts: BatchOptions,
  ) {
    const signal = opts.signal ? AbortSignal.any([opts.signal, this.stop.signal]) : this.stop.signal;
    this.opts = { ...opts, signal };
    this.config = resolveBatchConfig(deps.config);
    this.target = deps.llm.target(opts.priority ?? "interactive");
    this.mode = chooseOutputMode(this.target.capabilities);
    // Stream unless the caller waits for the whole batch anyway; a plain call is simpler for the provider.
    this.stream = (opts.stream ?? true) && canStream(this.mode, this.target.capabilities);
    this.feature = opts.feature ?? "similar";
    this.state = batchStateFor(deps.llm, deps.state);
    this.repairLimit = new ConcurrencyLimit(Math.max(1, this.config.repairConcurrency));
    this.results = new Array(requests.length).fill(undefined);
    this.attempts = new Array(requests.length).fill(0);
    this.moderationRetries = new Array(requests.length).fill(0);
  }

  get cancelled(): boolean {
    return this.opts.signal?.aborted === true;
  }

  /** The caller stopped listening: start nothing new (calls in flight finish and are recorded). */
  abandon(): void {
    this.stop.abort(new Error("The caller stopped reading the batch."));
  }

  registry(group: LessonGroup): TitleRegistry {
    let r = this.registries.get(group.key);
    if (!r) {
      r = new TitleRegistry(group.avoidTitles, [group.topic, group.subject]);
      this.registries.set(group.key, r);
    }
    return r;
  }

  private quality(group: LessonGroup): BatchQuality {
    let q = this.qualities.get(group.key);
    if (!q) {
      q = new BatchQuality(ignoredWords([group.topic, group.subject]));
      this.qualities.set(group.key, q);
    }
    return q;
  }

  private balancer(group: LessonGroup): PositionBalancer {
    let b = this.balancers.get(group.key);
    if (!b) {
      b = new PositionBalancer(this.deps.random);
      this.balancers.set(group.key, b);
    }
    return b;
  }

  /** Settled, or held by a lesson under moderation (screened, or being regenerated after a flag). */
  isSettled(index: number): boolean {
    return this.results[index] !== undefined || this.screening.has(index) || this.regenerating.has(index);
  }

  /** Whether a lesson arriving for this slot can still be accepted (a regeneration's can). */
  awaitsLesson(index: number): boolean {
    return this.results[index] === undefined && !this.screening.has(index);
  }

  /**
   * Accepts a checked lesson for a request if it passes the quality rules (lib/lessons/checks.ts) and
   * its title is new: places the correct answers (balanced over the group), stamps the server-side
   * fields, then screens it (when a moderation port is set) and settles it. Returns the rule or
   * duplicate error otherwise, for the repair path.
   */
  accept(group: LessonGroup, index: number, content: LessonContent, via: LessonVia): SlotError | null {
    const req = this.requests[index];
    const quality = this.quality(group);
    const broken = quality.check({ ...content, difficulty: req.difficulty });
    if (broken) return slotErrors.rule(broken);
    const hit = this.registry(group).claim(content.title, req.avoidTitles ?? []);
    if (hit !== null) return slotErrors.duplicate(content.title, hit);
    quality.record(content);
    const lesson = { ...content, difficulty: req.difficulty, subject: req.subject, topic: req.topic };
    const result: Extract<LessonResult, { ok: true }> = { ok: true, index, lesson, via, model: this.target.model };
    if (this.deps.moderation) this.startScreen(group, result);
    else this.deliver(group, result);
    return null;
  }

  /** Settles a lesson that passed everything, its correct answers placed balanced over the group. */
  private deliver(group: LessonGroup, result: Extract<LessonResult, { ok: true }>): void {
    if (this.results[result.index]) return;
    this.settle({ ...result, lesson: this.balancer(group).placeLesson(result.lesson) });
  }

  private startScreen(group: LessonGroup, result: Extract<LessonResult, { ok: true }>): void {
    const task: Promise<void> = this.screen(group, result)
      .catch(() => this.fail(result.index, slotErrors.moderationUnavailable()))
      .finally(() => {
        if (this.screening.get(result.index) === task) this.screening.delete(result.index);
        this.screens.delete(task);
      });
    this.screening.set(result.index, task);
    this.screens.add(task);
  }

  /**
   * Screens a lesson before anyone sees it: passed → settled; flagged → never delivered, the slot is
   * regenerated once with the reason fed back (the new lesson is checked and screened in turn), and a
   * second flag fails it; a screen that cannot be run fails the slot (nothing unscreened is delivered).
   */
  private async screen(group: LessonGroup, result: Extract<LessonResult, { ok: true }>): Promise<void> {
    const index = result.index;
    const usage = (provider: string, model: string) => ({ provider, model, feature: this.feature, requestId: this.opts.requestId ?? null, userId: this.opts.userId ?? null });
    let outcome;
    try {
      outcome = await this.deps.moderation!.screen(result.lesson, { userId: this.opts.userId });
    } catch (err) {
      if (err instanceof ModerationFailed) this.recordUsage(moderationUsageEvents(usage(err.provider, err.model), err.reports, null));
      this.screening.delete(index);
      this.fail(index, slotErrors.moderationUnavailable());
      return;
    }
    const { verdict } = outcome;
    this.recordUsage(moderationUsageEvents(usage(outcome.provider, outcome.model), outcome.reports, verdict.flagged ? "moderation_flagged" : null));
    this.screening.delete(index);
    if (!verdict.flagged) {
      this.deliver(group, result);
      return;
    }
    // Never delivered: its questions no longer count against the rest of the batch.
    this.quality(group).forget(result.lesson);
    const flagged = slotErrors.flagged(verdict.reason ?? "unsuitable content");
    if (this.moderationRetries[index] >= 1 || this.cancelled) {
      this.fail(index, flagged);
      return;
    }
    this.moderationRetries[index]++;
    this.regenerating.add(index);
    try {
      await regenerateFlagged(this, group, index, flagged);
    } finally {
      this.regenerating.delete(index);
    }
    if (!this.isSettled(index)) this.fail(index, flagged);
  }

  fail(index: number, error: SlotError): void {
    this.settle({ ok: false, index, error: { code: error.code, message: error.message }, attempts: this.attempts[index] });
  }

  private settle(result: LessonResult): void {
    if (this.results[result.index]) return;
    this.results[result.index] = result;
    this.outbox.push(result);
    this.wake?.();
  }

  /** Settles every slot still open (none should be) and ends the iteration. */
  close(): void {
    this.results.forEach((r, index) => {
      if (!r) this.settle({ ok: false, index, error: { code: "provider_unavailable", message: "The lesson could not be generated." }, attempts: this.attempts[index] });
    });
    this.closed = true;
    this.wake?.();
  }

  /** Each result once, in the order the slots settle; ends after close(). */
  async *drain(): AsyncGenerator<LessonResult> {
    for (;;) {
      const next = this.outbox.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** The model call for `count` lessons of this run's model, mode and output budget. */
  callRequest(context: LessonContext, count: number, repairError?: string): LessonCallRequest {
    return { target: this.target, mode: this.mode, context, count, maxOutputTokens: outputBudget(count, this.target.capabilities, this.config), repairError };
  }

  /** What every usage event of this run carries, plus what the call adds. */
  usageContext(mode: UsageMode, call: Pick<CallContext, "lessonsAsked" | "circuitOpen" | "counterfactual">): CallContext {
    return { target: this.target, mode, feature: this.feature, requestId: this.opts.requestId ?? null, userId: this.opts.userId ?? null, ...call };
  }

  recordUsage(events: UsageEvent[]): void {
    if (events.length === 0) return;
    // The sink retries and reports on its own (docs/architecture.md); a failure never reaches the learner.
    this.usageWrites.push(this.deps.usage.record(events).catch(() => undefined));
  }

  /** Waits for every screen (and the regenerations they start), then for every usage write. */
  async flushUsage(): Promise<void> {
    while (this.screens.size > 0) await Promise.allSettled([...this.screens]);
    await Promise.allSettled(this.usageWrites);
  }
}
