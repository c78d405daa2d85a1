// POST /api/lessons/[id]/report — report a lesson (once per learner; again → 409)
import { parseWith, readJsonBody } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { viewerDb } from "@/lib/api/viewer-db";
import { idParams, reportLessonBody, type ReportLessonResponse } from "@/lib/contracts";
import { reportLesson } from "@/lib/reports/report-lesson";

export const dynamic = "force-dynamic";

export const POST = withViewer(async (req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  const body = await readJsonBody(req, reportLessonBody);
  const report = await reportLesson(await viewerDb(viewer), id, body);
  return Response.json({ report } satisfies ReportLessonResponse, { status: 201, headers: { "Cache-Control": "no-store" } });
});
