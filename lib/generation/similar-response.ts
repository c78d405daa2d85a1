// Shapes a prepared "generate similar" run as HTTP: streamed NDJSON events when asked for, else one
// JSON body once everything is saved and settled.
import "server-only";
import { AppError } from "@/lib/api/errors";
import { ndjsonResponse, wantsNdjson } from "@/lib/api/ndjson";
import { replayEvents, type Prepared, type SimilarResult } from "./similar";

const REPLAYED = { "Idempotent-Replayed": "true" };

function jsonBody(result: SimilarResult) {
  return { requestId: result.requestId, lessons: result.lessons, failed: result.failed, usage: result.usage, quota: result.quota };
}

export async function similarResponse(req: Request, prepared: Prepared): Promise<Response> {
  if (prepared.kind === "replay") {
    if (!wantsNdjson(req)) return Response.json(jsonBody(prepared.result), { headers: REPLAYED });
    const events = replayEvents(prepared.result);
    return ndjsonResponse(async (emit) => events.forEach(emit), { headers: REPLAYED });
  }
  if (wantsNdjson(req)) {
    return ndjsonResponse(
      async (emit, signal) => {
        emit(prepared.started);
        await prepared.run({ signal, emit });
      },
      { requestSignal: req.signal },
    );
  }
  const { result, engineError } = await prepared.run({ signal: req.signal });
  // Nothing came back because the provider is down: say so with a 503 (the quota was refunded).
  if (result.lessons.length === 0 && engineError) {
    throw new AppError("provider_unavailable", undefined, { requestId: result.requestId, failed: result.failed });
  }
  return Response.json(jsonBody(result));
}
