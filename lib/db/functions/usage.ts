// Usage events (service_role writes them) and the admin dashboard's reads (`authenticated`, admins only).
import { z } from "zod";
import { adminTopUsers, adminUsage, adminUsageEvent, usageEvent } from "@/lib/contracts/entities";
import { usageFeature, usageGroupBy, usageMode } from "@/lib/contracts/enums";
import { fn } from "./contract";

/** A whole UTC day, `YYYY-MM-DD`. */
const day = z.string();

export const usageFunctions = {
  insert_usage_events: fn(z.object({ p_events: z.array(usageEvent) }), z.object({ inserted: z.number().int() })),
  // The write-ahead estimate of a model-call attempt (20261130000200_usage_outbox.sql).
  begin_usage_attempt: fn(z.object({ p_event: usageEvent }), z.object({ ok: z.boolean() })),
  admin_usage: fn(z.object({ p_from: day, p_to: day, p_group_by: usageGroupBy.optional() }), adminUsage),
  // The saving of each generation request, summed from usage_events (not the rollup): docs/cost-model.md.
  admin_usage_savings: fn(
    z.object({ p_from: day, p_to: day }),
    z.object({
      savedUsd: z.number(),
      requests: z.number().int(),
      byRequest: z.array(z.object({ requestId: z.guid(), savedUsd: z.number(), costUsd: z.number() })),
    }),
  ),
  admin_usage_events: fn(
    z.object({
      p_from: z.string(),
      p_to: z.string(),
      p_feature: usageFeature.nullable().optional(),
      p_mode: usageMode.nullable().optional(),
      p_model: z.string().nullable().optional(),
      p_errors_only: z.boolean().optional(),
      p_limit: z.number().int().optional(),
    }),
    z.object({ events: z.array(adminUsageEvent) }),
  ),
  admin_top_users: fn(z.object({ p_from: day, p_to: day, p_limit: z.number().int().optional() }), adminTopUsers),
};
