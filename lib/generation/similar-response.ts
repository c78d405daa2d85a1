// Shapes a prepared "generate similar" run as HTTP: streamed NDJSON events when asked for, else one
// JSON body once everything is saved and settled. Both shapes come from lib/contracts/generation-stream.
import "server-only";
import { AppError } from "@/lib/api/errors";
import { ndjsonResponse, wantsNdjson } from "@/lib/api/ndjson";
import { similarResultSchema, type SimilarResponse, type SimilarResult } from "@/lib/contracts/generation-stream";
import { replayEvents, type Prepared } from "./similar";

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

function jsonBody(result: SimilarResult): SimilarResponse {
  return { requestId: result.requestId, lessons: result.lessons, failed: result.failed, usage: result.usage, quota: result.quota };
}

/** A stored result read back through the contract; damage is our fault, so a plain error (500), not a 400. */
function storedResult(stored: unknown): SimilarResult {
  const parsed = similarResultSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`A stored generate-similar result does not match the contract: ${parsed.error.message}`);
  return parsed.data;
}

export async function similarResponse(req: Request, prepared: Prepared): Promise<Response> {
  if (prepared.kind === "replay") {
    // A stored result is read back through the contract: a damaged one is our error (500, or the
    // stream's error line), never a malformed answer.
    if (!wantsNdjson(req)) {
      const result = storedResult(prepared.stored);
      if (providerFailed(result, null)) throw providerUnavailable(result);
      return Response.json(jsonBody(result), { headers: REPLAYED });
    }
    return ndjsonResponse(async (emit) => replayEvents(storedResult(prepared.stored)).forEach(emit), { headers: REPLAYED });
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
