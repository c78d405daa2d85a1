// The deployment-wide daily spend cap (SPEND_CAP_DAILY_USD): read before every model call, so once
// today's recorded spend reaches the cap no new call starts anywhere (calls already on the wire finish
// and are recorded). The spend comes from usage events, summed per UTC day in `spend_days`.
import "server-only";
import { AppError } from "@/lib/api/errors";
import type { Db } from "@/lib/db/port";
import { serverEnv } from "@/lib/env";
import type { LlmGateway } from "@/lib/llm/types";

export interface SpendCapStatus {
  spentUsd: number;
  capUsd: number | null;
  exhausted: boolean;
  resetsAt: string;
}

export async function spendCapStatus(db: Db, capUsd: number = serverEnv().SPEND_CAP_DAILY_USD): Promise<SpendCapStatus> {
  const s = await db.rpc("spend_cap_status", {
    p_cap_usd: capUsd,
  });
  return remember({ spentUsd: Number(s.spentUsd), capUsd: s.capUsd === null ? null : Number(s.capUsd), exhausted: s.exhausted, resetsAt: s.resetsAt });
}

export function budgetExhausted(resetsAt: string): AppError {
  const seconds = Math.max(1, Math.ceil((Date.parse(resetsAt) - Date.now()) / 1000));
  return new AppError("budget_exhausted", undefined, { resetsAt }, seconds);
}

/** 503 budget_exhausted when today's deployment spend has reached the cap. */
export async function assertSpendCapOpen(db: Db): Promise<void> {
  const status = await spendCapStatus(db);
  if (status.exhausted) throw budgetExhausted(status.resetsAt);
}

// A reading far below the cap is reused for FRESH_MS (request-level checks refresh it), so a burst of
// calls does not queue on the database; within NEAR_CAP of the cap every call reads the database.
const FRESH_MS = 1000;
const NEAR_CAP = 0.9;
let lastOpen: { at: number; status: SpendCapStatus } | null = null;
let inFlight: Promise<SpendCapStatus> | null = null;

function remember(status: SpendCapStatus): SpendCapStatus {
  lastOpen = !status.exhausted && status.capUsd !== null && status.spentUsd < status.capUsd * NEAR_CAP ? { at: Date.now(), status } : null;
  return status;
}

function freshOpenReading(): boolean {
  return lastOpen !== null && Date.now() - lastOpen.at < FRESH_MS && lastOpen.status.capUsd === serverEnv().SPEND_CAP_DAILY_USD;
}

/**
 * The gateway with the cap checked before each call. A denied call throws budget_exhausted before
 * anything is sent, so it costs nothing; the engine reports the lesson as not generated.
 */
export function spendCappedGateway(inner: LlmGateway, service: () => Promise<Db>): LlmGateway {
  return {
    get provider() {
      return inner.provider;
    },
    underlying: inner,
    target: (priority) => inner.target(priority),
    countTokens: (text) => inner.countTokens(text),
    countPromptTokens: (params) => inner.countPromptTokens(params),
    async chat(params, options) {
      if (!freshOpenReading()) {
        // Calls that start together share one read, so they still start together.
        inFlight ??= service()
          .then((db) => spendCapStatus(db))
          .finally(() => (inFlight = null));
        const status = await inFlight;
        if (status.exhausted) throw budgetExhausted(status.resetsAt);
      }
      return inner.chat(params, options);
    },
  };
}
