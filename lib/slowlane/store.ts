// Where the slow lane keeps its batches: Postgres (public.slow_lane_batches through the registered
// service functions). A batch is recorded before it is created at the provider, so nothing the
// provider holds is ever unknown to us for longer than a crash.
import type { Db } from "@/lib/db/port";
import type { SlowLaneBatchRow } from "@/lib/db/functions/slowlane";
import type { SlowPayload } from "./types";

export type { SlowLaneBatchRow };

export interface SlowLaneStore {
  /** Records a batch (idempotent by key; a chunk already in a batch returns that batch). */
  record(input: { key: string; provider: string; model: string; chunkIds: string[]; payload: SlowPayload; deadlineAt: number }): Promise<{ created: boolean; batch: SlowLaneBatchRow }>;
  setBatch(id: string, providerBatchId: string, inputFileId: string | null, providerStatus: string | null): Promise<SlowLaneBatchRow>;
  open(limit?: number): Promise<SlowLaneBatchRow[]>;
  /** True for the one caller that closed it. */
  finish(id: string, providerStatus: string | null, result: unknown): Promise<boolean>;
}

export function createDbSlowLaneStore(service: () => Promise<Db>): SlowLaneStore {
  return {
    async record(i) {
      const db = await service();
      return db.rpc("slow_lane_record", {
        p_key: i.key,
        p_provider: i.provider,
        p_model: i.model,
        p_chunk_ids: i.chunkIds,
        p_payload: i.payload,
        p_deadline: new Date(i.deadlineAt).toISOString(),
      });
    },
    async setBatch(id, providerBatchId, inputFileId, providerStatus) {
      const db = await service();
      return db.rpc("slow_lane_set_batch", { p_id: id, p_provider_batch_id: providerBatchId, p_input_file_id: inputFileId, p_provider_status: providerStatus });
    },
    async open(limit = 100) {
      const db = await service();
      return db.rpc("slow_lane_open", { p_limit: limit });
    },
    async finish(id, providerStatus, result) {
      const db = await service();
      return (await db.rpc("slow_lane_finish", { p_id: id, p_provider_status: providerStatus, p_result: result })).finished;
    },
  };
}
