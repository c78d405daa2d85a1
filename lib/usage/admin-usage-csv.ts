// CSV downloads of the admin usage data: a header row, RFC 4180 quoting, and text cells that could be
// read as spreadsheet formulas neutralised.
import type { AdminUsage, AdminUsageEvent } from "./admin-usage-types";

const totalsColumns = [
  "calls",
  "lessonsAsked",
  "lessonsValid",
  "promptTokens",
  "cachedTokens",
  "completionTokens",
  "costUsd",
  "counterfactualCostUsd",
  "savedUsd",
  "savedPromptTokens",
  "fallbackShare",
  "failedCalls",
] as const;

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly unknown[][]): string {
  return [header.map(cell).join(","), ...rows.map((r) => r.map(cell).join(","))].join("\r\n") + "\r\n";
}

/** One row per group; the key column is named after the grouping (day, model, ...). */
export function usageCsv(usage: AdminUsage): string {
  return toCsv(
    [usage.groupBy, "label", ...totalsColumns],
    usage.groups.map((g) => [g.key, g.label ?? g.key, ...totalsColumns.map((c) => g[c])]),
  );
}

const eventColumns = [
  "id",
  "createdAt",
  "requestId",
  "userId",
  "userEmail",
  "feature",
  "mode",
  "provider",
  "model",
  "attempt",
  "lessonsAsked",
  "lessonsValid",
  "promptTokens",
  "cachedTokens",
  "completionTokens",
  "latencyMs",
  "ttftMs",
  "httpStatus",
  "finishReason",
  "errorCode",
  "costUsd",
  "counterfactualPromptTokens",
  "counterfactualCostUsd",
  "priceVersion",
  "circuitOpen",
] as const;

export function usageEventsCsv(events: AdminUsageEvent[]): string {
  return toCsv(eventColumns, events.map((e) => eventColumns.map((c) => e[c])));
}

export function csvResponse(csv: string, filename: string): Response {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
      "X-Day-Boundaries": "UTC",
    },
  });
}
