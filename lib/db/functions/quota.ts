// The daily lesson quota: reserve before generating, settle afterwards (service_role only).
import { z } from "zod";
import { id, isoInstant, quota } from "@/lib/contracts/entities";
import { fn } from "./contract";

export const quotaReservation = z.object({
  granted: z.boolean(),
  reservationId: id.nullable(),
  remaining: z.number().int(),
  lessonsPerDay: z.number().int(),
  resetsAt: isoInstant,
  retryAfterSeconds: z.number().nullable(),
  /** Only when refused: which limit was reached. */
  reason: z.enum(["daily_lessons", "monthly_spend"]).optional(),
});

export const quotaFunctions = {
  reserve_quota: fn(z.object({ p_user_id: id, p_lessons: z.number().int(), p_request_id: id.nullable().optional() }), quotaReservation),
  settle_quota: fn(
    z.object({ p_reservation_id: id, p_used: z.number().int() }),
    z.object({ used: z.number().int(), refunded: z.number().int(), remaining: z.number().int() }),
  ),
  // Test helper: sets a learner's usage for today. Not part of the app; the tests call it.
  seed_quota_usage: fn(z.object({ p_user_id: id, p_used: z.number().int() }), quota.extend({ userId: id })),
};
