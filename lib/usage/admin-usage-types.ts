// Shapes of the admin usage answers (admin_usage, admin_usage_events, admin_top_users), shared by the
// server code that fetches them and the dashboard that draws them.
import type { UsageEvent } from "./types";

export type UsageGroupBy = "day" | "model" | "mode" | "feature" | "user";

export interface UsageTotals {
  calls: number;
  lessonsAsked: number;
  lessonsValid: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costUsd: number;
  /** costUsd split by what was billed: uncached input, cached input, output. */
  inputUsd: number;
  cachedUsd: number;
  outputUsd: number;
  /** What one call per delivered lesson would have billed (costUsd + savedUsd), docs/cost-model.md. */
  counterfactualCostUsd: number;
  savedUsd: number;
  savedPromptTokens: number;
  fallbackShare: number;
  failedCalls: number;
}

export type UsageGroup = { key: string | null; label?: string | null } & UsageTotals;

export interface AdminUsage {
  from: string;
  to: string;
  timezone: "UTC";
  groupBy: UsageGroupBy;
  totals: UsageTotals;
  groups: UsageGroup[];
  failuresByCode: Record<string, number>;
  latency: { mode: string; p50Ms: number | null; p95Ms: number | null; calls?: number }[];
}

export type AdminUsageEvent = UsageEvent & { userEmail: string | null };

export interface AdminTopUsers {
  users: { userId: string; email: string; calls: number; lessonsValid: number; costUsd: number }[];
}
