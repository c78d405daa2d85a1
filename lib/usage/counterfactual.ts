// What one-call-per-lesson would have billed for the lessons a generation request actually delivered,
// and the honest saving: that counterfactual minus everything the request was billed (batch calls,
// repairs, failed and retried attempts). The rule is written down in docs/cost-model.md:
// - one single-lesson call per DELIVERED lesson (nothing is claimed for lessons never delivered);
// - its prompt is the real single-lesson prompt of that lesson's group, tokenised exactly;
// - its completion is the lesson as the model wrote it, wrapped as a one-lesson answer;
// - the single calls would all have been sent at once when the request began, so none of them
//   finished its prefill before the others arrived: each gets only the cached tokens the request's
//   own first call saw (`baselineCachedTokens`), never more.
import type { TokenUsage } from "@/lib/llm/types";
import { costSplit, roundUsd } from "./cost";

export interface Counterfactual {
  promptTokens: number;
  costUsd: number;
}

export interface CounterfactualInput {
  /** Prompt tokens of the single-lesson prompt for these lessons. */
  singlePromptTokens: number;
  /** Cached prompt tokens the request's first call saw (the cache state when the request began). */
  baselineCachedTokens: number;
  /** Completion tokens of each delivered lesson as a one-lesson answer. */
  lessonCompletionTokens: readonly number[];
}

export function counterfactualFor(provider: string, model: string, input: CounterfactualInput): Counterfactual {
  const n = input.lessonCompletionTokens.length;
  const cachedEach = Math.min(Math.max(input.baselineCachedTokens, 0), input.singlePromptTokens);
  const usage: TokenUsage = {
    promptTokens: n * input.singlePromptTokens,
    cachedTokens: n * cachedEach,
    completionTokens: input.lessonCompletionTokens.reduce((a, b) => a + b, 0),
  };
  return { promptTokens: usage.promptTokens, costUsd: costSplit(provider, model, usage).totalUsd };
}

export interface SavingsEvent {
  requestId?: string | null;
  promptTokens: number;
  costUsd: number;
  counterfactualPromptTokens: number | null;
  counterfactualCostUsd: number | null;
}

/**
 * Saved prompt tokens and USD of a set of events: Σ (counterfactual − cost) over the events that carry
 * a counterfactual. Every call of a request that batched carries one (0 when it delivered nothing), so
 * its repairs and failed attempts are netted; calls that never batched (plain single calls, the
 * circuit-open fallback) carry none: they are exactly what the counterfactual would have made.
 */
export function savings(events: readonly SavingsEvent[]): { savedPromptTokens: number; savedUsd: number } {
  let savedPromptTokens = 0;
  let savedUsd = 0;
  for (const e of events) {
    if (e.counterfactualPromptTokens === null || e.counterfactualCostUsd === null) continue;
    savedPromptTokens += e.counterfactualPromptTokens - e.promptTokens;
    savedUsd += e.counterfactualCostUsd - e.costUsd;
  }
  return { savedPromptTokens, savedUsd: roundUsd(savedUsd) };
}

/** The saving of each generation request (events without a request id are grouped under ""). */
export function savingsByRequest(events: readonly SavingsEvent[]): Map<string, number> {
  const byRequest = new Map<string, SavingsEvent[]>();
  for (const e of events) {
    const key = e.requestId ?? "";
    byRequest.set(key, [...(byRequest.get(key) ?? []), e]);
  }
  return new Map([...byRequest].map(([k, evs]) => [k, savings(evs).savedUsd]));
}

/** The truth check: reported savings within `tolerance` (share) of measured savings. */
export function savingsAgree(reportedUsd: number, measuredUsd: number, tolerance = 0.05): boolean {
  if (measuredUsd === 0) return Math.abs(reportedUsd) < 1e-9;
  return Math.abs(reportedUsd - measuredUsd) <= tolerance * Math.abs(measuredUsd);
}
