// The shared state of one generateLessonBatch call: results in request order, attempts per slot,
// title registries per group, usage recording, and the rule that each lesson settles exactly once.
// Settled results queue up for the engine's async iterator, which hands them out as they arrive.
import { TitleRegistry } from "@/lib/lessons/dedup";
import { shuffleLessonChoices } from "@/lib/lessons/shuffle";
import type { LessonContent } from "@/lib/lessons/types";
import type { ModelTarget, OutputMode } from "@/lib/llm/types";
import type { LessonContext } from "@/lib/lessons/prompts";
import type { UsageEvent, UsageFeature, UsageMode } from "@/lib/usage/types";
import { batchStateFor, type BatchState } from "./batch-state";
import { ConcurrencyLimit } from "./concurrency-limit";
import { resolveBatchConfig } from "./config";
import { slotErrors, type SlotError } from "./error-codes";
import { canStream, chooseOutputMode } from "./output-mode";
import type { LessonCallRequest } from "./lesson-call";
import { outputBudget, type LessonGroup } from "./plan";
import type { CallContext } from "./usage-events";
import type { BatchConfig, BatchDeps, BatchOptions, LessonRequest, LessonResult, LessonVia } from "./types";

/** The prompt context a group shares: every call for its lessons tells the model the same things. */
export function groupContext(group: LessonGroup): LessonContext {
  return { subject: group.subject, topic: group.topic, difficulty: group.difficulty, instructions: group.instructions, avoidTitles: group.avoidTitles };
}

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

  isSettled(index: number): boolean {
    return this.results[index] !== undefined;
  }

  /**
   * Accepts a checked lesson for a request if its title is new: shuffles the choices, stamps the
   * server-side fields and settles it. Returns the duplicate error when the title collides.
   */
  accept(group: LessonGroup, index: number, content: LessonContent, via: LessonVia): SlotError | null {
    const req = this.requests[index];
    const hit = this.registry(group).claim(content.title, req.avoidTitles ?? []);
    if (hit !== null) return slotErrors.duplicate(content.title, hit);
    const lesson = { ...shuffleLessonChoices(content, this.deps.random), difficulty: req.difficulty, subject: req.subject, topic: req.topic };
    this.settle({ ok: true, index, lesson, via, model: this.target.model });
    return null;
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

  async flushUsage(): Promise<void> {
    await Promise.allSettled(this.usageWrites);
  }
}
