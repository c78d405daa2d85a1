// Moderation calls are usage events too: one per HTTP attempt, mode "moderation", priced from the
// price table (OpenAI's endpoint reports no tokens and costs nothing; a rubric call costs its tokens).
import { costSplit } from "@/lib/usage/cost";
import { PRICE_VERSION } from "@/lib/usage/prices";
import type { AttemptReport } from "@/lib/llm/types";
import type { UsageEvent, UsageFeature } from "@/lib/usage/types";

export interface ModerationUsageContext {
  provider: string;
  model: string;
  feature: UsageFeature;
  requestId: string | null;
  userId: string | null;
}

/** `errorCode` of the answered attempt: "moderation_flagged" when the lesson was blocked, else null. */
export function moderationUsageEvents(ctx: ModerationUsageContext, reports: readonly AttemptReport[], flaggedCode: string | null): UsageEvent[] {
  const last = reports.length - 1;
  return reports.map((r, i) => {
    const answered = i === last && r.errorCode === null;
    const split = costSplit(ctx.provider, ctx.model, r.usage);
    return {
      // The attempt's id: its write-ahead row (usage_attempts) is cleared by this event, not charged again.
      id: r.id ?? crypto.randomUUID(),
      createdAt: new Date(r.startedAt).toISOString(),
      requestId: ctx.requestId,
      userId: ctx.userId,
      feature: ctx.feature,
      mode: "moderation",
      provider: ctx.provider,
      model: ctx.model,
      attempt: r.attempt,
      lessonsAsked: 1,
      lessonsValid: answered && flaggedCode === null ? 1 : 0,
      promptTokens: r.usage.promptTokens,
      cachedTokens: r.usage.cachedTokens,
      completionTokens: r.usage.completionTokens,
      latencyMs: Math.round(r.latencyMs),
      ttftMs: r.ttftMs === null ? null : Math.round(r.ttftMs),
      httpStatus: r.status,
      finishReason: r.finishReason,
      errorCode: r.errorCode ?? (answered ? flaggedCode : null),
      costUsd: split.totalUsd,
      inputUsd: split.inputUsd,
      cachedUsd: split.cachedUsd,
      outputUsd: split.outputUsd,
      counterfactualPromptTokens: null,
      counterfactualCostUsd: null,
      priceVersion: PRICE_VERSION,
      circuitOpen: false,
    };
  });
}
