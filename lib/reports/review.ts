// The admin review queue: lessons with open reports, and the review that removes a lesson or dismisses
// its reports. Called with the admin's own connection; the SQL refuses anyone else too.
import "server-only";
import type { AdminReportsResponse, ReviewAction, ReviewLessonResponse } from "@/lib/contracts/reports";
import type { Db } from "@/lib/db/port";

export function reviewQueue(db: Db, opts: { limit?: number } = {}): Promise<AdminReportsResponse> {
  return db.rpc("admin_lesson_reports", { p_limit: opts.limit });
}

export function reviewLesson(db: Db, lessonId: string, action: ReviewAction): Promise<ReviewLessonResponse> {
  return db.rpc("admin_review_lesson", { p_lesson_id: lessonId, p_action: action });
}
