// The deployment's daily spend cap on the admin dashboard: a warning from 80% of the cap, an alert
// once it is reached (all generation answers 503 budget_exhausted until the next UTC day).
import type { SpendCapStatus } from "@/lib/budget/spend-cap";
import { formatUsd } from "@/lib/ui/format-number";

export function SpendCapBanner({ status }: { status: SpendCapStatus }) {
  if (status.capUsd === null || (!status.exhausted && status.spentUsd < status.capUsd * 0.8)) return null;
  const spent = `${formatUsd(status.spentUsd)} of the ${formatUsd(status.capUsd)} daily spend cap`;
  return (
    <div
      role={status.exhausted ? "alert" : "status"}
      data-testid="spend-cap-banner"
      className={status.exhausted ? "rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-900" : "rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"}
    >
      {status.exhausted ? (
        <p>
          <strong>Generation is stopped for today.</strong> {spent} is spent; every generation request answers 503 budget_exhausted
          until {status.resetsAt.slice(11, 16)} UTC. Raise SPEND_CAP_DAILY_USD to resume sooner.
        </p>
      ) : (
        <p>
          <strong>Spend is near today&apos;s cap.</strong> {spent} is spent.
        </p>
      )}
    </div>
  );
}
