// Generation requests in the database: the idempotency record (begin), and the replayable result (finish).
import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/port";
import type { BeginState, GenerationStatus, UsageFeature } from "@/lib/contracts/enums";

export type { BeginState };

export interface Begun<R> {
  requestId: string;
  state: BeginState;
  result: R | null;
}

export type FinishStatus = GenerationStatus;

/** Stable hash of what the request asks for; the same Idempotency-Key with another hash is a conflict. */
export function bodyHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

export async function beginGeneration<R>(
  db: Db,
  args: { userId: string | null; idempotencyKey: string | null; bodyHash: string; feature: UsageFeature; playlistId: string | null; count: number },
): Promise<Begun<R>> {
  const begun = await db.rpc("begin_generation", {
    p_user_id: args.userId,
    p_idempotency_key: args.idempotencyKey,
    p_body_hash: args.bodyHash,
    p_feature: args.feature,
    p_playlist_id: args.playlistId,
    p_count: args.count,
  });
  // A replay hands back exactly what this feature stored with finishGeneration, so it has the caller's R.
  return { ...begun, result: begun.result as R | null };
}

export async function finishGeneration(db: Db, requestId: string, status: FinishStatus, result: unknown): Promise<void> {
  await db.rpc("finish_generation", { p_request_id: requestId, p_status: status, p_result: result });
}
