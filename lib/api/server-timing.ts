// Server-Timing on API responses: how long the handler took (`app`, until the response object exists; a
// stream's body comes after) and how much of it was spent waiting for database functions (`db`, with the
// number of calls). Read by `npm run load` and visible in the browser's network panel. Per request via
// AsyncLocalStorage, so nothing is threaded through the code; calls outside a request are not counted.
import { AsyncLocalStorage } from "node:async_hooks";

interface Timing {
  dbMs: number;
  dbCalls: number;
}

const store = new AsyncLocalStorage<Timing>();

/** Adds a database call's duration to the current request's timing (a no-op outside a request). */
export function recordDbTime(ms: number): void {
  const t = store.getStore();
  if (!t) return;
  t.dbMs += ms;
  t.dbCalls += 1;
}

/** Runs a handler and stamps its response with `Server-Timing: app;dur=…, db;dur=…;desc="N calls"`. */
export async function withServerTiming(run: () => Promise<Response>): Promise<Response> {
  const timing: Timing = { dbMs: 0, dbCalls: 0 };
  const started = performance.now();
  const res = await store.run(timing, run);
  const value = `app;dur=${(performance.now() - started).toFixed(1)}, db;dur=${timing.dbMs.toFixed(1)};desc="${timing.dbCalls} calls"`;
  try {
    res.headers.set("server-timing", value);
    return res;
  } catch {
    // Immutable headers (a fetched Response passed through): copy.
    const copy = new Response(res.body, res);
    copy.headers.set("server-timing", value);
    return copy;
  }
}
