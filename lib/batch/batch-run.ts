// The shared state of one generateLessonBatch call: results in request order, attempts per slot,
// title registries per group, usage recording, and the rule that each lesson settles exactly once.
import { TitleRegistry } from "@/lib/lessons/dedup";
import { shuffleLessonChoices } from "@/lib/lessons/shuffle";
import type { LessonContent } from "@/lib/lessons/types";
import type { ModelTarget, OutputMode } from "@/lib/llm/types";
import type { UsageEvent, UsageFeature } from "@/lib/usage/types";
import { batchStateFor, type BatchState } from "./batch-state";
import { ConcurrencyLimit } from "./concurrency-limit";
import { resolveBatchConfig } from "./config";
import type { SlotError } from "./error-codes";
import { canStream, chooseOutputMode } from "./output-mode";
import type { LessonGroup } from "./plan";
import type { BatchConfig, BatchDeps, BatchOptions, LessonRequest, LessonResult, LessonVia } from "./types";

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

  constructor(
    readonly deps: BatchDeps,
    readonly requests: readonly LessonRequest[],
    readonly opts: BatchOptions,
  ) {
    this.config = resolveBatchConfig(deps.config);
    this.target = deps.llm.target(opts.priority ?? "interactive");
    this.mode = chooseOutputMode(this.target.capabilities);
    // Stream only when someone listens per lesson; a plain call is simpler for the provider.
    this.stream = Boolean(opts.onResult) && canStream(this.mode, this.target.capabilities);
    this.feature = opts.feature ?? "similar";
    this.state = batchStateFor(deps.llm, deps.state);
    this.repairLimit = new ConcurrencyLimit(Math.max(1, this.config.repairConcurrency));
    this.results = new Array(requests.length).fill(undefined);
    this.attempts = new Array(requests.length).fill(0);
  }

  get cancelled(): boolean {
    return this.opts.signal?.aborted === true;
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
    if (hit !== null) {
      return {
        code: "duplicate",
        message: `"${content.title}" duplicates "${hit}".`,
        feedback: `its title "${content.title}" repeats "${hit}"; teach a different idea under a clearly different title.`,
      };
    }
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
    try {
      this.opts.onResult?.(result);
    } catch {
      // A listener's bug must not break generation for the other lessons.
    }
  }

  recordUsage(events: UsageEvent[]): void {
    if (events.length === 0) return;
    // The sink retries and reports on its own (DESIGN §7); a failure never reaches the learner.
    this.usageWrites.push(this.deps.usage.record(events).catch(() => undefined));
  }

  async flushUsage(): Promise<void> {
    await Promise.allSettled(this.usageWrites);
  }
}
