// POST /api/playlists/[id]/lessons/[lessonId]/regenerate — a new lesson in this one's place (JSON, or NDJSON as generate-similar)
import { parseWith, readJsonBody } from "@/lib/api/body";
import { clientIp } from "@/lib/api/client-ip";
import { withViewer } from "@/lib/api/handler";
import { idempotencyKey, playlistLessonParams, regenerateLessonBody } from "@/lib/contracts";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import { prepareRegenerate } from "@/lib/generation/regenerate";
import { similarResponse } from "@/lib/generation/similar-response";

export const dynamic = "force-dynamic";

export const POST = withViewer(async (req, { viewer, params }) => {
  const { id, lessonId } = parseWith(playlistLessonParams, params);
  const body = await readJsonBody(req, regenerateLessonBody, { allowEmpty: true });
  const key = req.headers.get("idempotency-key");
  const prepared = await prepareRegenerate(
    { userId: viewer.userId, playlistId: id, lessonId, body, idempotencyKey: key === null ? null : parseWith(idempotencyKey, key), ip: clientIp(req) },
    defaultGenerationDeps(),
  );
  return similarResponse(req, prepared);
});
