// Periodic upkeep, run by the cron sweep before it plans: abandons generation requests whose lease
// expired (their idempotency keys become usable again), settles reservations nobody will settle
// (charging the lessons their request saved), and applies the retention periods (docs/security.md).
import "server-only";
import type { MaintenanceReport } from "@/lib/contracts/entities";
import type { Db } from "@/lib/db/port";
import { serverEnv } from "@/lib/env";

export type { MaintenanceReport } from "@/lib/contracts/entities";

export async function runMaintenance(db: Db): Promise<MaintenanceReport> {
  const env = serverEnv();
  return db.rpc("cleanup_retention", {
    p_idempotency_days: env.IDEMPOTENCY_RETENTION_DAYS,
    p_ledger_days: env.LEDGER_RETENTION_DAYS,
  });
}

/** Never lets upkeep stop the sweep itself: a failure is logged and the next run tries again. */
export async function runMaintenanceSafely(db: Db): Promise<MaintenanceReport | null> {
  try {
    return await runMaintenance(db);
  } catch (err) {
    console.error("[maintenance] cleanup failed; the next sweep retries", err);
    return null;
  }
}
