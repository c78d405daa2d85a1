// Generation requests (idempotency and replay), saving generated lessons, and rate limits (service_role only).
import { z } from "zod";
import { id, lessonContent, lessonRecord } from "@/lib/contracts/entities";
import { beginState, difficulty, generationStatus, usageFeature } from "@/lib/contracts/enums";
import { fn } from "./contract";

/** One generated lesson as save_generated_lessons takes it (the function checks every field itself). */
export const generatedLessonRow = z.object({
  slot: z.number().int(),
  topicId: id,
  difficulty: z.string(),
  title: z.string(),
  content: lessonContent,
  model: z.string(),
});

export const generationFunctions = {
  begin_generation: fn(
    z.object({
      p_user_id: id.nullable(),
      p_idempotency_key: z.string().nullable(),
      p_body_hash: z.string().nullable(),
      p_feature: usageFeature,
      p_playlist_id: id.nullable().optional(),
      p_count: z.number().int().optional(),
    }),
    // `result` is what the feature stored with finish_generation; a replay hands it back unchanged.
    z.object({ requestId: id, state: beginState, result: z.unknown().nullable() }),
  ),
  save_generated_lessons: fn(
    z.object({ p_request_id: id, p_lessons: z.array(generatedLessonRow) }),
    z.object({ lessons: z.array(lessonRecord) }),
  ),
  finish_generation: fn(
    z.object({ p_request_id: id, p_status: generationStatus, p_result: z.unknown().optional() }),
    z.object({ requestId: id, status: generationStatus, succeeded: z.number().int(), failed: z.number().int() }),
  ),
  playlist_generation_context: fn(
    z.object({ p_user_id: id, p_playlist_id: id }),
    z.object({
      playlistId: id,
      subjectName: z.string(),
      topicId: id,
      topicName: z.string(),
      difficulty,
      lessonCount: z.number().int(),
      avoidTitles: z.array(z.string()),
    }),
  ),
  take_rate_limit: fn(
    z.object({ p_key: z.string(), p_capacity: z.number().int(), p_refill_per_second: z.number(), p_cost: z.number().int().optional() }),
    z.object({ allowed: z.boolean(), remaining: z.number().int(), retryAfterMs: z.number().int() }),
  ),
};
