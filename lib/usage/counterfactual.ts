// What the lessons of one single-call batch would have cost as separate single-lesson calls.
//
// Prompt tokens come from tokenising the real single-lesson prompts (the caller builds them with the
// same prompt builder). Completion tokens are taken as equal: the same lessons are written either
// way. The separate calls are credited with the same cached tokens the real call got, no more, so a
// provider cache shared across the separate calls could make real savings slightly smaller.
import type { TokenUsage } from "@/lib/llm/types";
import { costUsd } from "./cost";

export interface Counterfactual {
  promptTokens: number;
  costUsd: number;
}

export function counterfactualFor(
  provider: string,
  model: string,
  singlePromptTokens: readonly number[],
  actual: TokenUsage,
): Counterfactual {
  const promptTokens = singlePromptTokens.reduce((a, b) => a + b, 0);
  const usage: TokenUsage = {
    promptTokens,
    cachedTokens: Math.min(actual.cachedTokens, promptTokens),
    completionTokens: actual.completionTokens,
  };
  return { promptTokens, costUsd: costUsd(provider, model, usage) };
}

/** Saved prompt tokens and USD of a set of events (single-call rows only carry a counterfactual). */
export function savings(
  events: readonly { promptTokens: number; costUsd: number; counterfactualPromptTokens: number | null; counterfactualCostUsd: number | null }[],
): { savedPromptTokens: number; savedUsd: number } {
  let savedPromptTokens = 0;
  let savedUsd = 0;
  for (const e of events) {
    if (e.counterfactualPromptTokens === null || e.counterfactualCostUsd === null) continue;
    savedPromptTokens += e.counterfactualPromptTokens - e.promptTokens;
    savedUsd += e.counterfactualCostUsd - e.costUsd;
  }
  return { savedPromptTokens, savedUsd: Math.round(savedUsd * 1e9) / 1e9 };
}
