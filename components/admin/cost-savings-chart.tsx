import { formatUsd } from "@/lib/ui/format-number";

export interface DayPoint {
  day: string; // YYYY-MM-DD (UTC)
  costUsd: number;
  savedUsd: number;
}


function niceMax(v: number): number {
  if (v <= 0) return 0.01;
  const exp = Math.pow(10, Math.floor(Math.log10(v)));
  const steps = [1, 2, 2.5, 5, 10];
  return (steps.find((s) => s * exp >= v) ?? 10) * exp;
}

// Daily cost with what batching saved stacked on top: the full bar is what the same lessons would have
// cost as separate calls. Hand-rolled SVG; the same numbers are in a table for screen readers.
export function CostSavingsChart({ points }: { points: DayPoint[] }) {
  const totalCost = points.reduce((s, p) => s + p.costUsd, 0);
  const totalSaved = points.reduce((s, p) => s + p.savedUsd, 0);
  const label = `Daily cost and savings: ${formatUsd(totalCost)} spent, ${formatUsd(totalSaved)} saved by batching over ${points.length} days.`;

  return (
    <figure className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="cost-chart">
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <span className="text-base font-semibold text-slate-900">Daily cost and savings</span>
        <span className="flex items-center gap-1.5 text-xs text-slate-700">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-brand-600" /> Cost
        </span>
        <span className="flex items-center gap-1.5 text-xs text-slate-700">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-emerald-500" /> Saved by batching
        </span>
        <span className="ml-auto text-xs text-slate-600">UTC days</span>
      </figcaption>
      {/* Two drawings of the same data: a narrow one keeps labels legible on phones. */}
      <div className="sm:hidden">
        <ChartSvg points={points} width={360} height={220} fontSize={12} label={label} />
      </div>
      <div className="hidden sm:block">
        <ChartSvg points={points} width={720} height={240} fontSize={11} label={label} />
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer rounded text-slate-700">Show the numbers</summary>
        <div className="mt-2 max-h-64 overflow-auto" tabIndex={0} role="region" aria-label="Daily cost and savings table">
          <table className="w-full text-left text-xs">
            <thead>
              <tr className="text-slate-600">
                <th className="py-1 pr-4 font-medium">Day (UTC)</th>
                <th className="py-1 pr-4 text-right font-medium">Cost</th>
                <th className="py-1 text-right font-medium">Saved</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.day} className="border-t border-slate-100">
                  <td className="py-1 pr-4 tabular-nums">{p.day}</td>
                  <td className="py-1 pr-4 text-right tabular-nums">{formatUsd(p.costUsd)}</td>
                  <td className="py-1 text-right tabular-nums">{formatUsd(p.savedUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function ChartSvg({ points, width: W, height: H, fontSize, label }: { points: DayPoint[]; width: number; height: number; fontSize: number; label: string }) {
  const PAD = { top: 12, right: 8, bottom: fontSize + 16, left: fontSize * 5.5 };
  const max = niceMax(Math.max(0, ...points.map((p) => p.costUsd + Math.max(0, p.savedUsd))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.max(2, Math.min(28, slot * 0.7));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(points.length / (W < 500 ? 4 : 6)));
  const last = points.length - 1;
  // Every few days plus the last one, never two labels on top of each other near the end.
  const showLabel = (i: number) => i === last || (i % labelEvery === 0 && last - i >= labelEvery / 2);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="mt-3 h-auto w-full"
      role="img"
      aria-label={label}
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" strokeWidth={1} />
          <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" fontSize={fontSize} fill="#475569">
            {formatUsd(t)}
          </text>
        </g>
      ))}
      {points.map((p, i) => {
        const x = PAD.left + i * slot + (slot - barW) / 2;
        const saved = Math.max(0, p.savedUsd);
        return (
          <g key={p.day}>
            <title>{`${p.day}: cost ${formatUsd(p.costUsd)}, saved ${formatUsd(saved)}`}</title>
            <rect x={x} y={y(p.costUsd)} width={barW} height={Math.max(0, y(0) - y(p.costUsd))} fill="#1f57d0" rx={1.5} />
            <rect x={x} y={y(p.costUsd + saved)} width={barW} height={Math.max(0, y(p.costUsd) - y(p.costUsd + saved))} fill="#10b981" rx={1.5} />
            {showLabel(i) ? (
              <text x={i === last ? x + barW : x + barW / 2} y={H - 8} textAnchor={i === last ? "end" : "middle"} fontSize={fontSize} fill="#475569">
                {p.day.slice(5)}
              </text>
            ) : null}
          </g>
        );
      })}
      <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} stroke="#94a3b8" strokeWidth={1} />
    </svg>
  );
}
