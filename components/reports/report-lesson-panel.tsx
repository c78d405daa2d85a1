"use client";

import Link from "next/link";
import { useState } from "react";
import { ReportLesson } from "./report-dialog";

// The lesson page's "Report" box. Once reported, the lesson is gone from the learner's feed; the page
// says so and points back to the feed.
export function ReportLessonPanel({ lessonId, lessonTitle }: { lessonId: string; lessonTitle: string }) {
  const [done, setDone] = useState<"reported" | "already" | null>(null);
  return (
    <section aria-labelledby="report-heading" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <h2 id="report-heading" className="text-base font-semibold text-slate-900">
        Something wrong?
      </h2>
      <div role="status" aria-live="polite">
        {done ? (
          <p className="mt-2 text-sm text-slate-700" data-testid="report-done">
            {done === "reported" ? "Thanks for the report." : "You had already reported this lesson."} It won’t appear in your feed again, and a reviewer will
            look at it.{" "}
            <Link href="/" className="font-medium text-brand-700 underline">
              Back to your feed
            </Link>
          </p>
        ) : null}
      </div>
      {done ? null : (
        <>
          <p className="mt-1 text-sm text-slate-600">A wrong answer, a confusing question or something unsuitable: tell us.</p>
          <div className="mt-3">
            <ReportLesson lessonId={lessonId} lessonTitle={lessonTitle} onReported={setDone} size="md" />
          </div>
        </>
      )}
    </section>
  );
}
