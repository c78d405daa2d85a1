// Sums the usage events of one generation run (for the `done` event and the sweep summary) while
// passing them on to the real sink. Counted when recorded, so the totals are complete once the engine returns.
import type { UsageSummary } from "@/lib/contracts/generation-stream";
import type { UsageEvent, UsageSink } from "@/lib/usage/types";

export type { UsageSummary };

export function emptyUsage(): UsageSummary {
  return { calls: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, costUsd: 0, savedUsd: 0 };
}

const round = (n: number) => Math.round(n * 1e8) / 1e8;

export function tallyingSink(inner: UsageSink): { sink: UsageSink; summary(): UsageSummary; pending(): Promise<void> } {
  const total = emptyUsage();
  const writes = new Set<Promise<void>>();
  return {
    sink: {
      record(events: UsageEvent[]) {
        for (const e of events) {
          total.calls += 1;
          total.promptTokens += e.promptTokens;
          total.cachedTokens += e.cachedTokens;
          total.completionTokens += e.completionTokens;
          total.costUsd += e.costUsd;
          if (e.counterfactualCostUsd !== null) total.savedUsd += e.counterfactualCostUsd - e.costUsd;
        }
        // The inner sink never throws (docs/architecture.md); the promise is kept so the run can wait for the writes.
        const write = inner.record(events).catch(() => undefined);
        writes.add(write);
        void write.finally(() => writes.delete(write));
        return write;
      },
    },
    summary: () => ({ ...total, costUsd: round(total.costUsd), savedUsd: round(total.savedUsd) }),
    pending: async () => {
      await Promise.all([...writes]);
    },
  };
}
