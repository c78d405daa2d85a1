import Link from "next/link";
import { DifficultyBadge } from "@/components/lessons/difficulty-badge";
import { lessonExcerpt } from "@/components/lessons/lesson-excerpt";
import type { LessonRecord } from "@/lib/lessons/types";

// What a playlist row says about a lesson: topic, difficulty, "New" when just generated, title and excerpt.
export function LessonSummary({ lesson, isNew, titleId }: { lesson: LessonRecord; isNew: boolean; titleId?: string }) {
  return (
    <div className="min-w-0 flex-1">
      <div className="flex items-center gap-2 text-xs text-slate-600">
        <span className="truncate">{lesson.topicName}</span>
        <DifficultyBadge difficulty={lesson.difficulty} />
        {isNew ? (
          <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-inset ring-emerald-200">New</span>
        ) : null}
      </div>
      <p className="mt-1 line-clamp-2 text-[0.95rem] font-semibold leading-snug text-slate-900 sm:line-clamp-1 sm:text-base">
        <Link id={titleId} href={`/lessons/${lesson.id}`} className="rounded hover:text-brand-700 hover:underline">
          {lesson.title}
        </Link>
      </p>
      <p className="mt-0.5 hidden text-sm text-slate-600 sm:line-clamp-1">{lessonExcerpt(lesson.content.content, 120)}</p>
    </div>
  );
}
