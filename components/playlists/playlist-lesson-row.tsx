import Link from "next/link";
import { DifficultyBadge } from "@/components/lessons/difficulty-badge";
import { lessonExcerpt } from "@/components/lessons/lesson-excerpt";
import type { LessonRecord } from "@/lib/lessons/types";
import { RowFrame } from "./row-frame";

const iconButton =
  "grid h-8 w-8 sm:h-9 sm:w-9 place-items-center rounded-lg border border-slate-200 bg-white text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-40";

// A lesson in a playlist, with keyboard-reachable move and remove controls.
export function PlaylistLessonRow({
  lesson,
  position,
  isFirst,
  isLast,
  locked,
  isNew = false,
  onMove,
  onRemove,
}: {
  lesson: LessonRecord;
  position: number;
  isFirst: boolean;
  isLast: boolean;
  locked: boolean;
  isNew?: boolean;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const titleId = `lesson-title-${lesson.id}`;
  return (
    <RowFrame position={position} testId="playlist-lesson" state="saved">
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
      <div className="flex shrink-0 items-center gap-0.5 sm:gap-1">
        <button type="button" className={iconButton} aria-label="Move up" aria-describedby={titleId} title="Move up" disabled={locked || isFirst} onClick={() => onMove(-1)}>
          <Arrow up />
        </button>
        <button type="button" className={iconButton} aria-label="Move down" aria-describedby={titleId} title="Move down" disabled={locked || isLast} onClick={() => onMove(1)}>
          <Arrow />
        </button>
        <button type="button" className={`${iconButton} hover:text-red-700`} aria-label="Remove" aria-describedby={titleId} title="Remove from playlist" disabled={locked} onClick={onRemove}>
          <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <path d="M5 5l10 10M15 5L5 15" />
          </svg>
        </button>
      </div>
    </RowFrame>
  );
}

function Arrow({ up = false }: { up?: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className={`h-4 w-4 ${up ? "" : "rotate-180"}`} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M10 16V4M5 9l5-5 5 5" />
    </svg>
  );
}
