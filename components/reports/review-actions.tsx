"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { apiFetch, describeError } from "@/lib/ui/api-client";
import { reviewLessonResponse, type ReviewAction } from "@/lib/contracts/reports";

// Remove or dismiss, then reload the queue (the lesson leaves it either way).
export function ReviewActions({ lessonId, lessonTitle }: { lessonId: string; lessonTitle: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState<ReviewAction | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function review(action: ReviewAction) {
    if (action === "remove" && !window.confirm(`Remove “${lessonTitle}” from the library? It leaves every feed; playlists show it as removed.`)) return;
    setBusy(action);
    setMessage(null);
    try {
      const r = await apiFetch(`/api/admin/reports/${lessonId}`, reviewLessonResponse, { method: "POST", body: { action } });
      setMessage({ ok: true, text: action === "remove" ? `Removed; ${r.reportsClosed} report(s) closed.` : `Dismissed ${r.reportsClosed} report(s).` });
      router.refresh();
    } catch (e) {
      setMessage({ ok: false, text: describeError(e) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" className={buttonClass("danger", "sm")} disabled={busy !== null} onClick={() => void review("remove")}>
        {busy === "remove" ? "Removing…" : "Remove from library"}
        <span className="sr-only">: {lessonTitle}</span>
      </button>
      <button type="button" className={buttonClass("secondary", "sm")} disabled={busy !== null} onClick={() => void review("dismiss")}>
        {busy === "dismiss" ? "Dismissing…" : "Dismiss reports"}
        <span className="sr-only">: {lessonTitle}</span>
      </button>
      <p role="status" aria-live="polite" className={`text-sm ${message?.ok === false ? "text-red-700" : "text-emerald-800"}`}>
        {message?.text ?? ""}
      </p>
    </div>
  );
}
