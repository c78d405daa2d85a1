// Shapes a prepared "generate similar" run as HTTP: streamed NDJSON events when asked for, else one
// JSON body once everything is saved and settled.
import "server-only";
import { AppError } from "@/lib/api/errors";
import { ndjsonResponse, wantsNdjson } from "@/lib/api/ndjson";
import { replayEvents, type Prepared, type SimilarResult } from "./similar";

const REPLAYED = { "Idempotent-Replayed": "true" };

const providerCodes = new Set(["provider_unavailable", "rate_limited", "provider_error"]);

/** Nothing came back and the provider is why (not the learner leaving, not bad model output). */
function providerFailed(result: SimilarResult, engineError: unknown): boolean {
  if (result.lessons.length > 0) return false;
  return Boolean(engineError) || (result.failed.length > 0 && result.failed.every((f) => providerCodes.has(f.error.code)));
}

function providerUnavailable(result: SimilarResult): AppError {
  return new AppError("provider_unavailable", undefined, { requestId: result.requestId, failed: result.failed });
}

function jsonBody(result: SimilarResult) {
  return { requestId: result.requestId, lessons: result.lessons, failed: result.failed, usage: result.usage, quota: result.quota };
}

export async function similarResponse(req: Request, prepared: Prepared): Promise<Response> {
  if (prepared.kind === "replay") {
    if (!wantsNdjson(req)) {
      if (providerFailed(prepared.result, null)) throw providerUnavailable(prepared.result);
      return Response.json(jsonBody(prepared.result), { headers: REPLAYED });
    }
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
  if (providerFailed(result, engineError)) throw providerUnavailable(result);
  return Response.json(jsonBody(result));
}
