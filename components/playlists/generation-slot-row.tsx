import { LessonSummary } from "./lesson-summary";
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
  return (
    <RowFrame position={position} testId="lesson-slot" state="done">
      <LessonSummary lesson={slot.lesson} isNew />
    </RowFrame>
  );
}
