// Cost of one call from the price table, split the way the bill is: uncached input, cached input and
// output tokens, each at its own rate.
import type { TokenUsage } from "@/lib/llm/types";
import { priceFor } from "./prices";

export interface CostSplit {
  inputUsd: number; // uncached prompt tokens
  cachedUsd: number; // cached prompt tokens
  outputUsd: number; // completion tokens
  totalUsd: number;
}

/** USD rounded to 1e-9 so sums of many rows stay exact enough for a dashboard. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

export function costSplit(provider: string, model: string, usage: TokenUsage): CostSplit {
  const { price } = priceFor(provider, model);
  const cached = Math.min(Math.max(usage.cachedTokens, 0), usage.promptTokens);
  const uncached = usage.promptTokens - cached;
  const inputUsd = roundUsd((uncached * price.inputPerMTok) / 1e6);
  const cachedUsd = roundUsd((cached * price.cachedInputPerMTok) / 1e6);
  const outputUsd = roundUsd((usage.completionTokens * price.outputPerMTok) / 1e6);
  return { inputUsd, cachedUsd, outputUsd, totalUsd: roundUsd(inputUsd + cachedUsd + outputUsd) };
}

export function costUsd(provider: string, model: string, usage: TokenUsage): number {
  return costSplit(provider, model, usage).totalUsd;
}
