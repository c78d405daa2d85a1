// An in-memory UsageSink for tests and the benchmark (the app writes to Postgres instead).
import type { UsageEvent, UsageSink } from "./types";

export class MemoryUsageSink implements UsageSink {
  readonly events: UsageEvent[] = [];

  async record(events: UsageEvent[]): Promise<void> {
    this.events.push(...events);
  }

  clear(): void {
    this.events.length = 0;
  }
}

export function createMemoryUsageSink(): MemoryUsageSink {
  return new MemoryUsageSink();
}
