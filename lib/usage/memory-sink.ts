// An in-memory UsageSink for tests and the benchmark (the app writes to Postgres instead).
import type { UsageEvent, UsageSink } from "./types";

export class MemoryUsageSink implements UsageSink {
  readonly events: UsageEvent[] = [];
  /** Write-ahead estimates whose real event has not been recorded yet, by id. */
  readonly open = new Map<string, UsageEvent>();

  async record(events: UsageEvent[]): Promise<void> {
    this.events.push(...events);
    for (const e of events) this.open.delete(e.id);
  }

  async begin(estimate: UsageEvent): Promise<void> {
    this.open.set(estimate.id, estimate);
  }

  clear(): void {
    this.events.length = 0;
    this.open.clear();
  }
}

export function createMemoryUsageSink(): MemoryUsageSink {
  return new MemoryUsageSink();
}
