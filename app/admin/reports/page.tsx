import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DifficultyBadge } from "@/components/lessons/difficulty-badge";
import { reasonLabels } from "@/components/reports/report-reasons";
import { ReviewActions } from "@/components/reports/review-actions";
import { LocalTime } from "@/components/ui/local-time";
import type { ReportedLesson } from "@/lib/contracts/reports";
import { reviewQueue } from "@/lib/reports/review";
import { getPageSession } from "@/lib/ui/server-session";

export const metadata: Metadata = { title: "Reported lessons" };

// The review queue. Admin-only on the server: anyone else gets the 404 page, as if it did not exist.
export default async function AdminReportsPage() {
  const session = await getPageSession();
  if (!session || !session.viewer.isAdmin) notFound();
  const { lessons } = await reviewQueue(session.db, { limit: 100 });

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Reported lessons</h1>
          <p className="mt-1 max-w-prose text-sm text-slate-600">
            Lessons learners reported, most reported first. Three open reports hold a lesson back from new feeds until you review it.
          </p>
        </div>
        <Link href="/admin/usage" className="rounded text-sm font-medium text-brand-700 hover:underline">
          ← Usage and cost
        </Link>
      </header>

      {lessons.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center" data-testid="reports-empty">
          <p className="font-medium text-slate-900">Nothing to review</p>
          <p className="mx-auto mt-1 max-w-sm text-sm text-slate-600">When learners report a lesson, it shows up here.</p>
        </div>
      ) : (
        <ul className="space-y-4" aria-label="Reported lessons">
          {lessons.map((r) => (
            <li key={r.lesson.id}>
              <ReportedLessonCard item={r} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ReportedLessonCard({ item }: { item: ReportedLesson }) {
  const { lesson } = item;
  const headingId = `reported-${lesson.id}`;
  return (
    <article aria-labelledby={headingId} className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6" data-testid="reported-lesson" data-lesson-id={lesson.id}>
      <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <span>
          {lesson.subjectName} · {lesson.topicName}
        </span>
        <DifficultyBadge difficulty={lesson.difficulty} />
        <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-inset ring-amber-200">
          {item.openReports} open report{item.openReports === 1 ? "" : "s"}
        </span>
        {item.heldAt ? (
          <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800 ring-1 ring-inset ring-red-200">Held from new feeds</span>
        ) : null}
      </div>
      <h2 id={headingId} className="mt-2 text-lg font-semibold leading-snug text-slate-900">
        <Link href={`/lessons/${lesson.id}`} className="rounded hover:text-brand-700 hover:underline">
          {lesson.title}
        </Link>
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {item.generatedBy ? (
          <>
            Generated for <span className="font-medium text-slate-800">{item.generatedBy.email ?? "a deleted account"}</span>
            {item.generatedBy.model ? <> by {item.generatedBy.model}</> : null}
            {item.privateToLearner ? " · private to that learner" : null}
          </>
        ) : (
          "Seed lesson (not generated)"
        )}{" "}
        · <LocalTime iso={lesson.createdAt} />
      </p>

      <details className="mt-3 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm">
        <summary className="cursor-pointer font-medium text-slate-800">Text and questions</summary>
        <p className="mt-2 whitespace-pre-line text-slate-700">{lesson.content.content}</p>
        <ol className="mt-3 list-decimal space-y-2 pl-5">
          {lesson.content.questions.map((q, i) => (
            <li key={i}>
              <p className="font-medium text-slate-900">{q.question}</p>
              <ul className="mt-1 space-y-0.5">
                {q.choices.map((c, j) => (
                  <li key={j} className={j === q.correctIndex ? "font-medium text-emerald-800" : "text-slate-700"}>
                    {j === q.correctIndex ? "✓ " : "· "}
                    {c}
                    {j === q.correctIndex ? <span className="sr-only"> (marked correct)</span> : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </details>

      <h3 className="mt-4 text-sm font-semibold uppercase tracking-wide text-slate-600">Reports</h3>
      <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200">
        {item.reports.map((rep) => (
          <li key={rep.id} className="px-3 py-2 text-sm">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
              <span className="font-medium text-slate-900">{reasonLabels[rep.reason].label}</span>
              <span className="text-slate-600">
                by {rep.reporterEmail ?? "a deleted account"} · <LocalTime iso={rep.createdAt} />
              </span>
            </div>
            {rep.note ? <p className="mt-0.5 text-slate-700">“{rep.note}”</p> : null}
          </li>
        ))}
      </ul>

      <div className="mt-4">
        <ReviewActions lessonId={lesson.id} lessonTitle={lesson.title} />
      </div>
    </article>
  );
}
