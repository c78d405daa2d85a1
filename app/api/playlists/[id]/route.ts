// GET|PATCH|DELETE /api/playlists/[id] — one playlist with its lessons; rename or describe it; delete it
import { parseWith, readJsonBody } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { idParams, updatePlaylistBody } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const GET = withViewer(async (_req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  return Response.json(await (await viewerDb(viewer)).rpc("get_playlist", { p_playlist_id: id }));
});

export const PATCH = withViewer(async (req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  const body = await readJsonBody(req, updatePlaylistBody);
  const db = await viewerDb(viewer);
  return Response.json(await db.rpc("update_playlist", { p_playlist_id: id, p_title: body.title ?? null, p_description: body.description ?? null }));
});

export const DELETE = withViewer(async (_req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  return Response.json(await (await viewerDb(viewer)).rpc("delete_playlist", { p_playlist_id: id }));
});
