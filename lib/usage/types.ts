// One usage event per model call attempt, as produced by lib/batch and stored in usage_events; the shape
// is the zod schema in lib/contracts/entities.ts.
import type { UsageEvent } from "@/lib/contracts/entities";

export type { UsageEvent } from "@/lib/contracts/entities";
export type { UsageFeature, UsageMode } from "@/lib/contracts/enums";

export interface UsageSink {
  /** Must not throw into the caller's request: retry, then report failures. */
  record(events: UsageEvent[]): Promise<void>;
  /**
   * Optional write-ahead: stores, before a model-call attempt is sent, the event to charge if its real
   * event (same id) is never recorded (the process dies mid-call, or every write fails). Must not throw.
   */
  begin?(estimate: UsageEvent): Promise<void>;
}
