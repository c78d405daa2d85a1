// Budgets, sessions and upkeep (service_role only): the spend cap and allowances (lib/budget), local
// sessions (lib/auth), and the cron sweep's retention pass (docs/security.md).
import { z } from "zod";
import { id, isoInstant, maintenanceReport, profile } from "@/lib/contracts/entities";
import { fn } from "./contract";

const int = z.number().int();
/** numeric comes back from jsonb as a number; some drivers hand it over as a string. */
const money = z.union([z.number(), z.string()]);
const allowanceScope = z.enum(["topup", "background"]);

export const allowanceGrant = z.object({
  granted: int,
  used: int,
  limit: int,
  reason: z.enum(["spend_cap", "allowance"]).nullable(),
  resetsAt: isoInstant,
  retryAfterSeconds: int,
});

export const budgetFunctions = {
  spend_cap_status: fn(
    z.object({ p_cap_usd: z.number().nullable() }),
    z.object({ spentUsd: money, capUsd: money.nullable(), exhausted: z.boolean(), resetsAt: isoInstant }),
  ),
  take_generation_allowance: fn(
    z.object({ p_scope: allowanceScope, p_subject: z.string(), p_lessons: int, p_limit: int, p_cap_usd: z.number().nullable().optional() }),
    allowanceGrant,
  ),
  refund_generation_allowance: fn(z.object({ p_scope: allowanceScope, p_subject: z.string(), p_lessons: int }), z.object({ used: int })),
  mark_feed_seen_limited: fn(
    z.object({ p_user_id: id, p_lesson_id: id, p_per_minute: int }),
    z.object({ lessonId: id, status: z.string(), allowed: z.boolean(), retryAfterMs: int }),
  ),
  mark_generation_private: fn(z.object({ p_request_id: id }), z.object({ requestId: id, private: z.boolean() })),
  create_auth_session: fn(z.object({ p_user_id: id, p_ttl_seconds: int }), z.object({ sessionId: id, expiresAt: isoInstant })),
  session_profile: fn(z.object({ p_session_id: id, p_user_id: id }), profile.nullable()),
  // How many session rows were revoked (0 when already revoked or unknown).
  revoke_auth_session: fn(z.object({ p_session_id: id }), z.object({ revoked: int })),
  sync_admin_role: fn(z.object({ p_user_id: id, p_listed_and_verified: z.boolean() }), profile),
  cleanup_retention: fn(z.object({ p_idempotency_days: int.optional(), p_ledger_days: int.optional() }), maintenanceReport),
};
