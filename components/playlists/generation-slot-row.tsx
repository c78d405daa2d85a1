import Link from "next/link";
import { DifficultyBadge } from "@/components/lessons/difficulty-badge";
import { lessonExcerpt } from "@/components/lessons/lesson-excerpt";
import { RowFrame } from "./row-frame";
import type { Slot } from "./use-generate-similar";

// A requested lesson while it is being written: a skeleton, then the lesson, or the reason it failed.
export function GenerationSlotRow({ slot, position, onRetry, retryDisabled }: { slot: Slot; position: number; onRetry: () => void; retryDisabled: boolean }) {
  if (slot.state === "pending") {
    return (
      <RowFrame position={position} tone="pending" testId="lesson-slot" state="pending">
        <div className="min-w-0 flex-1" aria-hidden>
          <div className="h-3 w-28 animate-pulse rounded bg-brand-100" />
          <div className="mt-2 h-4 w-3/4 animate-pulse rounded bg-brand-100" />
          <div className="mt-2 h-3 w-5/6 animate-pulse rounded bg-slate-200/70" />
        </div>
        <span className="shrink-0 text-xs font-medium text-brand-700">Writing…</span>
      </RowFrame>
    );
  }
  if (slot.state === "failed") {
    return (
      <RowFrame position={position} tone="failed" testId="lesson-slot" state="failed">
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold text-red-800">This lesson couldn’t be written</p>
          <p className="mt-0.5 line-clamp-2 text-sm text-red-800">{slot.error.message}</p>
        </div>
        <button
          type="button"
          onClick={onRetry}
          disabled={retryDisabled}
          className="h-9 shrink-0 rounded-lg border border-red-300 bg-white px-3 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-50"
        >
          Retry
        </button>
      </RowFrame>
    );
  }
  const { lesson } = slot;
  return (
    <RowFrame position={position} testId="lesson-slot" state="done">
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-2 text-xs text-slate-600">
          <span className="truncate">{lesson.topicName}</span>
          <DifficultyBadge difficulty={lesson.difficulty} />
          <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-inset ring-emerald-200">New</span>
        </div>
        <p className="mt-1 line-clamp-2 text-[0.95rem] font-semibold leading-snug text-slate-900 sm:line-clamp-1 sm:text-base">
          <Link href={`/lessons/${lesson.id}`} className="rounded hover:text-brand-700 hover:underline">
            {lesson.title}
          </Link>
        </p>
        <p className="mt-0.5 hidden text-sm text-slate-600 sm:line-clamp-1">{lessonExcerpt(lesson.content.content, 120)}</p>
      </div>
    </RowFrame>
  );
}
