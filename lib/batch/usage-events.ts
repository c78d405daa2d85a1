// One usage event per HTTP attempt, priced from the price table and split into input, cached and
// output dollars. Calls of a request that batched also carry the counterfactual of the lessons that
// attempt delivered (docs/cost-model.md), so Σ(counterfactual − cost) over a request is its saving.
import type { AttemptReport, LlmGateway, ModelTarget } from "@/lib/llm/types";
import { costSplit } from "@/lib/usage/cost";
import { counterfactualFor } from "@/lib/usage/counterfactual";
import { PRICE_VERSION } from "@/lib/usage/prices";
import type { UsageEvent, UsageFeature, UsageMode } from "@/lib/usage/types";

/** What the counterfactual of a call's delivered lessons needs (see lib/usage/counterfactual.ts). */
export interface CounterfactualBasis {
  /** Prompt tokens of the single-lesson prompt these lessons would each have needed. */
  singlePromptTokens: number;
  /**
   * Cached prompt tokens the request's first call saw, i.e. what was cached when the request began.
   * Null: take the cached tokens of this call's own first attempt (it was sent when the request began).
   */
  baselineCachedTokens: number | null;
}

export interface CallContext {
  target: ModelTarget;
  mode: UsageMode;
  feature: UsageFeature;
  requestId: string | null;
  userId: string | null;
  lessonsAsked: number;
  circuitOpen: boolean;
  /** Set for calls of a request that batched (batch calls and repairs); null for plain single calls. */
  counterfactual: CounterfactualBasis | null;
}

export interface CallOutcome {
  lessonsValid: number; // of the final, answered attempt
  errorCode: string | null; // our code when the answer came back but yielded nothing usable
  /** Completion tokens each delivered lesson would take as a one-lesson answer (length = lessons delivered). */
  deliveredCompletionTokens?: readonly number[];
}

/** Completion tokens of one lesson as a one-lesson answer (`{"lessons":[…]}` with slot 0), o200k. */
export function singleAnswerTokens(llm: Pick<LlmGateway, "countTokens">, raw: unknown): number {
  const lesson = raw && typeof raw === "object" && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>), ...("slot" in raw ? { slot: 0 } : {}) } : raw;
  return llm.countTokens(JSON.stringify({ lessons: [lesson] }));
}

/** The cached-token baseline a call's counterfactual uses: the given one, else its own first attempt's. */
export function baselineCached(basis: CounterfactualBasis, reports: readonly AttemptReport[]): number {
  if (basis.baselineCachedTokens !== null) return basis.baselineCachedTokens;
  const first = reports.find((r) => r.usage.promptTokens > 0);
  return first?.usage.cachedTokens ?? 0;
}

export function buildUsageEvents(ctx: CallContext, reports: readonly AttemptReport[], outcome: CallOutcome): UsageEvent[] {
  const last = reports.length - 1;
  return reports.map((r, i) => {
    const answered = i === last && r.errorCode === null;
    const usage = r.usage;
    const split = costSplit(ctx.target.provider, ctx.target.model, usage);
    let cfTokens: number | null = null;
    let cfCost: number | null = null;
    if (ctx.counterfactual) {
      // Only the attempt that delivered lessons has a counterfactual; every other attempt of the
      // call is pure cost against the request's saving.
      const delivered = answered ? (outcome.deliveredCompletionTokens ?? []) : [];
      const cf = counterfactualFor(ctx.target.provider, ctx.target.model, {
        singlePromptTokens: ctx.counterfactual.singlePromptTokens,
        baselineCachedTokens: baselineCached(ctx.counterfactual, reports),
        lessonCompletionTokens: delivered,
      });
      cfTokens = cf.promptTokens;
      cfCost = cf.costUsd;
    }
    return {
      // The attempt's own id when the gateway gave one (its write-ahead row, lib/generation/usage-tally.ts).
      id: r.id ?? crypto.randomUUID(), // Web Crypto: Node 20 and edge runtimes alike
      createdAt: new Date(r.startedAt).toISOString(),
      requestId: ctx.requestId,
      userId: ctx.userId,
      feature: ctx.feature,
      mode: ctx.mode,
      provider: ctx.target.provider,
      model: ctx.target.model,
      attempt: r.attempt,
      lessonsAsked: ctx.lessonsAsked,
      lessonsValid: answered ? outcome.lessonsValid : 0,
      promptTokens: usage.promptTokens,
      cachedTokens: usage.cachedTokens,
      completionTokens: usage.completionTokens,
      latencyMs: Math.round(r.latencyMs),
      ttftMs: r.ttftMs === null ? null : Math.round(r.ttftMs),
      httpStatus: r.status,
      finishReason: r.finishReason,
      errorCode: r.errorCode ?? (answered ? outcome.errorCode : null),
      costUsd: split.totalUsd,
      inputUsd: split.inputUsd,
      cachedUsd: split.cachedUsd,
      outputUsd: split.outputUsd,
      counterfactualPromptTokens: cfTokens,
      counterfactualCostUsd: cfCost,
      priceVersion: PRICE_VERSION,
      circuitOpen: ctx.circuitOpen,
    };
  });
}
