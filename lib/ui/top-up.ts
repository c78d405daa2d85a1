// The feed's top-up from the browser: ask for one, and when the server queued it as a job, poll the job
// until it finishes — with a bounded wait, so the feed never shows a spinner that does not end.
import { topUpResponse, topUpStatusResponse, type TopUpResponse } from "@/lib/contracts/responses";
import { apiFetch } from "./api-client";

export type TopUpResult = { outcome: "done" | "failed" | "timeout"; request: TopUpResponse };

export interface TopUpWait {
  /** How often the job is asked about (ms). */
  intervalMs?: number;
  /** How long the feed waits for the job before it says so and stops waiting (ms). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export const TOP_UP_WAIT_MS = 90_000;

export async function requestTopUp(opts: TopUpWait = {}): Promise<TopUpResult> {
  const request = await apiFetch("/api/fyp/generate-pending", topUpResponse, { method: "POST", signal: opts.signal });
  if (request.status !== "queued" || !request.jobId) return { outcome: "done", request };
  const interval = opts.intervalMs ?? 1000;
  const deadline = Date.now() + (opts.timeoutMs ?? TOP_UP_WAIT_MS);
  while (Date.now() < deadline) {
    await sleep(interval, opts.signal);
    const job = await apiFetch(`/api/fyp/top-ups/${request.jobId}`, topUpStatusResponse, { signal: opts.signal });
    if (job.state === "done" || job.state === "failed") return { outcome: job.state, request };
  }
  return { outcome: "timeout", request };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });
}
