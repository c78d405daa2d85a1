"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import type { LessonRecord } from "@/lib/lessons/types";
import { apiFetch, describeError } from "@/lib/ui/api-client";
import { playlistResponse, type PlaylistDetail, type PlaylistSummary, type Quota } from "@/lib/contracts";
import { GenerateSimilarForm } from "./generate-similar-form";
import { GenerationSlotRow } from "./generation-slot-row";
import { PlaylistLessonRow, RegeneratingRow, RemovedLessonRow } from "./playlist-lesson-row";
import { PlaylistTitleBar } from "./playlist-title-bar";
import { useGenerateSimilar } from "./use-generate-similar";
import { useRegenerateLesson } from "./use-regenerate-lesson";

/** A lesson removed after review keeps its place in the playlist as a placeholder. */
type RemovedRow = { id: string; removed: true };
type Row = LessonRecord | RemovedRow;
const isRemoved = (row: Row): row is RemovedRow => "removed" in row;

/** The playlist's lessons and removed placeholders, in playlist order. */
function rowsOf(p: PlaylistDetail): Row[] {
  const placed: [number, Row][] = [
    ...p.lessons.map((l): [number, Row] => [l.position, l]),
    ...p.removed.map((r): [number, Row] => [r.position, { id: r.lessonId, removed: true }]),
  ];
  return placed.sort(([a], [b]) => a - b).map(([, row]) => row);
}

// One playlist: its lessons (reorder, remove, regenerate one in place), and "Generate similar" streaming
// new ones in place.
export function PlaylistView({ initial, quota: initialQuota }: { initial: PlaylistDetail; quota: Quota | null }) {
  const [summary, setSummary] = useState<PlaylistSummary>(initial);
  const [lessons, setLessons] = useState<Row[]>(() => rowsOf(initial));
  const [newIds, setNewIds] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [lastBody, setLastBody] = useState<{ difficulty?: LessonRecord["difficulty"]; instructions?: string }>({});

  const onLessons = useCallback((arrived: LessonRecord[]) => {
    setLessons((current) => {
      const have = new Set(current.map((l) => l.id));
      return [...current, ...arrived.filter((l) => !have.has(l.id))];
    });
    setNewIds((s) => new Set([...s, ...arrived.map((l) => l.id)]));
  }, []);
  const gen = useGenerateSimilar(initial.id, initialQuota, onLessons);
  const onReplaced = useCallback((oldId: string, lesson: LessonRecord) => {
    setLessons((current) => current.map((row) => (row.id === oldId ? lesson : row)));
    setNewIds((s) => new Set([...s, lesson.id]));
  }, []);
  const onRegenerateError = useCallback((_oldId: string, message: string) => setError(`Couldn’t regenerate the lesson: ${message}`), []);
  const regen = useRegenerateLesson(initial.id, onReplaced, onRegenerateError, gen.quotaChanged);
  const locked = gen.running || regen.busy;

  async function move(index: number, delta: -1 | 1) {
    const target = index + delta;
    if (target < 0 || target >= lessons.length) return;
    const before = lessons;
    const next = [...lessons];
    [next[index], next[target]] = [next[target], next[index]];
    setLessons(next);
    setError(null);
    try {
      await apiFetch(`/api/playlists/${initial.id}/lessons`, playlistResponse, { method: "PUT", body: { lessonIds: next.map((l) => l.id) } });
    } catch (e) {
      setLessons(before);
      setError(`Couldn’t reorder: ${describeError(e)}`);
    }
  }

  async function remove(lesson: Row) {
    const before = lessons;
    setLessons(lessons.filter((l) => l.id !== lesson.id));
    setError(null);
    try {
      await apiFetch(`/api/playlists/${initial.id}/lessons/${lesson.id}`, playlistResponse, { method: "DELETE" });
    } catch (e) {
      setLessons(before);
      setError(`Couldn’t remove “${isRemoved(lesson) ? "the removed lesson" : lesson.title}”: ${describeError(e)}`);
    }
  }

  const total = lessons.length + gen.slots.length;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/playlists" className="rounded text-brand-700 hover:underline">
          ← All playlists
        </Link>
      </nav>
      <PlaylistTitleBar playlist={summary} onRenamed={(p) => setSummary((s) => ({ ...s, ...p }))} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:items-start">
        <section aria-labelledby="lessons-heading" className="min-w-0">
          <h2 id="lessons-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-600">
            {lessons.length} lesson{lessons.length === 1 ? "" : "s"}
            {summary.topicName ? ` · ${summary.topicName}` : ""}
          </h2>
          {error ? (
            <p role="alert" className="mt-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          ) : null}
          {total === 0 ? (
            <div className="mt-3 rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
              <p className="font-medium text-slate-900">This playlist is empty</p>
              <p className="mx-auto mt-1 max-w-sm text-sm text-slate-600">
                Open any lesson from <Link href="/" className="text-brand-700 underline">your feed</Link> and choose “Add to playlist”.
              </p>
            </div>
          ) : (
            <ol className="mt-3 space-y-2" aria-label="Lessons in this playlist">
              {lessons.map((lesson, i) => (
                <li key={lesson.id}>
                  {regen.running.has(lesson.id) ? (
                    <RegeneratingRow position={i + 1} />
                  ) : isRemoved(lesson) ? (
                    <RemovedLessonRow
                      lessonId={lesson.id}
                      position={i + 1}
                      isFirst={i === 0}
                      isLast={i === lessons.length - 1}
                      locked={locked}
                      onMove={(d) => void move(i, d)}
                      onRemove={() => void remove(lesson)}
                      onRegenerate={(instructions) => void regen.start(lesson.id, instructions)}
                    />
                  ) : (
                    <PlaylistLessonRow
                      lesson={lesson}
                      position={i + 1}
                      isFirst={i === 0}
                      isLast={i === lessons.length - 1}
                      locked={locked}
                      isNew={newIds.has(lesson.id)}
                      onMove={(d) => void move(i, d)}
                      onRemove={() => void remove(lesson)}
                      onRegenerate={(instructions) => {
                        setError(null);
                        void regen.start(lesson.id, instructions);
                      }}
                    />
                  )}
                </li>
              ))}
              {gen.slots.map((slot, i) => (
                <li key={slot.key}>
                  <GenerationSlotRow slot={slot} position={lessons.length + i + 1} retryDisabled={gen.running} onRetry={() => gen.retry(slot.key, lastBody)} />
                </li>
              ))}
            </ol>
          )}
        </section>

        <aside className="lg:sticky lg:top-20">
          <GenerateSimilarForm
            status={gen.status}
            quota={gen.quota}
            disabledReason={lessons.length === 0 ? "Add a lesson first so we know what “similar” means." : null}
            onGenerate={(body) => {
              setLastBody({ difficulty: body.difficulty, instructions: body.instructions });
              gen.generate(body);
            }}
          />
        </aside>
      </div>
    </div>
  );
}
