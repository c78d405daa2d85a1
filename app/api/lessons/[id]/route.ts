// GET /api/lessons/[id] — one lesson
import { parseWith } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { idParams } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const GET = withViewer(async (_req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  return Response.json({ lesson: await (await viewerDb(viewer)).rpc("get_lesson", { p_lesson_id: id }) });
});
