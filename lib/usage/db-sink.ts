// The production UsageSink: writes usage events through `insert_usage_events` (idempotent by event id),
// retries with backoff, keeps what still failed for the next write, and reports losses loudly.
// It never throws: usage logging must not fail the learner's request (docs/architecture.md).
// Durability: `begin` writes each attempt's estimate ahead of the call (`begin_usage_attempt`); the real
// event's insert deletes it in the same transaction, and an estimate whose request died becomes the
// event (supabase/migrations/20261130000200_usage_outbox.sql). So the in-memory backlog below only
// makes the figures exact while the process lives; a killed process loses no event.
import "server-only";
import type { Db } from "@/lib/db/port";
import { realClock, type Clock } from "@/lib/clock";
import { DB_WRITE_RETRY, withRetry } from "@/lib/llm/retry-policy";
import type { UsageEvent, UsageSink } from "./types";

export interface DbUsageSinkOptions {
  /** How to get a service-role Db; resolved per write so a test provider swap is honoured. */
  db: () => Promise<Db>;
  attempts?: number; // per write, default DB_WRITE_RETRY
  backoffMs?: number; // first backoff ceiling (full jitter), doubled each time; default DB_WRITE_RETRY
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
  const attempts = opts.attempts ?? DB_WRITE_RETRY.maxAttempts;
  const backoffMs = opts.backoffMs ?? DB_WRITE_RETRY.baseMs;
  const clock = opts.clock ?? realClock;
  const maxBacklog = opts.maxBacklog ?? 5_000;
  const onFailure = opts.onFailure ?? reportLoss;
  let backlog: UsageEvent[] = [];

  async function write(chunk: UsageEvent[]): Promise<unknown> {
    try {
      await withRetry(
        async () => {
          const db = await opts.db();
          await db.rpc("insert_usage_events", { p_events: chunk });
        },
        { maxAttempts: attempts, baseMs: backoffMs, maxMs: DB_WRITE_RETRY.maxMs, clock },
      );
      return null;
    } catch (err) {
      return err;
    }
  }

  return {
    backlogSize: () => backlog.length,
    async begin(estimate: UsageEvent): Promise<void> {
      try {
        // One quick retry only: the call waits for this.
        await withRetry(
          async () => {
            const db = await opts.db();
            await db.rpc("begin_usage_attempt", { p_event: estimate });
          },
          { maxAttempts: 2, baseMs: backoffMs, maxMs: backoffMs, clock },
        );
      } catch (err) {
        // The call still goes out; its real event is written as usual, only a crash mid-call would lose it.
        console.error(`[usage] could not write ahead usage attempt ${estimate.id}`, err);
      }
    },
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
