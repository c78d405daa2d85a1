// The production UsageSink: writes usage events through `insert_usage_events` (idempotent by event id),
// retries with backoff, keeps what still failed for the next write, and reports losses loudly.
// It never throws: usage logging must not fail the learner's request (DESIGN §7).
import "server-only";
import type { Db } from "@/lib/db/port";
import { realClock, type Clock } from "@/lib/clock";
import type { UsageEvent, UsageSink } from "./types";

export interface DbUsageSinkOptions {
  /** How to get a service-role Db; resolved per write so a test provider swap is honoured. */
  db: () => Promise<Db>;
  attempts?: number; // per write, default 3
  backoffMs?: number; // first retry delay, doubled each time; default 100
  clock?: Clock;
  /** Called when events could not be written after every attempt (default: console.error with the events). */
  onFailure?: (events: UsageEvent[], error: unknown) => void;
  /** Events kept in memory for the next write after a failure; beyond it they are reported and dropped. */
  maxBacklog?: number;
}

const CHUNK = 500;

function reportLoss(events: UsageEvent[], error: unknown) {
  // The whole events go to the log so an operator can replay them; nothing is dropped silently.
  console.error(`[usage] could not write ${events.length} usage event(s) after retries`, error, JSON.stringify(events));
}

export function createDbUsageSink(opts: DbUsageSinkOptions): UsageSink & { backlogSize(): number } {
  const attempts = opts.attempts ?? 3;
  const backoffMs = opts.backoffMs ?? 100;
  const clock = opts.clock ?? realClock;
  const maxBacklog = opts.maxBacklog ?? 5_000;
  const onFailure = opts.onFailure ?? reportLoss;
  let backlog: UsageEvent[] = [];

  async function write(chunk: UsageEvent[]): Promise<unknown> {
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const db = await opts.db();
        await db.rpc("insert_usage_events", { p_events: chunk });
        return null;
      } catch (err) {
        lastError = err;
        if (attempt < attempts) await clock.sleep(backoffMs * 2 ** (attempt - 1)).catch(() => undefined);
      }
    }
    return lastError;
  }

  return {
    backlogSize: () => backlog.length,
    async record(events: UsageEvent[]): Promise<void> {
      const pending = [...backlog, ...events];
      backlog = [];
      if (pending.length === 0) return;
      for (let i = 0; i < pending.length; i += CHUNK) {
        const chunk = pending.slice(i, i + CHUNK);
        const error = await write(chunk);
        if (error === null) continue;
        onFailure(chunk, error);
        // Keep them for the next write (ids make the retry idempotent), up to a bound.
        backlog = [...backlog, ...chunk].slice(-maxBacklog);
      }
    },
  };
}
