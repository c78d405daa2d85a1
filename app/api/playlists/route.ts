// GET|POST /api/playlists — the viewer's playlists; create one
import { readJsonBody } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { createPlaylistBody } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const GET = withViewer(async (_req, { viewer }) => Response.json(await (await viewerDb(viewer)).rpc("list_playlists")));

export const POST = withViewer(async (req, { viewer }) => {
  const body = await readJsonBody(req, createPlaylistBody);
  const db = await viewerDb(viewer);
  return Response.json(await db.rpc("create_playlist", { p_title: body.title, p_description: body.description ?? null }), { status: 201 });
});
