// One number on the usage dashboard, with a short line of context under it.
export function StatCard({ label, value, sub, tone = "default", testId }: { label: string; value: string; sub?: string; tone?: "default" | "good" | "warn"; testId?: string }) {
  const tones = {
    default: "border-slate-200 bg-white",
    good: "border-emerald-200 bg-emerald-50",
    warn: "border-amber-200 bg-amber-50",
  };
  return (
    <div className={`rounded-xl border p-4 shadow-sm ${tones[tone]}`} data-testid={testId}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-1.5 text-2xl font-semibold tabular-nums tracking-tight text-slate-900" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </dd>
      {sub ? <dd className="mt-1 text-xs text-slate-700">{sub}</dd> : null}
    </div>
  );
}
