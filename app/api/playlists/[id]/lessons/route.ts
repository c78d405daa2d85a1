// POST|PUT /api/playlists/[id]/lessons — add a lesson to a playlist; reorder its lessons
import { parseWith, readJsonBody } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { idParams, lessonIdBody, reorderBody } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const POST = withViewer(async (req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  const body = await readJsonBody(req, lessonIdBody);
  const db = await viewerDb(viewer);
  return Response.json(await db.rpc("add_playlist_lesson", { p_playlist_id: id, p_lesson_id: body.lessonId }));
});

export const PUT = withViewer(async (req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  const body = await readJsonBody(req, reorderBody);
  const db = await viewerDb(viewer);
  return Response.json(await db.rpc("reorder_playlist", { p_playlist_id: id, p_lesson_ids: body.lessonIds }));
});
