import type { LessonRecord } from "@/lib/lessons/types";
import { LessonSummary } from "./lesson-summary";
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
      <LessonSummary lesson={lesson} isNew={isNew} titleId={titleId} />
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
