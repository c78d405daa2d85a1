// How long the current request waited for database functions, and how many it called: the database side of
// the API's Server-Timing header (lib/api/server-timing.ts). Per request via AsyncLocalStorage, so nothing is
// threaded through the code; calls outside a measured run are not counted.
import { AsyncLocalStorage } from "node:async_hooks";

export interface DbTiming {
  dbMs: number;
  dbCalls: number;
}

const store = new AsyncLocalStorage<DbTiming>();

/** Adds a database call's duration to the current run's timing (a no-op outside one). */
export function recordDbTime(ms: number): void {
  const t = store.getStore();
  if (!t) return;
  t.dbMs += ms;
  t.dbCalls += 1;
}

/** Runs `run` with its database calls timed into `timing`. */
export function withDbTiming<T>(timing: DbTiming, run: () => Promise<T>): Promise<T> {
  return store.run(timing, run);
}
