// POST /api/fyp/seen — mark a feed lesson as seen
import { readJsonBody } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { lessonIdBody } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const POST = withViewer(async (req, { viewer }) => {
  const body = await readJsonBody(req, lessonIdBody);
  return Response.json(await (await viewerDb(viewer)).rpc("mark_feed_seen", { p_lesson_id: body.lessonId }));
});
