// A learner reports a lesson: once per lesson (a second report is a 409 that changes nothing). The
// database takes the lesson out of the learner's feed and holds it for review at three open reports.
import "server-only";
import { AppError } from "@/lib/api/errors";
import type { LessonReport, ReportLessonBody } from "@/lib/contracts/reports";
import type { Db } from "@/lib/db/port";

/** `db` is the learner's own (authenticated) connection: the report is theirs, by auth.uid(). */
export async function reportLesson(db: Db, lessonId: string, body: ReportLessonBody): Promise<LessonReport> {
  const out = await db.rpc("report_lesson", { p_lesson_id: lessonId, p_reason: body.reason, p_note: body.note || null });
  if (out.state === "already_reported") {
    throw new AppError("conflict", "You have already reported this lesson.", { report: out.report });
  }
  return out.report;
}
