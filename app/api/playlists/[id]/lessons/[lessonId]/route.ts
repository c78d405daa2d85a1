// DELETE /api/playlists/[id]/lessons/[lessonId] — take a lesson out of a playlist
import { parseWith } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { playlistLessonParams } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const DELETE = withViewer(async (_req, { viewer, params }) => {
  const { id, lessonId } = parseWith(playlistLessonParams, params);
  return Response.json(await (await viewerDb(viewer)).rpc("remove_playlist_lesson", { p_playlist_id: id, p_lesson_id: lessonId }));
});
