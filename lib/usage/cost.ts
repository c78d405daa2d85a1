// Cost of one call from the price table: uncached prompt, cached prompt and completion tokens.
import type { TokenUsage } from "@/lib/llm/types";
import { priceFor } from "./prices";

/** USD rounded to 1e-9 so sums of many rows stay exact enough for a dashboard. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

export function costUsd(provider: string, model: string, usage: TokenUsage): number {
  const { price } = priceFor(provider, model);
  const cached = Math.min(Math.max(usage.cachedTokens, 0), usage.promptTokens);
  const uncached = usage.promptTokens - cached;
  return roundUsd((uncached * price.inputPerMTok + cached * price.cachedInputPerMTok + usage.completionTokens * price.outputPerMTok) / 1e6);
}
