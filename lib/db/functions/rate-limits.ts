// The provider's RPM/TPM budget shared by every process (service_role only): lib/llm/shared-rate-limit.ts.
import { z } from "zod";
import { fn } from "./contract";

const int = z.number().int();
const priority = z.enum(["interactive", "background"]);

export const rateLimitFunctions = {
  llm_rate_configure: fn(
    z.object({
      p_provider: z.string(),
      p_model: z.string(),
      p_rpm: int.nullable(),
      p_tpm: int.nullable(),
      p_reserve_fraction: z.number(),
      p_window_ms: int.optional(),
    }),
    z.object({ rpm: int.nullable(), tpm: int.nullable(), reserveFraction: z.number(), windowMs: int }),
  ),
  llm_rate_reserve: fn(
    z.object({ p_provider: z.string(), p_model: z.string(), p_tokens: int, p_priority: priority }),
    z.discriminatedUnion("granted", [
      z.object({ granted: z.literal(true), id: int, grantedAt: z.number() }),
      z.object({ granted: z.literal(false), retryAfterMs: int }),
    ]),
  ),
  llm_rate_release: fn(z.object({ p_id: int, p_sent: z.boolean(), p_tokens: int.nullable().optional() }), z.object({ released: z.boolean() })),
  llm_rate_observe: fn(
    z.object({
      p_provider: z.string(),
      p_model: z.string(),
      p_limit_requests: int.nullable().optional(),
      p_remaining_requests: int.nullable().optional(),
      p_reset_requests_ms: int.nullable().optional(),
      p_limit_tokens: int.nullable().optional(),
      p_remaining_tokens: int.nullable().optional(),
      p_reset_tokens_ms: int.nullable().optional(),
      p_retry_after_ms: int.nullable().optional(),
    }),
    z.unknown(),
  ),
};
