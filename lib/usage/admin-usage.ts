// The admin usage dashboard's data: aggregates from the daily rollup and the raw event list, over a
// range of whole UTC days. Called as the admin viewer; the SQL functions refuse anyone else.
import "server-only";
import type { Db } from "@/lib/db/port";
import type { UsageFeature, UsageMode } from "@/lib/contracts/enums";
import type { UsageGroupBy } from "./admin-usage-types";

export type { AdminUsage, AdminUsageEvent, UsageGroupBy, UsageTotals } from "./admin-usage-types";

export const DEFAULT_RANGE_DAYS = 30;
const DAY_MS = 86_400_000;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Whole UTC days, `to` inclusive; defaults to the last 30 days ending today (UTC). */
export function usageRange(q: { from?: string; to?: string }, nowMs: number): { from: string; to: string } {
  const to = q.to ?? isoDay(nowMs);
  const from = q.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
  return { from, to };
}

export const dayBoundaries = "Days are UTC calendar days (00:00–24:00 UTC); `to` is inclusive.";

export async function adminUsage(db: Db, q: { from?: string; to?: string; groupBy: UsageGroupBy }, nowMs = Date.now()) {
  const { from, to } = usageRange(q, nowMs);
  const usage = await db.rpc("admin_usage", { p_from: from, p_to: to, p_group_by: q.groupBy });
  return { ...usage, dayBoundaries };
}

export interface EventsQuery {
  from?: string;
  to?: string;
  feature?: UsageFeature;
  mode?: UsageMode;
  model?: string;
  errorsOnly?: boolean;
  limit?: number;
}

export async function adminUsageEvents(db: Db, q: EventsQuery, nowMs = Date.now()) {
  const { from, to } = usageRange(q, nowMs);
  // The event function takes instants: from the start of `from` to the end of `to` (exclusive next midnight).
  const out = await db.rpc("admin_usage_events", {
    p_from: `${from}T00:00:00Z`,
    p_to: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString(),
    p_feature: q.feature ?? null,
    p_mode: q.mode ?? null,
    p_model: q.model ?? null,
    p_errors_only: q.errorsOnly ?? false,
    p_limit: q.limit ?? 200,
  });
  return { from, to, timezone: "UTC" as const, dayBoundaries, events: out.events };
}
