// The slow lane's batches (docs/slow-lane.md): recorded before the provider's batch is created, so a
// retried job or a crashed worker never loses or doubles one (service_role only).
import { z } from "zod";
import { id } from "@/lib/contracts/entities";
import { difficulty, usageLane } from "@/lib/contracts/enums";
import { fn } from "./contract";

export const slowLaneBatchRow = z.object({
  id,
  submissionKey: z.string(),
  provider: z.string(),
  model: z.string(),
  status: z.enum(["submitting", "submitted", "done"]),
  providerBatchId: z.string().nullable(),
  inputFileId: z.string().nullable(),
  providerStatus: z.string().nullable(),
  chunkIds: z.array(z.string()),
  payload: z.unknown(),
  deadlineAt: z.string(),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  result: z.unknown().nullable(),
});
export type SlowLaneBatchRow = z.infer<typeof slowLaneBatchRow>;

export const slowLaneFunctions = {
  slow_lane_record: fn(
    z.object({
      p_key: z.string().min(1).max(200),
      p_provider: z.string().min(1),
      p_model: z.string().min(1),
      p_chunk_ids: z.array(z.string().min(1).max(200)).min(1),
      p_payload: z.unknown(),
      p_deadline: z.string(),
    }),
    z.object({ created: z.boolean(), batch: slowLaneBatchRow }),
  ),
  slow_lane_set_batch: fn(
    z.object({ p_id: id, p_provider_batch_id: z.string().min(1), p_input_file_id: z.string().nullable(), p_provider_status: z.string().nullable() }),
    slowLaneBatchRow,
  ),
  slow_lane_open: fn(z.object({ p_limit: z.number().int().optional() }), z.array(slowLaneBatchRow)),
  admin_usage_lanes: fn(
    z.object({ p_from: z.string(), p_to: z.string() }),
    z.object({
      lanes: z.array(z.object({ lane: usageLane, provider: z.string(), calls: z.number().int(), lessonsValid: z.number().int(), costUsd: z.number() })),
      inFlight: z.array(
        z.object({
          id,
          submissionKey: z.string(),
          provider: z.string(),
          status: z.string(),
          providerStatus: z.string().nullable(),
          lines: z.number().int(),
          ageSeconds: z.number().int(),
          deadlineAt: z.string(),
        }),
      ),
    }),
  ),
  slow_lane_horizon: fn(
    z.object({ p_window_hours: z.number().int().optional(), p_limit: z.number().int().optional() }),
    z.array(
      z.object({
        topicId: id,
        difficulty,
        subject: z.string(),
        topic: z.string(),
        followers: z.number().int(),
        seenInWindow: z.number().int(),
        stock: z.number().int(),
        inSlowLane: z.number().int(),
        avoidTitles: z.array(z.string()),
      }),
    ),
  ),
  slow_lane_finish: fn(z.object({ p_id: id, p_provider_status: z.string().nullable(), p_result: z.unknown() }), z.object({ finished: z.boolean() })),
};
