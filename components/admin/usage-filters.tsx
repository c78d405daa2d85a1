import Link from "next/link";
import { buttonClass } from "@/components/ui/button-styles";
import { usageFeatures, usageModes, type UsageFeature, type UsageMode } from "@/lib/contracts/enums";

const input = "mt-1 block h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm";

/** Links for common ranges ending today (UTC). */
function rangeHref(days: number, today: string): string {
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return `/admin/usage?from=${from}&to=${today}`;
}

// The date range (UTC days, `to` inclusive) as a plain GET form, so every view has a shareable URL.
export function DateRangeForm({ from, to, today }: { from: string; to: string; today: string }) {
  return (
    <form method="get" action="/admin/usage" className="flex flex-wrap items-end gap-3" aria-label="Date range">
      <div>
        <label htmlFor="range-from" className="block text-xs font-medium text-slate-700">
          From (UTC)
        </label>
        <input id="range-from" type="date" name="from" defaultValue={from} max={today} className={input} />
      </div>
      <div>
        <label htmlFor="range-to" className="block text-xs font-medium text-slate-700">
          To (UTC, inclusive)
        </label>
        <input id="range-to" type="date" name="to" defaultValue={to} max={today} className={input} />
      </div>
      <button type="submit" className={buttonClass("primary")}>
        Apply
      </button>
      <div className="flex gap-1 text-sm">
        {[1, 7, 30].map((d) => (
          <Link key={d} href={rangeHref(d, today)} className="rounded-md px-2.5 py-2 font-medium text-brand-700 hover:bg-brand-50">
            {d === 1 ? "Today" : `${d} days`}
          </Link>
        ))}
      </div>
    </form>
  );
}

export interface EventFilters {
  feature: UsageFeature | "";
  mode: UsageMode | "";
  model: string;
  errorsOnly: boolean;
}

// Filters for the recent-events table; the range travels along as hidden fields.
export function EventFiltersForm({ from, to, filters, models }: { from: string; to: string; filters: EventFilters; models: string[] }) {
  return (
    <form method="get" action="/admin/usage#events" className="flex flex-wrap items-end gap-3 px-4 pt-2 pb-3" aria-label="Event filters">
      <input type="hidden" name="from" value={from} />
      <input type="hidden" name="to" value={to} />
      <FilterSelect id="ev-feature" label="Feature" name="feature" value={filters.feature} options={usageFeatures} />
      <FilterSelect id="ev-mode" label="Mode" name="mode" value={filters.mode} options={usageModes} />
      <FilterSelect id="ev-model" label="Model" name="model" value={filters.model} options={models} />
      <label className="flex h-10 items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" name="errorsOnly" value="true" defaultChecked={filters.errorsOnly} className="h-4 w-4 accent-brand-600" />
        Errors only
      </label>
      <button type="submit" className={buttonClass("secondary")}>
        Filter
      </button>
    </form>
  );
}

// One "All, or exactly this value" filter of the events table.
function FilterSelect({ id, label, name, value, options }: { id: string; label: string; name: string; value: string; options: readonly string[] }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className={input}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}
