"use client";
// The background jobs on the admin dashboard: per queue what waits, runs, completed and failed, how long
// the oldest job has waited, and the dead letters with their last error and a retry button.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { jobRetryResponse } from "@/lib/contracts";
import { apiFetch } from "@/lib/ui/api-client";
import { formatInteger } from "@/lib/ui/format-number";

export interface JobsPanelRow {
  queue: string;
  queued: number;
  active: number;
  completed: number;
  failed: number;
  oldestWaitingSeconds: number | null;
  deadLetterCount: number;
  deadLetters: { id: string; attempts: number; lastError: string | null; deadSince: string; label: string }[];
}

function age(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function RetryButton({ id }: { id: string }) {
  const router = useRouter();
  const [state, setState] = useState<"idle" | "busy" | "error">("idle");
  return (
    <button
      type="button"
      disabled={state === "busy"}
      className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
      onClick={async () => {
        setState("busy");
        try {
          await apiFetch(`/api/admin/jobs/${encodeURIComponent(id)}/retry`, jobRetryResponse, { method: "POST" });
          setState("idle");
          router.refresh();
        } catch {
          setState("error");
        }
      }}
    >
      {state === "busy" ? "Retrying…" : state === "error" ? "Retry failed — again" : "Retry"}
    </button>
  );
}

export function JobsPanel({ rows, note }: { rows: JobsPanelRow[] | null; note?: string }) {
  return (
    <section aria-labelledby="jobs-heading" className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="jobs-panel">
      <h2 id="jobs-heading" className="text-base font-semibold text-slate-900">
        Background jobs
      </h2>
      {rows === null ? (
        <p className="mt-2 text-sm text-slate-600">{note ?? "The job engine is not running in this process."}</p>
      ) : (
        <>
          <div className="mt-3 overflow-x-auto" tabIndex={0} role="region" aria-label="Background jobs by queue">
            <table className="w-full text-sm">
              <thead>
                <tr className="text-left text-slate-500">
                  <th className="py-1 pr-3 font-medium">Queue</th>
                  <th className="py-1 pr-3 text-right font-medium">Queued</th>
                  <th className="py-1 pr-3 text-right font-medium">Running</th>
                  <th className="py-1 pr-3 text-right font-medium">Completed</th>
                  <th className="py-1 pr-3 text-right font-medium">Failed</th>
                  <th className="py-1 pr-3 text-right font-medium">Oldest waiting</th>
                  <th className="py-1 text-right font-medium">Dead</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.queue} className="border-t border-slate-100">
                    <td className="py-1 pr-3 font-medium text-slate-900">{r.queue}</td>
                    <td className="py-1 pr-3 text-right tabular-nums">{formatInteger(r.queued)}</td>
                    <td className="py-1 pr-3 text-right tabular-nums">{formatInteger(r.active)}</td>
                    <td className="py-1 pr-3 text-right tabular-nums">{formatInteger(r.completed)}</td>
                    <td className="py-1 pr-3 text-right tabular-nums">{formatInteger(r.failed)}</td>
                    <td className="py-1 pr-3 text-right tabular-nums">{age(r.oldestWaitingSeconds)}</td>
                    <td className="py-1 text-right tabular-nums">{formatInteger(r.deadLetterCount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.some((r) => r.deadLetters.length > 0) && (
            <div className="mt-4">
              <h3 className="text-sm font-semibold text-slate-900">Dead letters</h3>
              <ul className="mt-2 space-y-2">
                {rows.flatMap((r) =>
                  r.deadLetters.map((d) => (
                    <li key={d.id} className="flex flex-wrap items-start justify-between gap-2 rounded-lg border border-slate-200 p-2 text-sm">
                      <div className="min-w-0">
                        <div className="font-medium text-slate-900">
                          {r.queue} · {d.label} · {formatInteger(d.attempts)} attempts
                        </div>
                        <div className="break-words text-slate-600">{d.lastError ?? "no error recorded"}</div>
                        <div className="text-xs text-slate-500">dead since {d.deadSince}</div>
                      </div>
                      <RetryButton id={d.id} />
                    </li>
                  )),
                )}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}
