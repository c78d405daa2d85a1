"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { difficulties, type Difficulty } from "@/lib/lessons/types";
import type { Quota } from "@/lib/contracts";
import { formatUsd } from "@/lib/ui/format-number";
import type { GenerateSimilarBody } from "@/lib/ui/generate-similar-stream";
import { QuotaExceeded, QuotaLine } from "./quota-notice";
import type { RunStatus } from "./use-generate-similar";

const field = "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 shadow-sm";

// "Generate similar": how many (1–10), optional difficulty and instructions; live status and quota.
export function GenerateSimilarForm({
  status,
  quota,
  disabledReason,
  onGenerate,
}: {
  status: RunStatus;
  quota: Quota | null;
  disabledReason: string | null;
  onGenerate: (body: GenerateSimilarBody) => void;
}) {
  const [count, setCount] = useState(3);
  const [difficulty, setDifficulty] = useState<Difficulty | "">("");
  const [instructions, setInstructions] = useState("");
  const running = status.kind === "running";

  return (
    <form
      aria-labelledby="generate-heading"
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Math.min(10, Math.max(1, Math.round(count)));
        onGenerate({
          count: n,
          ...(difficulty ? { difficulty } : {}),
          ...(instructions.trim() ? { instructions: instructions.trim() } : {}),
        });
      }}
    >
      <h2 id="generate-heading" className="text-base font-semibold text-slate-900">
        Generate similar
      </h2>
      <p className="mt-1 text-sm text-slate-600">New lessons like the ones in this playlist, added to the end.</p>

      <div className="mt-4 grid grid-cols-[5.5rem_minmax(0,1fr)] gap-3">
        <div>
          <label htmlFor="gen-count" className="block text-sm font-medium text-slate-800">
            How many
          </label>
          <input
            id="gen-count"
            name="count"
            type="number"
            inputMode="numeric"
            min={1}
            max={10}
            required
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
            className={`${field} h-10`}
          />
        </div>
        <div>
          <label htmlFor="gen-difficulty" className="block text-sm font-medium text-slate-800">
            Difficulty
          </label>
          <select id="gen-difficulty" value={difficulty} onChange={(e) => setDifficulty(e.target.value as Difficulty | "")} className={`${field} h-10`}>
            <option value="">Same as playlist</option>
            {difficulties.map((d) => (
              <option key={d} value={d}>
                {d[0].toUpperCase() + d.slice(1)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="mt-3">
        <label htmlFor="gen-instructions" className="block text-sm font-medium text-slate-800">
          Instructions <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea
          id="gen-instructions"
          rows={2}
          maxLength={500}
          value={instructions}
          onChange={(e) => setInstructions(e.target.value)}
          placeholder="e.g. more real-world examples"
          className={`${field} resize-none py-2 text-sm`}
        />
      </div>

      <div className="mt-4 flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass("primary")} disabled={running || disabledReason !== null}>
          {running ? "Generating…" : "Generate similar"}
        </button>
        {quota ? <QuotaLine remaining={quota.remaining} lessonsPerDay={quota.lessonsPerDay} resetsAt={quota.resetsAt} /> : null}
      </div>

      {/* Fixed-height live region: status text changes never push the page around. */}
      <div className="mt-3 min-h-[4.5rem]" aria-live="polite" data-testid="generation-status">
        {disabledReason ? <p className="text-sm text-slate-600">{disabledReason}</p> : null}
        {status.kind === "running" ? (
          <p className="text-sm text-slate-700">
            {status.ready} of {status.total} ready
            {status.plan && status.plan.calls > 0
              ? ` · ${status.plan.calls} call${status.plan.calls === 1 ? "" : "s"} of up to ${status.plan.perCall} lessons${status.plan.model ? ` on ${status.plan.model}` : ""}`
              : ""}
          </p>
        ) : status.kind === "done" ? (
          <p className="text-sm text-slate-700">
            <span className="font-medium text-emerald-800">
              {status.succeeded} lesson{status.succeeded === 1 ? "" : "s"} added
            </span>
            {status.failed > 0 ? `, ${status.failed} failed` : ""} · {status.usage.calls} call{status.usage.calls === 1 ? "" : "s"} · {formatUsd(status.usage.costUsd)}
            {status.usage.savedUsd > 0 ? ` (batching saved ${formatUsd(status.usage.savedUsd)})` : ""}
          </p>
        ) : status.kind === "quota" ? (
          <QuotaExceeded asked={status.asked} remaining={status.remaining} resetsAt={status.resetsAt} />
        ) : status.kind === "error" ? (
          <p role="alert" className="text-sm text-red-700">
            {status.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}
