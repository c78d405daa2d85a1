// Metrics of one (scenario, strategy): tokens and calls as the simulator counted them, cost from
// the price table, simulated wall time and time to the first delivered lesson.
import type { LessonRequest } from "@/lib/batch/types";
import { costUsd } from "@/lib/usage/cost";
import { savings } from "@/lib/usage/counterfactual";
import type { BenchEnv } from "./bench-env";
import type { Strategy } from "./strategies/types";

export interface Row {
  scenario: string;
  strategy: string;
  calls: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costUsd: number;
  wallMs: number;
  firstLessonMs: number | null;
  delivered: number;
  asked: number;
  /** ours only: usage events written, which must equal the simulator's call count. */
  usageEvents?: number;
  /** ours only: savings the usage events report (counterfactual − actual prompt tokens). */
  reportedSavedPromptTokens?: number;
  repetitions?: number;
  lessonsPerMinute?: number;
  tpmBoundShare?: number;
}

export interface RunTiming {
  wallMs: number;
  firstLessonMs: number | null;
  delivered: number;
}

/** Runs a strategy once over all requests and times it on the simulator's clock. */
export async function timeRun(env: BenchEnv, strategy: Strategy, requests: readonly LessonRequest[]): Promise<RunTiming> {
  const start = env.clock.now();
  let first: number | null = null;
  const done = new Set<number>();
  await strategy.run(
    env,
    requests,
    requests.map((_, i) => i),
    (i) => {
      if (first === null) first = env.clock.now() - start;
      done.add(i);
    },
  );
  return { wallMs: env.clock.now() - start, firstLessonMs: first, delivered: done.size };
}

/** Token, call and cost totals from the simulator (and the usage sink for ours). */
export function totals(env: BenchEnv, strategy: string) {
  const s = env.sim.stats();
  const cachedTokens = strategy === "ours" ? env.usage.events.reduce((a, e) => a + e.cachedTokens, 0) : env.baselineCachedTokens.value;
  const usage = { promptTokens: s.promptTokens, cachedTokens, completionTokens: s.completionTokens };
  const extra =
    strategy === "ours"
      ? { usageEvents: env.usage.events.length, reportedSavedPromptTokens: savings(env.usage.events).savedPromptTokens }
      : {};
  return { calls: s.calls, ...usage, costUsd: costUsd(env.target.provider, env.target.model, usage), ...extra };
}
