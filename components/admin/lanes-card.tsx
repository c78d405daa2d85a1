// The lane split on the admin dashboard (docs/slow-lane.md): spend and lessons per lane, what the slow
// lanes saved against the fast lane, and the provider batches still in flight with their age.
import { laneSplit, type LaneSplitView } from "@/lib/slowlane/dashboard";
import { formatInteger, formatPercent, formatUsd } from "@/lib/ui/format-number";

const LANE_LABEL = { fast: "Fast (ordinary calls)", batch: "Batch API", flex: "Flex tier" } as const;

function age(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export function LanesView({ view }: { view: LaneSplitView }) {
  return (
    <section aria-labelledby="lanes-heading" className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="lanes-card">
      <h2 id="lanes-heading" className="text-base font-semibold text-slate-900">
        Lanes
      </h2>
      <p className="mt-1 text-xs text-slate-600">
        Spend by lane; the slow lanes saved <span className="font-semibold text-emerald-800" data-testid="lanes-saved">{formatUsd(view.savedUsd)}</span> against the same calls in the fast lane.
      </p>
      {/* Focusable: at phone widths the table scrolls sideways, and a keyboard must reach it too. */}
      <div className="mt-3 overflow-x-auto rounded focus-visible:outline focus-visible:outline-2 focus-visible:outline-sky-600" tabIndex={0} role="region" aria-label="Spend by lane">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1.5 pr-3 font-medium">Lane</th>
              <th className="py-1.5 pr-3 text-right font-medium">Calls</th>
              <th className="py-1.5 pr-3 text-right font-medium">Lessons</th>
              <th className="py-1.5 pr-3 text-right font-medium">Spend</th>
              <th className="py-1.5 pr-3 text-right font-medium">Share</th>
              <th className="py-1.5 text-right font-medium">Saved vs fast</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {view.lanes.map((l) => (
              <tr key={l.lane} data-testid={`lane-${l.lane}`}>
                <td className="py-1.5 pr-3 text-slate-900">{LANE_LABEL[l.lane]}</td>
                <td className="py-1.5 pr-3 text-right">{formatInteger(l.calls)}</td>
                <td className="py-1.5 pr-3 text-right">{formatInteger(l.lessonsValid)}</td>
                <td className="py-1.5 pr-3 text-right">{formatUsd(l.costUsd)}</td>
                <td className="py-1.5 pr-3 text-right">{formatPercent(view.totalUsd > 0 ? l.costUsd / view.totalUsd : 0)}</td>
                <td className="py-1.5 text-right text-emerald-800">{l.lane === "fast" ? "—" : formatUsd(l.savedUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 className="mt-4 text-sm font-medium text-slate-800">Batches in flight</h3>
      {view.inFlight.length === 0 ? (
        <p className="mt-1 text-xs text-slate-600">None.</p>
      ) : (
        <ul className="mt-1 space-y-1 text-xs text-slate-700" data-testid="lanes-in-flight">
          {view.inFlight.map((b) => (
            <li key={b.id} className="flex flex-wrap gap-x-3">
              <span className="font-mono">{b.submissionKey}</span>
              <span>{b.provider}</span>
              <span>{b.providerStatus ?? b.status}</span>
              <span>{formatInteger(b.lines)} {b.lines === 1 ? "line" : "lines"}</span>
              <span>age {age(b.ageSeconds)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Server component: reads the split for the dashboard's range. If it cannot, the rest of the page still loads. */
export async function LanesCard({ db, from, to }: { db: Parameters<typeof laneSplit>[0]; from: string; to: string }) {
  const view = await laneSplit(db, { from, to }).catch((err: unknown) => {
    console.error("[admin] lane split unavailable", err);
    return null;
  });
  if (!view) return <p className="text-xs text-slate-600">The lane split is unavailable right now.</p>;
  return <LanesView view={view} />;
}
