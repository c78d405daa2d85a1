// Client for POST /api/playlists/{id}/generate-similar with `Accept: application/x-ndjson` (docs/api.md).
import type { UsageSummary } from "@/lib/generation/usage-tally";
import type { Difficulty, LessonRecord } from "@/lib/lessons/types";
import { ApiError, toApiError } from "./api-client";
import { readNdjson } from "./ndjson-reader";

/** The `done` event's usage totals, as lib/generation sums them. */
export type GenerationUsage = UsageSummary;

export interface QuotaSnapshot {
  remaining: number;
  resetsAt: string;
}

export type GenerationEvent =
  | { type: "started"; requestId: string; count: number; plan: { calls: number; perCall: number; model: string } }
  | { type: "lesson"; index: number; lesson: LessonRecord; via: string }
  | { type: "lesson_failed"; index: number; error: { code: string; message: string } }
  | { type: "done"; succeeded: number; failed: number; usage: GenerationUsage; quota: QuotaSnapshot };

export interface GenerateSimilarBody {
  count: number;
  difficulty?: Difficulty;
  instructions?: string;
}

/**
 * Starts a generation and calls `onEvent` for every streamed event in arrival order.
 * Resolves with the `done` event; throws ApiError when the server refuses (quota, rate limit, bad input)
 * or when the stream ends without `done`.
 */
export async function streamGenerateSimilar(
  playlistId: string,
  body: GenerateSimilarBody,
  onEvent: (event: GenerationEvent) => void,
  opts: { signal?: AbortSignal; idempotencyKey?: string } = {},
): Promise<Extract<GenerationEvent, { type: "done" }>> {
  const res = await fetch(`/api/playlists/${encodeURIComponent(playlistId)}/generate-similar`, {
    method: "POST",
    headers: {
      Accept: "application/x-ndjson",
      "Content-Type": "application/json",
      "Idempotency-Key": opts.idempotencyKey ?? crypto.randomUUID(),
    },
    body: JSON.stringify(body),
    signal: opts.signal,
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!res.ok) throw await toApiError(res);

  // A server that answers with one JSON body instead of a stream still gives the same events.
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("ndjson") || !res.body) {
    const whole = (await res.json()) as {
      requestId: string;
      lessons: LessonRecord[];
      failed: { index: number; error: { code: string; message: string } }[];
      usage: GenerationUsage;
      quota: QuotaSnapshot;
    };
    onEvent({ type: "started", requestId: whole.requestId, count: body.count, plan: { calls: 0, perCall: 0, model: "" } });
    const failedIdx = new Set(whole.failed.map((f) => f.index));
    let slot = 0;
    for (const lesson of whole.lessons) {
      while (failedIdx.has(slot)) slot++;
      onEvent({ type: "lesson", index: slot++, lesson, via: "batch" });
    }
    for (const f of whole.failed) onEvent({ type: "lesson_failed", index: f.index, error: f.error });
    const done = {
      type: "done" as const,
      succeeded: whole.lessons.length,
      failed: whole.failed.length,
      usage: whole.usage,
      quota: whole.quota,
    };
    onEvent(done);
    return done;
  }

  for await (const event of readNdjson<GenerationEvent | { type: "error"; error: { code: string; message: string } }>(res.body, opts.signal)) {
    if (event.type === "error") throw new ApiError(500, event.error.code, event.error.message);
    onEvent(event);
    if (event.type === "done") return event;
  }
  throw new ApiError(502, "stream_ended", "The connection closed before generation finished. Reload to see what was saved.");
}
