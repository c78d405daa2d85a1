// Client for POST /api/playlists/{id}/generate-similar with `Accept: application/x-ndjson` (docs/api.md).
// Every line is parsed with the shared contract (lib/contracts/generation-stream.ts).
import type { GenerateSimilarBody } from "@/lib/contracts";
import { generationEventSchema, similarResponseSchema, type DoneEvent, type SimilarEvent } from "@/lib/contracts/generation-stream";
import { ApiError, toApiError } from "./api-client";
import { readNdjson } from "./ndjson-reader";

export type { GenerateSimilarBody };

/**
 * Starts a generation and calls `onEvent` for every streamed event in arrival order.
 * Resolves with the `done` event; throws ApiError when the server refuses (quota, rate limit, bad input),
 * sends a line the contract does not allow, or the stream ends without `done`.
 */
export async function streamGenerateSimilar(
  playlistId: string,
  body: GenerateSimilarBody,
  onEvent: (event: SimilarEvent) => void,
  opts: { signal?: AbortSignal; idempotencyKey?: string } = {},
): Promise<DoneEvent> {
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
    const parsed = similarResponseSchema.safeParse(await res.json());
    if (!parsed.success) throw badAnswer();
    const whole = parsed.data;
    onEvent({ type: "started", requestId: whole.requestId, count: body.count, plan: { calls: 0, perCall: 0, model: "" } });
    const slots: SimilarEvent[] = [
      ...whole.lessons.map(({ index, via, ...lesson }): SimilarEvent => ({ type: "lesson", index, lesson, via })),
      ...whole.failed.map(({ index, error }): SimilarEvent => ({ type: "lesson_failed", index, error })),
    ];
    slots.sort((a, b) => slotOf(a) - slotOf(b)).forEach(onEvent);
    const done: DoneEvent = { type: "done", succeeded: whole.lessons.length, failed: whole.failed.length, usage: whole.usage, quota: whole.quota };
    onEvent(done);
    return done;
  }

  for await (const line of readNdjson(res.body, opts.signal)) {
    const parsed = generationEventSchema.safeParse(line);
    if (!parsed.success) throw badAnswer();
    const event = parsed.data;
    if (event.type === "error") throw new ApiError(500, event.error.code, event.error.message);
    onEvent(event);
    if (event.type === "done") return event;
  }
  throw new ApiError(502, "stream_ended", "The connection closed before generation finished. Reload to see what was saved.");
}

function slotOf(e: SimilarEvent): number {
  return e.type === "lesson" || e.type === "lesson_failed" ? e.index : -1;
}

function badAnswer(): ApiError {
  return new ApiError(502, "bad_response", "The server sent an answer this page does not understand. Reload to see what was saved.");
}
