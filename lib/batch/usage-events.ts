// One usage event per HTTP attempt (DESIGN §7), priced from the price table; single-call batch
// attempts also carry the counterfactual cost of the same lessons as separate calls.
import type { AttemptReport, ModelTarget } from "@/lib/llm/types";
import { costUsd } from "@/lib/usage/cost";
import { counterfactualFor } from "@/lib/usage/counterfactual";
import { PRICE_VERSION } from "@/lib/usage/prices";
import type { UsageEvent, UsageFeature, UsageMode } from "@/lib/usage/types";

export interface CallContext {
  target: ModelTarget;
  mode: UsageMode;
  feature: UsageFeature;
  requestId: string | null;
  userId: string | null;
  lessonsAsked: number;
  circuitOpen: boolean;
  /** Single-call mode: prompt tokens of each single-lesson prompt the same lessons would have needed. */
  singlePromptTokens: number[] | null;
}

export interface CallOutcome {
  lessonsValid: number; // of the final, answered attempt
  errorCode: string | null; // our code when the answer came back but yielded nothing usable
}

export function buildUsageEvents(ctx: CallContext, reports: readonly AttemptReport[], outcome: CallOutcome): UsageEvent[] {
  const last = reports.length - 1;
  return reports.map((r, i) => {
    const answered = i === last && r.errorCode === null;
    const usage = r.usage;
    const cost = costUsd(ctx.target.provider, ctx.target.model, usage);
    let cfTokens: number | null = null;
    let cfCost: number | null = null;
    if (ctx.singlePromptTokens) {
      // An attempt that never reached the model (no prompt tokens billed) saved nothing either.
      if (usage.promptTokens > 0) {
        const cf = counterfactualFor(ctx.target.provider, ctx.target.model, ctx.singlePromptTokens, usage);
        cfTokens = cf.promptTokens;
        cfCost = cf.costUsd;
      } else {
        cfTokens = 0;
        cfCost = 0;
      }
    }
    return {
      id: crypto.randomUUID(), // Web Crypto: Node 20 and edge runtimes alike
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
      costUsd: cost,
      counterfactualPromptTokens: cfTokens,
      counterfactualCostUsd: cfCost,
      priceVersion: PRICE_VERSION,
      circuitOpen: ctx.circuitOpen,
    };
  });
}
