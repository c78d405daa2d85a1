// Reporting a lesson, the admin review queue, and regenerating one playlist lesson: every wire shape
// once (docs/api.md). The two closed lists are the SQL domains public.report_reason and
// public.review_action (tests/db/value-lists.test.ts compares them).
import { z } from "zod";
import { id, isoInstant, lessonRecord } from "./entities";

/** Why a learner reports a lesson. */
export const reportReasons = ["wrong_answer", "unclear", "inappropriate", "duplicate", "other"] as const;
export const reportReason = z.enum(reportReasons);
export type ReportReason = z.infer<typeof reportReason>;

/** What an admin does with a reported lesson. */
export const reviewActions = ["remove", "dismiss"] as const;
export const reviewAction = z.enum(reviewActions);
export type ReviewAction = z.infer<typeof reviewAction>;

export const REPORT_NOTE_MAX = 500;
export const REGENERATE_INSTRUCTIONS_MAX = 500;

// ---- requests ---------------------------------------------------------------------------------------

export const reportLessonBody = z.strictObject({
  reason: reportReason,
  note: z.string().trim().max(REPORT_NOTE_MAX).optional(),
});
export type ReportLessonBody = z.infer<typeof reportLessonBody>;

export const reviewLessonBody = z.strictObject({ action: reviewAction });
export type ReviewLessonBody = z.infer<typeof reviewLessonBody>;

export const lessonIdParams = z.strictObject({ lessonId: id });

export const adminReportsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const regenerateLessonBody = z.strictObject({
  instructions: z.string().trim().max(REGENERATE_INSTRUCTIONS_MAX).optional(),
});
export type RegenerateLessonBody = z.infer<typeof regenerateLessonBody>;

// ---- entities and responses ----------------------------------------------------------------------------

/** A report as its author sees it. */
export const lessonReport = z.object({
  id,
  lessonId: id,
  reason: reportReason,
  note: z.string().nullable(),
  createdAt: isoInstant,
});
export type LessonReport = z.infer<typeof lessonReport>;

/** report_lesson: the new report, or the learner's earlier one. */
export const reportOutcome = z.object({ state: z.enum(["created", "already_reported"]), report: lessonReport });

/** POST /api/lessons/{id}/report → 201. */
export const reportLessonResponse = z.object({ report: lessonReport });
export type ReportLessonResponse = z.infer<typeof reportLessonResponse>;

export const reportedLesson = z.object({
  lesson: lessonRecord,
  /** Set when enough open reports hold the lesson back from new feeds. */
  heldAt: isoInstant.nullable(),
  privateToLearner: z.boolean(),
  /** Null for seed lessons. */
  generatedBy: z.object({ userId: id.nullable(), email: z.string().nullable(), model: z.string().nullable() }).nullable(),
  openReports: z.number().int(),
  reports: z.array(lessonReport.extend({ reporterId: id, reporterEmail: z.string().nullable() })),
});
export type ReportedLesson = z.infer<typeof reportedLesson>;

/** GET /api/admin/reports: lessons with open reports, most reported first. */
export const adminReportsResponse = z.object({ lessons: z.array(reportedLesson) });
export type AdminReportsResponse = z.infer<typeof adminReportsResponse>;

/** POST /api/admin/reports/{lessonId}. */
export const reviewLessonResponse = z.object({
  lessonId: id,
  action: reviewAction,
  reportsClosed: z.number().int(),
  removedAt: isoInstant.nullable(),
});
export type ReviewLessonResponse = z.infer<typeof reviewLessonResponse>;
