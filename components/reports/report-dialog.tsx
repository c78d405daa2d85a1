"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { ApiError, apiFetch, describeError } from "@/lib/ui/api-client";
import { REPORT_NOTE_MAX, reportLessonResponse, reportReasons, type ReportReason } from "@/lib/contracts/reports";
import { ModalDialog } from "./modal-dialog";
import { reasonLabels } from "./report-reasons";

type Outcome = "reported" | "already";

// "Report" and its dialog: a reason, an optional note, submit. On success (or when the learner had
// already reported it) `onReported` runs, so the caller can take the lesson off the screen at once.
export function ReportLesson({
  lessonId,
  lessonTitle,
  onReported,
  size = "sm",
}: {
  lessonId: string;
  lessonTitle: string;
  onReported: (outcome: Outcome) => void;
  size?: "sm" | "md";
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!reason) {
      setError("Choose a reason.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const trimmed = note.trim();
      await apiFetch(`/api/lessons/${lessonId}/report`, reportLessonResponse, { method: "POST", body: trimmed ? { reason, note: trimmed } : { reason } });
      setOpen(false);
      onReported("reported");
    } catch (err) {
      if (err instanceof ApiError && err.code === "conflict") {
        setOpen(false);
        onReported("already");
      } else {
        setError(describeError(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className={buttonClass("ghost", size)} onClick={() => setOpen(true)} data-testid="report-lesson">
        <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          <path d="M4 17V3.5M4 4h9l-1.5 3.5L13 11H4" />
        </svg>
        Report<span className="sr-only">: {lessonTitle}</span>
      </button>
      <ModalDialog open={open} onClose={() => setOpen(false)} title="Report this lesson" description={`“${lessonTitle}” will be hidden from your feed and checked by a reviewer.`} testId="report-dialog">
        <form onSubmit={submit} noValidate>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">What’s wrong with it?</legend>
            <div className="mt-2 space-y-1.5">
              {reportReasons.map((r) => (
                <label key={r} className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 px-3 py-2 hover:bg-slate-50 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
                  <input type="radio" name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} className="mt-1 h-4 w-4 accent-brand-600" />
                  <span className="text-sm">
                    <span className="block font-medium text-slate-900">{reasonLabels[r].label}</span>
                    <span className="block text-slate-600">{reasonLabels[r].hint}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <label htmlFor={`report-note-${lessonId}`} className="mt-4 block text-sm font-medium text-slate-800">
            Note <span className="font-normal text-slate-600">(optional)</span>
          </label>
          <textarea
            id={`report-note-${lessonId}`}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={REPORT_NOTE_MAX}
            rows={3}
            className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm"
            placeholder="Which question, and what should it say?"
          />
          <p className="mt-1 text-right text-xs text-slate-600">
            {note.length}/{REPORT_NOTE_MAX}
          </p>
          {error ? (
            <p role="alert" className="mt-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          ) : null}
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" className={buttonClass("secondary")} onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className={buttonClass("primary")} disabled={busy}>
              {busy ? "Sending…" : "Send report"}
            </button>
          </div>
        </form>
      </ModalDialog>
    </>
  );
}
