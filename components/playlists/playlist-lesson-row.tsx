"use client";

import type { LessonRecord } from "@/lib/lessons/types";
import { LessonSummary } from "./lesson-summary";
import { RegenerateButton } from "./regenerate-button";
import { RowFrame } from "./row-frame";

const iconButton =
  "grid h-8 w-8 sm:h-9 sm:w-9 place-items-center rounded-lg border border-slate-200 bg-white text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-40";

// A lesson in a playlist, with keyboard-reachable move, regenerate and remove controls.
export function PlaylistLessonRow({
  lesson,
  position,
  isFirst,
  isLast,
  locked,
  isNew = false,
  onMove,
  onRemove,
  onRegenerate,
}: {
  lesson: LessonRecord;
  position: number;
  isFirst: boolean;
  isLast: boolean;
  locked: boolean;
  isNew?: boolean;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  onRegenerate?: (instructions: string) => void;
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
        {onRegenerate ? <RegenerateButton lessonTitle={lesson.title} className={iconButton} disabled={locked} describedBy={titleId} onRegenerate={onRegenerate} /> : null}
        <RemoveButton describedBy={titleId} disabled={locked} onRemove={onRemove} />
      </div>
    </RowFrame>
  );
}

/** A lesson being rewritten in place: a skeleton at its position until the new lesson arrives. */
export function RegeneratingRow({ position }: { position: number }) {
  return (
    <RowFrame position={position} tone="pending" testId="playlist-lesson" state="regenerating">
      <div className="min-w-0 flex-1" aria-hidden>
        <div className="h-3 w-28 animate-pulse rounded bg-brand-100" />
        <div className="mt-2 h-4 w-3/4 animate-pulse rounded bg-brand-100" />
        <div className="mt-2 h-3 w-5/6 animate-pulse rounded bg-slate-200/70" />
      </div>
      <span role="status" className="shrink-0 text-xs font-medium text-brand-700">
        Rewriting…
      </span>
    </RowFrame>
  );
}

/** Where a lesson removed after review used to be: it can be replaced by a new one, or taken out. */
export function RemovedLessonRow({
  lessonId,
  position,
  isFirst,
  isLast,
  locked,
  onMove,
  onRemove,
  onRegenerate,
}: {
  lessonId: string;
  position: number;
  isFirst: boolean;
  isLast: boolean;
  locked: boolean;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  onRegenerate: (instructions: string) => void;
}) {
  const textId = `removed-lesson-${lessonId}`;
  return (
    <RowFrame position={position} testId="playlist-lesson" state="removed">
      <div className="min-w-0 flex-1">
        <p id={textId} className="text-sm font-semibold text-slate-800">
          Lesson removed
        </p>
        <p className="mt-0.5 line-clamp-2 text-sm text-slate-600">A reviewer took this lesson out of the library. Replace it with a new one, or remove it.</p>
      </div>
      <div className="flex shrink-0 items-center gap-0.5 sm:gap-1">
        <button type="button" className={iconButton} aria-label="Move up" aria-describedby={textId} title="Move up" disabled={locked || isFirst} onClick={() => onMove(-1)}>
          <Arrow up />
        </button>
        <button type="button" className={iconButton} aria-label="Move down" aria-describedby={textId} title="Move down" disabled={locked || isLast} onClick={() => onMove(1)}>
          <Arrow />
        </button>
        <RegenerateButton lessonTitle="the removed lesson" className={iconButton} disabled={locked} describedBy={textId} onRegenerate={onRegenerate} />
        <RemoveButton describedBy={textId} disabled={locked} onRemove={onRemove} />
      </div>
    </RowFrame>
  );
}

function RemoveButton({ describedBy, disabled, onRemove }: { describedBy: string; disabled: boolean; onRemove: () => void }) {
  return (
    <button type="button" className={`${iconButton} hover:text-red-700`} aria-label="Remove" aria-describedby={describedBy} title="Remove from playlist" disabled={disabled} onClick={onRemove}>
      <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
        <path d="M5 5l10 10M15 5L5 15" />
      </svg>
    </button>
  );
}

function Arrow({ up = false }: { up?: boolean }) {
  return (
    <svg aria-hidden viewBox="0 0 20 20" className={`h-4 w-4 ${up ? "" : "rotate-180"}`} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M10 16V4M5 9l5-5 5 5" />
    </svg>
  );
}
