// POST /api/admin/reports/[lessonId] — remove a reported lesson or dismiss its reports (admin only)
import { parseWith, readJsonBody } from "@/lib/api/body";
import { withAdmin } from "@/lib/api/handler";
import { viewerDb } from "@/lib/api/viewer-db";
import { lessonIdParams, reviewLessonBody } from "@/lib/contracts";
import { reviewLesson } from "@/lib/reports/review";

export const dynamic = "force-dynamic";

export const POST = withAdmin(async (req, { viewer, params }) => {
  const { lessonId } = parseWith(lessonIdParams, params);
  const { action } = await readJsonBody(req, reviewLessonBody);
  return Response.json(await reviewLesson(await viewerDb(viewer), lessonId, action), { headers: { "Cache-Control": "no-store" } });
});
