import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CostSavingsChart, type DayPoint } from "@/components/admin/cost-savings-chart";
import { DataTable } from "@/components/admin/data-table";
import { SavingsCard } from "@/components/admin/savings-card";
import { StatCard } from "@/components/admin/stat-card";
import { DateRangeForm, EventFiltersForm, type EventFilters } from "@/components/admin/usage-filters";
import { buttonClass } from "@/components/ui/button-styles";
import { LocalTime } from "@/components/ui/local-time";
import type { AdminUsageEvent, UsageGroup } from "@/lib/contracts/entities";
import { usageFeature, usageMode } from "@/lib/contracts/enums";
import { formatCompact, formatInteger, formatMs, formatPercent, formatUsd } from "@/lib/ui/format-number";
import { realClock } from "@/lib/clock";
import { getPageSession } from "@/lib/ui/server-session";
import { adminUsage, adminUsageEvents, usageRange } from "@/lib/usage/admin-usage";
import { SpendCapBanner } from "@/components/admin/spend-cap-banner";
import { spendCapStatus } from "@/lib/budget/spend-cap";
import { serviceDb } from "@/lib/db";
import { JobsPanel } from "@/components/admin/jobs-panel";
import { LanesCard } from "@/components/admin/lanes-card";
import { enqueueingEngine, jobsPanelRows } from "@/lib/jobs";

export const metadata: Metadata = { title: "Usage" };

type Search = Record<string, string | string[] | undefined>;
const isDay = (v: unknown): v is string => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");
const DAY_MS = 86_400_000;

/** Every UTC day in [from, to], so days without calls show as empty bars instead of vanishing. */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < 370; t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

type Group = UsageGroup;

const groupColumns = (keyHeader: string) => [
  { header: keyHeader, cell: (g: Group) => <span className="font-medium text-slate-900">{g.label ?? g.key ?? "—"}</span> },
  { header: "Calls", numeric: true, cell: (g: Group) => formatInteger(g.calls) },
  { header: "Lessons", numeric: true, cell: (g: Group) => `${formatInteger(g.lessonsValid)} / ${formatInteger(g.lessonsAsked)}` },
  { header: "Prompt tok", numeric: true, cell: (g: Group) => formatCompact(g.promptTokens) },
  { header: "Cached tok", numeric: true, cell: (g: Group) => formatCompact(g.cachedTokens) },
  { header: "Output tok", numeric: true, cell: (g: Group) => formatCompact(g.completionTokens) },
  { header: "Cost", numeric: true, cell: (g: Group) => formatUsd(g.costUsd) },
  { header: "Saved", numeric: true, cell: (g: Group) => <span className="text-emerald-800">{formatUsd(g.savedUsd)}</span> },
  { header: "Fallback", numeric: true, cell: (g: Group) => formatPercent(g.fallbackShare) },
  { header: "Failed", numeric: true, cell: (g: Group) => formatInteger(g.failedCalls) },
];

// Admin usage dashboard. Admin-only on the server: anyone else gets the 404 page, as if it did not exist.
export default async function AdminUsagePage({ searchParams }: { searchParams: Promise<Search> }) {
  const [session, sp] = await Promise.all([getPageSession(), searchParams]);
  if (!session || !session.viewer.isAdmin) notFound();

  // Server component: runs once per request, so "now" is the request time.
  const now = realClock.now();
  const today = new Date(now).toISOString().slice(0, 10);
  let { from, to } = usageRange({ from: isDay(sp.from) ? sp.from : undefined, to: isDay(sp.to) ? sp.to : undefined }, now);
  if (from > to) [from, to] = [to, from];
  const filters: EventFilters = {
    feature: usageFeature.safeParse(one(sp.feature)).data ?? "",
    mode: usageMode.safeParse(one(sp.mode)).data ?? "",
    model: one(sp.model).slice(0, 200),
    errorsOnly: one(sp.errorsOnly) === "true",
  };

  const { db } = session;
  const [byDay, byModel, byFeature, top, events, spendCap] = await Promise.all([
    adminUsage(db, { from, to, groupBy: "day" }),
    adminUsage(db, { from, to, groupBy: "model" }),
    adminUsage(db, { from, to, groupBy: "feature" }),
    db.rpc("admin_top_users", { p_from: from, p_to: to, p_limit: 10 }),
    adminUsageEvents(db, {
      from,
      to,
      feature: filters.feature || undefined,
      mode: filters.mode || undefined,
      model: filters.model || undefined,
      errorsOnly: filters.errorsOnly,
      limit: 50,
    }),
    serviceDb().then(spendCapStatus),
  ]);
  // The jobs panel never takes the dashboard down: an engine that cannot be reached shows as a note.
  const jobs = await enqueueingEngine()
    .then(jobsPanelRows)
    .then((rows) => ({ rows, note: undefined }))
    .catch((err: unknown) => {
      console.error("[admin] job stats unavailable", err);
      return { rows: null, note: "The job engine could not be reached." };
    });

  const t = byDay.totals;
  const perDay = new Map(byDay.groups.map((g) => [String(g.key).slice(0, 10), g]));
  const points: DayPoint[] = daysBetween(from, to).map((day) => ({ day, costUsd: perDay.get(day)?.costUsd ?? 0, savedUsd: perDay.get(day)?.savedUsd ?? 0 }));
  const failureRate = t.calls > 0 ? t.failedCalls / t.calls : 0;
  const models = byModel.groups.map((g) => g.key).filter((k): k is string => Boolean(k));
  const rows: AdminUsageEvent[] = events.events;
  const csvQuery = `from=${from}&to=${to}`;
  const maxP95 = Math.max(1, ...byDay.latency.map((l) => l.p95Ms ?? 0));

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Usage and cost</h1>
          <p className="mt-1 text-sm text-slate-600">
            {from} to {to} · days are UTC calendar days
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a href="/admin/reports" className={buttonClass("secondary", "sm")}>
            Review reported lessons
          </a>
          <a href={`/api/admin/usage?${csvQuery}&groupBy=day&format=csv`} className={buttonClass("secondary", "sm")} download>
            Export CSV (by day)
          </a>
          <a href={`/api/admin/usage/events?${csvQuery}&format=csv&limit=1000`} className={buttonClass("secondary", "sm")} download>
            Export events CSV
          </a>
        </div>
      </header>

      <SpendCapBanner status={spendCap} />

      <DateRangeForm from={from} to={to} today={today} />

      <section aria-labelledby="totals-heading">
        <h2 id="totals-heading" className="sr-only">
          Totals
        </h2>
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-5">
          <StatCard label="Model calls" value={formatInteger(t.calls)} sub={`${formatInteger(t.failedCalls)} failed`} testId="card-calls" />
          <StatCard label="Lessons" value={formatInteger(t.lessonsValid)} sub={`of ${formatInteger(t.lessonsAsked)} asked`} testId="card-lessons" />
          <StatCard label="Prompt tokens" value={formatCompact(t.promptTokens)} sub={`${formatPercent(t.promptTokens > 0 ? t.cachedTokens / t.promptTokens : 0)} cached`} testId="card-prompt" />
          <StatCard label="Cached tokens" value={formatCompact(t.cachedTokens)} testId="card-cached" />
          <StatCard label="Completion tokens" value={formatCompact(t.completionTokens)} testId="card-completion" />
          <StatCard label="Cost" value={formatUsd(t.costUsd)} sub={`vs ${formatUsd(t.counterfactualCostUsd)} one call per delivered lesson`} testId="card-cost" />
          <SavingsCard
            savedUsd={t.savedUsd}
            costUsd={t.costUsd}
            counterfactualCostUsd={t.counterfactualCostUsd}
            inputUsd={t.inputUsd}
            cachedUsd={t.cachedUsd}
            outputUsd={t.outputUsd}
          />
          <StatCard label="Prompt tokens saved" value={formatCompact(t.savedPromptTokens)} sub="vs one call per lesson" tone="good" testId="card-saved-tokens" />
          <StatCard label="Fallback share" value={formatPercent(t.fallbackShare)} sub="calls that were single or repair" testId="card-fallback" />
          <StatCard label="Failure rate" value={formatPercent(failureRate)} sub={`${formatInteger(t.failedCalls)} of ${formatInteger(t.calls)} calls`} tone={failureRate > 0.1 ? "warn" : "default"} testId="card-failure" />
        </dl>
      </section>

      <JobsPanel rows={jobs.rows} note={jobs.note} />
      <LanesCard db={db} from={from} to={to} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <CostSavingsChart points={points} />
        <section aria-labelledby="latency-heading" className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
          <h2 id="latency-heading" className="text-base font-semibold text-slate-900">
            Latency by mode
          </h2>
          {byDay.latency.length === 0 ? (
            <p className="mt-3 text-sm text-slate-600">No calls in this range.</p>
          ) : (
            <ul className="mt-4 space-y-4">
              {byDay.latency.map((l) => (
                <li key={l.mode}>
                  <div className="flex items-baseline justify-between text-sm">
                    <span className="font-medium text-slate-900">{l.mode}</span>
                    <span className="tabular-nums text-slate-700">
                      p50 {formatMs(l.p50Ms)} · p95 {formatMs(l.p95Ms)}
                    </span>
                  </div>
                  <div aria-hidden className="relative mt-1.5 h-2.5 rounded-full bg-slate-100">
                    <div className="absolute inset-y-0 left-0 rounded-full bg-brand-100" style={{ width: `${((l.p95Ms ?? 0) / maxP95) * 100}%` }} />
                    <div className="absolute inset-y-0 left-0 rounded-full bg-brand-600" style={{ width: `${((l.p50Ms ?? 0) / maxP95) * 100}%` }} />
                  </div>
                </li>
              ))}
            </ul>
          )}
          {Object.keys(byDay.failuresByCode).length > 0 ? (
            <>
              <h3 className="mt-6 text-sm font-semibold text-slate-900">Failures by code</h3>
              <ul className="mt-2 space-y-1 text-sm">
                {Object.entries(byDay.failuresByCode).map(([code, n]) => (
                  <li key={code} className="flex justify-between">
                    <code className="text-slate-800">{code}</code>
                    <span className="tabular-nums">{formatInteger(n)}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>

      <div className="grid gap-6">
        <DataTable caption="By model" columns={groupColumns("Model")} rows={byModel.groups} rowKey={(g, i) => `${g.key}-${i}`} testId="table-model" />
        <DataTable caption="By feature" columns={groupColumns("Feature")} rows={byFeature.groups} rowKey={(g, i) => `${g.key}-${i}`} testId="table-feature" />
      </div>

      <DataTable
        caption="Top learners"
        testId="table-learners"
        rows={top.users}
        rowKey={(u) => u.userId}
        columns={[
          { header: "Learner", cell: (u) => <span className="font-medium text-slate-900">{u.email}</span> },
          { header: "Calls", numeric: true, cell: (u) => formatInteger(u.calls) },
          { header: "Lessons", numeric: true, cell: (u) => formatInteger(u.lessonsValid) },
          { header: "Cost", numeric: true, cell: (u) => formatUsd(u.costUsd) },
        ]}
      />

      <section id="events" aria-labelledby="events-heading" className="min-w-0 rounded-2xl border border-slate-200 bg-white shadow-sm">
        <h2 id="events-heading" className="px-4 pt-4 text-base font-semibold text-slate-900">
          Recent events
        </h2>
        <EventFiltersForm from={from} to={to} filters={filters} models={models} />
        <div className="overflow-x-auto border-t border-slate-100" tabIndex={0} role="region" aria-label="Recent events table">
          <table className="w-full min-w-max text-left text-sm" data-testid="events-table">
            <thead>
              <tr className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                {["Time", "Learner", "Feature", "Mode", "Model", "Lessons", "Prompt / cached / output", "Latency", "Result", "Cost"].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={10} className="px-4 py-6 text-center text-slate-600">
                    No events match.
                  </td>
                </tr>
              ) : (
                rows.map((e) => (
                  <tr key={e.id} className="border-t border-slate-100">
                    <td className="px-4 py-2 tabular-nums text-slate-700">
                      <LocalTime iso={e.createdAt} />
                    </td>
                    <td className="px-4 py-2">{e.userEmail ?? <span className="text-slate-600">background</span>}</td>
                    <td className="px-4 py-2">{e.feature}</td>
                    <td className="px-4 py-2">{e.mode}</td>
                    <td className="px-4 py-2">{e.model}</td>
                    <td className="px-4 py-2 tabular-nums">
                      {e.lessonsValid} / {e.lessonsAsked}
                    </td>
                    <td className="px-4 py-2 tabular-nums">
                      {formatInteger(e.promptTokens)} / {formatInteger(e.cachedTokens)} / {formatInteger(e.completionTokens)}
                    </td>
                    <td className="px-4 py-2 tabular-nums">{formatMs(e.latencyMs)}</td>
                    <td className="px-4 py-2">
                      {e.errorCode ? (
                        <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-800">{e.errorCode}</span>
                      ) : (
                        <span className="text-emerald-800">ok</span>
                      )}
                    </td>
                    <td className="px-4 py-2 tabular-nums">{formatUsd(e.costUsd)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
