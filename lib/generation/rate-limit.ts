// Request rate limits on the generation endpoints, per user and per IP, kept in Postgres token buckets
// (`take_rate_limit`) so they hold across instances (docs/architecture.md).
import "server-only";
import type { Db } from "@/lib/db/port";
import { AppError } from "@/lib/api/errors";

export interface Bucket {
  capacity: number;
  refillPerSecond: number;
}

// A learner pressing "Generate similar" a few times a minute is normal; dozens is a script.
export const generationLimits: Record<"user" | "ip", Bucket> = {
  user: { capacity: 12, refillPerSecond: 12 / 60 },
  ip: { capacity: 60, refillPerSecond: 60 / 60 },
};

export function rateLimitKey(scope: string, kind: "user" | "ip", id: string): string {
  return `${scope}:${kind}:${id}`;
}

/** Takes one token from the user's bucket and, when known, the IP's; 429 rate_limited when either is empty. */
export async function enforceRateLimit(db: Db, scope: string, userId: string, ip: string | null): Promise<void> {
  const checks: [string, Bucket][] = [[rateLimitKey(scope, "user", userId), generationLimits.user]];
  if (ip) checks.push([rateLimitKey(scope, "ip", ip), generationLimits.ip]);
  for (const [key, bucket] of checks) {
    const r = await db.rpc("take_rate_limit", {
      p_key: key,
      p_capacity: bucket.capacity,
      p_refill_per_second: bucket.refillPerSecond,
      p_cost: 1,
    });
    if (!r.allowed) {
      throw new AppError("rate_limited", "Too many generation requests; try again shortly.", { retryAfterMs: r.retryAfterMs }, Math.max(1, Math.ceil(r.retryAfterMs / 1000)));
    }
  }
}
