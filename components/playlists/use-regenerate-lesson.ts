"use client";

import { useCallback, useRef, useState } from "react";
import type { LessonRecord } from "@/lib/contracts";
import { generationEventSchema, type DoneEvent } from "@/lib/contracts/generation-stream";
import type { RegenerateLessonBody } from "@/lib/contracts/reports";
import { ApiError, describeError, toApiError } from "@/lib/ui/api-client";
import { readNdjson } from "@/lib/ui/ndjson-reader";

/** What a stream or a refusal said about the learner's daily quota (a refusal may omit the reset time). */
export type QuotaUpdate = { remaining: number; resetsAt?: string | null };

/** Lessons being rewritten, by the id of the lesson they replace. */
export type Regenerating = ReadonlySet<string>;

/**
 * Regenerates one playlist lesson through POST …/lessons/{lessonId}/regenerate, streamed with the
 * generate-similar contract (one slot). The new lesson arrives in the old one's place: `onReplaced` swaps it.
 * The quota it spent (the `done` event's, or a refusal's) goes to `onQuota`, so the page's quota line follows.
 */
export function useRegenerateLesson(
  playlistId: string,
  onReplaced: (oldId: string, lesson: LessonRecord) => void,
  onError: (oldId: string, message: string) => void,
  onQuota?: (quota: QuotaUpdate) => void,
) {
  const [running, setRunning] = useState<Regenerating>(new Set());
  const busy = useRef(new Set<string>());

  const start = useCallback(
    async (lessonId: string, instructions?: string) => {
      if (busy.current.has(lessonId)) return;
      busy.current.add(lessonId);
      setRunning(new Set(busy.current));
      const body: RegenerateLessonBody = instructions?.trim() ? { instructions: instructions.trim() } : {};
      try {
        const res = await fetch(`/api/playlists/${encodeURIComponent(playlistId)}/lessons/${encodeURIComponent(lessonId)}/regenerate`, {
          method: "POST",
          headers: { Accept: "application/x-ndjson", "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
          body: JSON.stringify(body),
          credentials: "same-origin",
          cache: "no-store",
        });
        if (!res.ok) throw await toApiError(res);
        if (!res.body) throw new ApiError(502, "bad_response", "The server sent no answer. Reload to see what was saved.");
        let done: DoneEvent | null = null;
        for await (const line of readNdjson(res.body)) {
          const parsed = generationEventSchema.safeParse(line);
          if (!parsed.success) throw new ApiError(502, "bad_response", "The server sent an answer this page does not understand. Reload to see what was saved.");
          const event = parsed.data;
          if (event.type === "error") throw new ApiError(500, event.error.code, event.error.message);
          if (event.type === "lesson") onReplaced(lessonId, event.lesson);
          if (event.type === "lesson_failed") onError(lessonId, event.error.message);
          if (event.type === "done") {
            done = event;
            break;
          }
        }
        if (!done) throw new ApiError(502, "stream_ended", "The connection closed before the lesson was written. Reload to see what was saved.");
        onQuota?.(done.quota);
      } catch (e) {
        if (e instanceof ApiError && e.code === "quota_exceeded") {
          const d = (e.details ?? {}) as { remaining?: unknown; resetsAt?: unknown };
          onQuota?.({ remaining: typeof d.remaining === "number" ? d.remaining : 0, resetsAt: typeof d.resetsAt === "string" ? d.resetsAt : null });
          onError(lessonId, "You have used today’s lesson quota; try again after it resets.");
        } else onError(lessonId, describeError(e));
      } finally {
        busy.current.delete(lessonId);
        setRunning(new Set(busy.current));
      }
    },
    [playlistId, onReplaced, onError, onQuota],
  );

  return { running, start, busy: running.size > 0 };
}
