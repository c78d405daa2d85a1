// Sums the usage events of one generation run (for the `done` event and the sweep summary) while
// passing them on to the real sink. Counted when recorded, so the totals are complete once the engine returns.
// Also writes each model-call attempt ahead to the sink (`journaledGateway`), so a process killed mid-call
// still leaves a usage event for it (docs/security.md, "Crash recovery").
import type { UsageSummary } from "@/lib/contracts/generation-stream";
import type { LlmGateway, SentAttempt } from "@/lib/llm/types";
import { costSplit } from "@/lib/usage/cost";
import { PRICE_VERSION } from "@/lib/usage/prices";
import type { UsageEvent, UsageFeature, UsageSink } from "@/lib/usage/types";

export type { UsageSummary };

export function emptyUsage(): UsageSummary {
  return { calls: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, costUsd: 0, savedUsd: 0 };
}

const round = (n: number) => Math.round(n * 1e8) / 1e8;

export function tallyingSink(inner: UsageSink): { sink: UsageSink; summary(): UsageSummary; pending(): Promise<void> } {
  const total = emptyUsage();
  const writes = new Set<Promise<void>>();
  return {
    sink: {
      record(events: UsageEvent[]) {
        for (const e of events) {
          total.calls += 1;
          total.promptTokens += e.promptTokens;
          total.cachedTokens += e.cachedTokens;
          total.completionTokens += e.completionTokens;
          total.costUsd += e.costUsd;
          if (e.counterfactualCostUsd !== null) total.savedUsd += e.counterfactualCostUsd - e.costUsd;
        }
        // The inner sink never throws (docs/architecture.md); the promise is kept so the run can wait for the writes.
        const write = inner.record(events).catch(() => undefined);
        writes.add(write);
        void write.finally(() => writes.delete(write));
        return write;
      },
      begin: inner.begin ? (estimate) => inner.begin!(estimate).catch(() => undefined) : undefined,
    },
    summary: () => ({ ...total, costUsd: round(total.costUsd), savedUsd: round(total.savedUsd) }),
    pending: async () => {
      await Promise.all([...writes]);
    },
  };
}

export interface AttemptOwner {
  requestId: string | null;
  userId: string | null;
  feature: UsageFeature;
}

/**
 * The usage event charged for an attempt whose real event never arrives: the prompt estimate uncached
 * and the whole output cap, so a crash over-charges rather than under-charges. Marked `interrupted`.
 */
export function attemptEstimate(provider: string, owner: AttemptOwner, model: string, a: SentAttempt): UsageEvent {
  const usage = { promptTokens: a.promptTokens, cachedTokens: 0, completionTokens: a.maxOutputTokens };
  const split = costSplit(provider, model, usage);
  return {
    id: a.id,
    createdAt: new Date(a.startedAt).toISOString(),
    requestId: owner.requestId,
    userId: owner.userId,
    feature: owner.feature,
    // Not known at the gateway; most calls are batched ones.
    mode: "single-call",
    provider,
    model,
    attempt: a.attempt,
    lessonsAsked: 0,
    lessonsValid: 0,
    ...usage,
    latencyMs: 0,
    ttftMs: null,
    httpStatus: null,
    finishReason: null,
    errorCode: "interrupted",
    costUsd: split.totalUsd,
    inputUsd: split.inputUsd,
    cachedUsd: split.cachedUsd,
    outputUsd: split.outputUsd,
    counterfactualPromptTokens: null,
    counterfactualCostUsd: null,
    priceVersion: PRICE_VERSION,
    circuitOpen: false,
  };
}

/**
 * How long a call waits for its write-ahead row before it goes out anyway (real ms). The row is one small
 * insert; only a saturated database pool makes it slow, and then the call should not queue behind it (the
 * write goes on, so only a crash in that window would lose the attempt's event).
 */
export const WRITE_AHEAD_WAIT_MS = 500;

/** The gateway with every attempt written ahead to `sink.begin` (a no-op for sinks without it). */
export function journaledGateway(inner: LlmGateway, sink: UsageSink, owner: AttemptOwner, waitMs = WRITE_AHEAD_WAIT_MS): LlmGateway {
  if (!sink.begin) return inner;
  const begin = sink.begin.bind(sink);
  const bounded = async (write: Promise<void>) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([write, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  };
  return {
    get provider() {
      return inner.provider;
    },
    underlying: inner,
    target: (priority) => inner.target(priority),
    countTokens: (text) => inner.countTokens(text),
    countPromptTokens: (params) => inner.countPromptTokens(params),
    chat(params, options = {}) {
      const outer = options.onSend;
      return inner.chat(params, {
        ...options,
        onSend: async (a) => {
          await bounded(begin(attemptEstimate(inner.provider, owner, params.model, a)));
          await outer?.(a);
        },
      });
    },
  };
}
