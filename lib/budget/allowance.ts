// Daily generation allowances outside a learner's own quota, taken before any model call in one SQL
// statement (take_generation_allowance): a learner's feed top-ups (TOPUP_LESSONS_DAILY each) and the
// background sweep (BACKGROUND_LESSONS_DAILY for the whole deployment). Both also stop at the spend cap.
import "server-only";
import { AppError } from "@/lib/api/errors";
import type { Db } from "@/lib/db/port";
import { serverEnv } from "@/lib/env";
import { budgetExhausted } from "./spend-cap";

export type AllowanceScope = "topup" | "background";

export interface AllowanceGrant {
  granted: number;
  used: number;
  limit: number;
  reason: "spend_cap" | "allowance" | null;
  resetsAt: string;
  retryAfterSeconds: number;
}

export const BACKGROUND_SUBJECT = "deployment";

function limitFor(scope: AllowanceScope): number {
  const env = serverEnv();
  return scope === "topup" ? env.TOPUP_LESSONS_DAILY : env.BACKGROUND_LESSONS_DAILY;
}

/** Grants up to `lessons` of what is left today (possibly 0; `reason` says why). */
export async function takeAllowance(db: Db, scope: AllowanceScope, subject: string, lessons: number): Promise<AllowanceGrant> {
  return db.rpc("take_generation_allowance", {
    p_scope: scope,
    p_subject: subject,
    p_lessons: lessons,
    p_limit: limitFor(scope),
    p_cap_usd: serverEnv().SPEND_CAP_DAILY_USD,
  });
}

/** Gives back lessons granted but not generated. Best effort: a failure only under-uses the allowance. */
export async function refundAllowance(db: Db, scope: AllowanceScope, subject: string, lessons: number): Promise<void> {
  if (lessons <= 0) return;
  await db
    .rpc("refund_generation_allowance", { p_scope: scope, p_subject: subject, p_lessons: lessons })
    .catch((err: unknown) => console.error(`[budget] refunding ${lessons} ${scope} lesson(s) failed`, err));
}

/** The error a learner sees when nothing was granted. */
export function allowanceDenied(grant: AllowanceGrant): AppError {
  if (grant.reason === "spend_cap") return budgetExhausted(grant.resetsAt);
  return new AppError(
    "topup_limit_reached",
    `Your feed has had its ${grant.limit} new lessons for today; more arrive tomorrow.`,
    { limit: grant.limit, used: grant.used, resetsAt: grant.resetsAt },
    grant.retryAfterSeconds,
  );
}
