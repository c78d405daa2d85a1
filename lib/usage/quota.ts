// Daily lesson quota: reserved for the whole ask before any model call, settled afterwards so lessons
// that failed (or were never started) are refunded. Both steps are single SQL statements (docs/database.md).
import "server-only";
import type { Db } from "@/lib/db/port";

export interface QuotaReservation {
  granted: boolean;
  reservationId: string | null;
  remaining: number;
  lessonsPerDay: number;
  resetsAt: string;
  retryAfterSeconds: number;
}

export interface QuotaSettlement {
  used: number;
  refunded: number;
  remaining: number;
}

/** Seconds until the next UTC midnight, when daily quotas reset (at least 1). */
export function secondsUntilUtcMidnight(nowMs: number): number {
  const now = new Date(nowMs);
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - nowMs) / 1000));
}

/** Reserves `lessons` for a generation request; `granted: false` means nothing was taken. */
export async function reserveQuota(db: Db, userId: string, lessons: number, requestId: string, nowMs = Date.now()): Promise<QuotaReservation> {
  const r = await db.rpc("reserve_quota", { p_user_id: userId, p_lessons: lessons, p_request_id: requestId });
  const retryAfterSeconds =
    typeof r.retryAfterSeconds === "number" && r.retryAfterSeconds > 0
      ? Math.ceil(r.retryAfterSeconds)
      : r.resetsAt
        ? Math.max(1, Math.ceil((Date.parse(r.resetsAt) - nowMs) / 1000))
        : secondsUntilUtcMidnight(nowMs);
  return {
    granted: r.granted === true,
    reservationId: r.reservationId ?? null,
    remaining: r.remaining ?? 0,
    lessonsPerDay: r.lessonsPerDay ?? 0,
    resetsAt: r.resetsAt ?? new Date(nowMs + secondsUntilUtcMidnight(nowMs) * 1000).toISOString(),
    retryAfterSeconds,
  };
}

/** Keeps `used` lessons of a reservation and refunds the rest; idempotent in SQL. */
export async function settleQuota(db: Db, reservationId: string, used: number): Promise<QuotaSettlement> {
  return db.rpc("settle_quota", { p_reservation_id: reservationId, p_used: used });
}
