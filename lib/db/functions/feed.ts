// Filling learners' For You feeds from the library (one learner, or a whole (topic, difficulty) group),
// delivering what was generated, and the sweep's plan (service_role only).
import { z } from "zod";
import { id } from "@/lib/contracts/entities";
import { difficulty } from "@/lib/contracts/enums";
import { fn } from "./contract";

/** A learner's shortfall on one followed topic: how many lessons are missing and which titles to avoid. */
export const topicShortfall = z.object({
  topicId: id,
  subjectName: z.string(),
  topicName: z.string(),
  difficulty,
  missing: z.number().int(),
  avoidTitles: z.array(z.string()),
});

export const feedFunctions = {
  fyp_fill_from_library: fn(
    z.object({ p_user_id: id, p_cap: z.number().int().optional() }),
    z.object({ fromLibrary: z.number().int(), shortfall: z.array(topicShortfall) }),
  ),
  fyp_fill_group: fn(
    z.object({ p_topic_id: id, p_difficulty: difficulty, p_cap: z.number().int().optional(), p_user_ids: z.array(id).nullable().optional() }),
    z.object({ learners: z.number().int(), fromLibrary: z.number().int(), short: z.number().int(), missing: z.number().int() }),
  ),
  fyp_deliver: fn(
    z.object({ p_user_id: id, p_lesson_ids: z.array(id), p_cap: z.number().int().optional() }),
    z.object({ delivered: z.number().int() }),
  ),
  fyp_sweep_plan: fn(
    z.object({ p_cap: z.number().int().optional(), p_max_learners: z.number().int().optional() }),
    z.object({
      learnersToppedUp: z.number().int(),
      fromLibrary: z.number().int(),
      shortfall: z.array(topicShortfall.extend({ userId: id })),
    }),
  ),
};
