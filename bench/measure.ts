// One (scenario, strategy, seed) run and what it is measured by: the simulator's own log prices
// the bill (so the savings our usage events report are checked against the provider's side, not
// against themselves), delivery times on the simulator's clock give first/last lesson and reading
// wait, and titles give duplicates.
import { readingWaitMs } from "@/lib/batch/planner";
import type { LessonRequest } from "@/lib/batch/types";
import { isDuplicateTitle } from "@/lib/lessons/dedup";
import type { Simulator } from "@/lib/llm/sim";
import { costSplit } from "@/lib/usage/cost";
import { savings } from "@/lib/usage/counterfactual";
import type { BenchEnv } from "./env";
import { READING_SECONDS } from "./scenarios";
import type { Strategy } from "./strategies";

export interface Bill {
  usd: number;
  inputUsd: number;
  cachedUsd: number;
  outputUsd: number;
}

export interface Sample {
  seed: number;
  asked: number;
  delivered: number;
  /** Lessons the strategy produced, counted or not (the app's sweep can generate a group twice); default: delivered. */
  generated?: number;
  calls: number;
  bill: Bill;
  firstLessonMs: number | null;
  lastLessonMs: number | null;
  readingWaitMs: number | null;
  duplicateTitles: number;
  /** ours only: the saving its usage events report. */
  reportedSavingsUsd: number | null;
}

/** What the provider billed, from the simulator's log: every response with usage, at the price table's rates. */
export function billOf(sim: Simulator): Bill {
  const bill: Bill = { usd: 0, inputUsd: 0, cachedUsd: 0, outputUsd: 0 };
  for (const e of sim.stats().log) {
    const s = costSplit("sim", e.model, { promptTokens: e.promptTokens, cachedTokens: e.cachedTokens ?? 0, completionTokens: e.completionTokens });
    bill.usd += s.totalUsd;
    bill.inputUsd += s.inputUsd;
    bill.cachedUsd += s.cachedUsd;
    bill.outputUsd += s.outputUsd;
  }
  return bill;
}

/** Lessons whose title duplicates an earlier delivered one (exact or near). */
export function duplicateCount(titles: readonly string[]): number {
  let dups = 0;
  titles.forEach((t, i) => {
    if (titles.slice(0, i).some((u) => isDuplicateTitle(t, u))) dups++;
  });
  return dups;
}

export async function runOnce(env: BenchEnv, strategy: Strategy, requests: readonly LessonRequest[], seed: number): Promise<Sample> {
  const start = env.clock.now();
  const arrivals: number[] = [];
  const titles: string[] = [];
  const done = new Set<number>();
  await strategy.run(
    env,
    requests,
    requests.map((_, i) => i),
    (i, title) => {
      if (done.has(i)) return;
      done.add(i);
      arrivals.push(env.clock.now() - start);
      titles.push(title);
    },
  );
  return {
    seed,
    asked: requests.length,
    delivered: done.size,
    calls: env.sim.stats().calls,
    bill: billOf(env.sim),
    firstLessonMs: arrivals.length ? Math.min(...arrivals) : null,
    lastLessonMs: arrivals.length ? Math.max(...arrivals) : null,
    readingWaitMs: arrivals.length ? readingWaitMs(arrivals, READING_SECONDS * 1000) : null,
    duplicateTitles: duplicateCount(titles),
    reportedSavingsUsd: strategy.name === "ours" ? savings(env.usage.events).savedUsd : null,
  };
}
