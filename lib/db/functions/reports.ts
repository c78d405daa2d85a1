// Reports and review (learners report, admins review) and the context of regenerating one playlist lesson.
import { z } from "zod";
import { id } from "@/lib/contracts/entities";
import { difficulty } from "@/lib/contracts/enums";
import { adminReportsResponse, reportOutcome, reviewLessonResponse } from "@/lib/contracts/reports";
import { fn } from "./contract";

export const reportFunctions = {
  // authenticated: acts on auth.uid()
  report_lesson: fn(z.object({ p_lesson_id: id, p_reason: z.string(), p_note: z.string().nullable().optional() }), reportOutcome),
  // authenticated, admins only (others get `forbidden`)
  admin_lesson_reports: fn(z.object({ p_limit: z.number().int().optional() }), adminReportsResponse),
  admin_review_lesson: fn(z.object({ p_lesson_id: id, p_action: z.string() }), reviewLessonResponse),
  // service_role
  lesson_regeneration_context: fn(
    z.object({ p_user_id: id, p_playlist_id: id, p_lesson_id: id }),
    z.object({
      playlistId: id,
      lessonId: id,
      position: z.number().int(),
      title: z.string(),
      subjectName: z.string(),
      topicId: id,
      topicName: z.string(),
      difficulty,
      avoidTitles: z.array(z.string()),
    }),
  ),
  mark_generation_replacement: fn(z.object({ p_request_id: id, p_lesson_id: id }), z.object({ requestId: id, replacesLessonId: id })),
};
