// Server-Timing on API responses: how long the handler took (`app`, until the response object exists; a
// stream's body comes after) and how much of it was spent waiting for database functions (`db`, with the
// number of calls, measured by lib/db/timing.ts). Read by `npm run load` and visible in the browser's network panel.
import { withDbTiming, type DbTiming } from "@/lib/db/timing";

/** Runs a handler and stamps its response with `Server-Timing: app;dur=…, db;dur=…;desc="N calls"`. */
export async function withServerTiming(run: () => Promise<Response>): Promise<Response> {
  const timing: DbTiming = { dbMs: 0, dbCalls: 0 };
  const started = performance.now();
  const res = await withDbTiming(timing, run);
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
