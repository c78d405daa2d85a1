// POST /api/playlists/[id]/generate-similar — new lessons like the playlist's (JSON, or NDJSON as they arrive)
import { readJsonBody, parseWith } from "@/lib/api/body";
import { clientIp } from "@/lib/api/client-ip";
import { withViewer } from "@/lib/api/handler";
import { generateSimilarBody, idempotencyKey, idParams } from "@/lib/contracts";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import { prepareSimilar } from "@/lib/generation/similar";
import { similarResponse } from "@/lib/generation/similar-response";

export const dynamic = "force-dynamic";

export const POST = withViewer(async (req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  const body = await readJsonBody(req, generateSimilarBody);
  const key = req.headers.get("idempotency-key");
  const prepared = await prepareSimilar(
    { userId: viewer.userId, playlistId: id, body, idempotencyKey: key === null ? null : parseWith(idempotencyKey, key), ip: clientIp(req) },
    defaultGenerationDeps(),
  );
  return similarResponse(req, prepared);
});
