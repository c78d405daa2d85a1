"use client";

import Link from "next/link";
import { useState } from "react";
import { ReportLesson } from "@/components/reports/report-dialog";
import type { LessonRecord } from "@/lib/contracts";
import { DifficultyBadge } from "./difficulty-badge";
import { lessonExcerpt } from "./lesson-excerpt";

// A lesson as a card: where it belongs, its title and a taste of the text. The whole title is the link.
// "Report" takes the card off the screen at once (the server has taken it out of the feed); the caller
// may also drop it from its own list through `onReported`.
export function LessonCard({
  lesson,
  actions,
  headingLevel = 3,
  reportable = true,
  onReported,
}: {
  lesson: LessonRecord;
  actions?: React.ReactNode;
  headingLevel?: 2 | 3;
  reportable?: boolean;
  onReported?: (lessonId: string) => void;
}) {
  const [reported, setReported] = useState(false);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  if (reported) {
    return (
      <p role="status" className="flex h-full items-center rounded-xl border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600" data-testid="lesson-card-reported">
        Thanks — “{lesson.title}” is reported and gone from your feed.
      </p>
    );
  }
  return (
    <article className="flex h-full flex-col rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition-shadow hover:shadow-md" data-testid="lesson-card" data-lesson-id={lesson.id}>
      <div className="flex items-center gap-2 text-xs text-slate-600">
        <span className="truncate">
          {lesson.subjectName} · {lesson.topicName}
        </span>
        <span className="ml-auto shrink-0">
          <DifficultyBadge difficulty={lesson.difficulty} />
        </span>
      </div>
      <Heading className="mt-2 text-base font-semibold leading-snug text-slate-900">
        <Link href={`/lessons/${lesson.id}`} className="rounded hover:text-brand-700 hover:underline">
          {lesson.title}
        </Link>
      </Heading>
      <p className="mt-1.5 line-clamp-3 text-sm leading-relaxed text-slate-600">{lessonExcerpt(lesson.content.content)}</p>
      {actions || reportable ? (
        <div className="mt-auto flex flex-wrap items-center gap-2 pt-4">
          {actions}
          {reportable ? (
            <span className="ml-auto">
              <ReportLesson
                lessonId={lesson.id}
                lessonTitle={lesson.title}
                onReported={() => {
                  setReported(true);
                  onReported?.(lesson.id);
                }}
              />
            </span>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
