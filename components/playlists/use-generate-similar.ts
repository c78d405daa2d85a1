"use client";

import { useCallback, useRef, useState } from "react";
import type { GenerationPlan, LessonError, UsageSummary } from "@/lib/contracts/generation-stream";
import type { QuotaUpdate } from "./use-regenerate-lesson";
import type { LessonRecord } from "@/lib/lessons/types";
import { ApiError, describeError } from "@/lib/ui/api-client";
import type { Quota } from "@/lib/contracts";
import { streamGenerateSimilar, type GenerateSimilarBody } from "@/lib/ui/generate-similar-stream";

/** One requested lesson on screen: a placeholder until its event arrives. */
export type Slot =
  | { key: string; state: "pending" }
  | { key: string; state: "done"; lesson: LessonRecord }
  | { key: string; state: "failed"; error: LessonError };

export type RunStatus =
  | { kind: "idle" }
  | { kind: "running"; plan: GenerationPlan | null; ready: number; total: number }
  | { kind: "done"; succeeded: number; failed: number; usage: UsageSummary }
  | { kind: "quota"; asked: number; remaining: number; resetsAt: string | null }
  | { kind: "error"; message: string };

let slotCounter = 0;
const newKey = () => `slot-${Date.now().toString(36)}-${(slotCounter++).toString(36)}`;

/**
 * Runs "Generate similar" for a playlist and keeps one slot per requested lesson, so the page can show
 * a fixed-size placeholder that turns into the lesson (or the failure) when its event arrives.
 */
export function useGenerateSimilar(playlistId: string, initialQuota: Quota | null, onLessons: (lessons: LessonRecord[]) => void) {
  const [slots, setSlots] = useState<Slot[]>([]);
  const [status, setStatus] = useState<RunStatus>({ kind: "idle" });
  const [quota, setQuota] = useState<Quota | null>(initialQuota);
  const busy = useRef(false);

  const run = useCallback(
    async (body: GenerateSimilarBody, keys: string[]) => {
      if (busy.current) return;
      busy.current = true;
      const arrived: LessonRecord[] = [];
      setStatus({ kind: "running", plan: null, ready: 0, total: keys.length });
      try {
        const done = await streamGenerateSimilar(playlistId, body, (event) => {
          if (event.type === "started") {
            setStatus({ kind: "running", plan: event.plan, ready: 0, total: keys.length });
          } else if (event.type === "lesson") {
            const key = keys[event.index];
            arrived.push(event.lesson);
            setSlots((all) => all.map((s) => (s.key === key ? { key, state: "done", lesson: event.lesson } : s)));
            setStatus((st) => (st.kind === "running" ? { ...st, ready: st.ready + 1 } : st));
          } else if (event.type === "lesson_failed") {
            const key = keys[event.index];
            setSlots((all) => all.map((s) => (s.key === key ? { key, state: "failed", error: event.error } : s)));
            setStatus((st) => (st.kind === "running" ? { ...st, ready: st.ready + 1 } : st));
          }
        });
        setQuota((q) => (q ? { ...q, remaining: done.quota.remaining, resetsAt: done.quota.resetsAt } : q));
        setStatus({ kind: "done", succeeded: done.succeeded, failed: done.failed, usage: done.usage });
        // Saved lessons join the playlist proper; failed slots stay on screen with their retry.
        setSlots((all) => all.filter((s) => s.state !== "done"));
        onLessons(arrived);
      } catch (e) {
        const stillPending = new Set(keys);
        setSlots((all) => all.filter((s) => !(stillPending.has(s.key) && s.state === "pending")));
        if (arrived.length > 0) {
          setSlots((all) => all.filter((s) => s.state !== "done"));
          onLessons(arrived);
        }
        if (e instanceof ApiError && e.code === "quota_exceeded") {
          const d = (e.details ?? {}) as { remaining?: number; resetsAt?: string };
          const remaining = typeof d.remaining === "number" ? d.remaining : 0;
          const resetsAt = typeof d.resetsAt === "string" ? d.resetsAt : null;
          setQuota((q) => (q ? { ...q, remaining, resetsAt: resetsAt ?? q.resetsAt } : q));
          setStatus({ kind: "quota", asked: body.count, remaining, resetsAt: resetsAt ?? quota?.resetsAt ?? null });
        } else if (e instanceof ApiError && e.code === "rate_limited") {
          setStatus({ kind: "error", message: `Too many requests right now. Try again in ${e.retryAfterSeconds ?? 30} seconds.` });
        } else if (e instanceof ApiError && e.code === "playlist_empty") {
          setStatus({ kind: "error", message: "Add at least one lesson to this playlist first, so we know what “similar” means." });
        } else {
          setStatus({ kind: "error", message: describeError(e) });
        }
      } finally {
        busy.current = false;
      }
    },
    [playlistId, onLessons, quota?.resetsAt],
  );

  /** Adds `count` placeholders at once (so they appear together, before any lesson) and starts. */
  const generate = useCallback(
    (body: GenerateSimilarBody) => {
      if (busy.current) return;
      const keys = Array.from({ length: body.count }, newKey);
      setSlots((all) => [...all.filter((s) => s.state === "failed"), ...keys.map((key) => ({ key, state: "pending" as const }))]);
      void run(body, keys);
    },
    [run],
  );

  /** Tries one failed slot again, in place. */
  const retry = useCallback(
    (key: string, body: Omit<GenerateSimilarBody, "count">) => {
      if (busy.current) return;
      setSlots((all) => all.map((s) => (s.key === key ? { key, state: "pending" } : s)));
      void run({ ...body, count: 1 }, [key]);
    },
    [run],
  );

  /** The quota as another stream of this page reported it (a regenerated lesson spends one too). */
  const quotaChanged = useCallback((state: QuotaUpdate) => {
    setQuota((q) => (q ? { ...q, remaining: state.remaining, resetsAt: state.resetsAt ?? q.resetsAt } : q));
  }, []);

  return { slots, status, quota, quotaChanged, generate, retry, running: status.kind === "running" };
}
