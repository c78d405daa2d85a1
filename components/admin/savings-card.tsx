// The "Saved by batching" card: the honest per-request saving summed over the range, where the
// money went (input, cached input, output), and the definition one click away.
import { formatPercent, formatUsd } from "@/lib/ui/format-number";

export interface SavingsCardProps {
  savedUsd: number;
  costUsd: number;
  counterfactualCostUsd: number;
  inputUsd: number;
  cachedUsd: number;
  outputUsd: number;
}

export function SavingsCard({ savedUsd, costUsd, counterfactualCostUsd, inputUsd, cachedUsd, outputUsd }: SavingsCardProps) {
  const share = counterfactualCostUsd > 0 ? savedUsd / counterfactualCostUsd : 0;
  const parts = [
    { label: "Input", usd: inputUsd, color: "bg-brand-600" },
    { label: "Cached input", usd: cachedUsd, color: "bg-brand-300" },
    { label: "Output", usd: outputUsd, color: "bg-slate-500" },
  ];
  const total = Math.max(costUsd, inputUsd + cachedUsd + outputUsd, 1e-12);
  return (
    <div className="col-span-2 rounded-xl border border-emerald-200 bg-emerald-50 p-4 shadow-sm" data-testid="card-saved-usd">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">Saved by batching</dt>
      <dd className="mt-1.5 text-2xl font-semibold tabular-nums tracking-tight text-slate-900" data-testid="card-saved-usd-value">
        {formatUsd(savedUsd)}
      </dd>
      <dd className="mt-1 text-xs text-slate-700">{formatPercent(share)} of what one call per delivered lesson would have cost</dd>
      <dd className="mt-3">
        <p className="text-xs font-medium text-slate-700">Where the {formatUsd(costUsd)} went</p>
        <div aria-hidden className="mt-1 flex h-2.5 overflow-hidden rounded-full bg-white">
          {parts.map((p) => (
            <div key={p.label} className={p.color} style={{ width: `${(p.usd / total) * 100}%` }} />
          ))}
        </div>
        <ul className="mt-1.5 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" data-testid="card-saved-usd-split">
          {parts.map((p) => (
            <li key={p.label} className="flex items-center gap-1.5">
              <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${p.color}`} />
              {p.label} <span className="tabular-nums font-medium text-slate-900">{formatUsd(p.usd)}</span>
            </li>
          ))}
        </ul>
      </dd>
      <dd className="mt-3">
        <details className="text-xs text-slate-700" data-testid="card-saved-usd-definition">
          <summary className="cursor-pointer font-medium text-emerald-900 underline decoration-dotted underline-offset-2">How is this computed?</summary>
          <div className="mt-2 space-y-1.5">
            <p>
              For each generation request: what one call per lesson would have billed <strong>for the lessons actually delivered</strong>, minus everything the
              request was billed: its batch calls, every repair, every failed or retried attempt. Lessons that were never delivered are not counted.
            </p>
            <p>
              The one-call-per-lesson bill uses the real single-lesson prompt, each lesson&apos;s own output, and no more cached prompt tokens than the
              request&apos;s first call got (calls sent together all miss a cold cache). A request can save a negative amount when repairs cost more than
              batching saved; it is counted as it is.
            </p>
            <p>Prices: the per-model price table (input, cached input and output rates, with their source and date).</p>
          </div>
        </details>
      </dd>
    </div>
  );
}
