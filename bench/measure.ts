// One (scenario, strategy, seed) run and what it is measured by: the simulator's own log prices
// the bill (so the savings our usage events report are checked against the provider's side, not
// against themselves), delivery times on the simulator's clock give first/last lesson and reading
// wait, and titles give duplicates.
import { readingWaitMs } from "@/lib/batch/planner";
import type { LessonRequest } from "@/lib/batch/types";
import { countRuleFailures } from "@/lib/lessons";
import type { CheckableLesson } from "@/lib/lessons/checks";
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
  /** Delivered lessons breaking a quality rule (lib/lessons/checks), counted per topic group. */
  ruleFailures: number;
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

/**
 * Quality-rule failures among delivered lessons, with `countRuleFailures` per (subject, topic,
 * difficulty) group in delivery order (topic and subject words ignored, as the engine's checks do):
 * lessons breaking a per-lesson rule or repeating an earlier lesson's question, plus one per group whose
 * correct answers are mostly the longest choice or unevenly placed.
 */
export function ruleFailureCount(delivered: readonly { subject: string; topic: string; lesson: CheckableLesson }[]): number {
  const groups = new Map<string, { ignore: string[]; lessons: CheckableLesson[] }>();
  for (const d of delivered) {
    const key = `${d.subject}\u0000${d.topic}\u0000${d.lesson.difficulty}`;
    const g = groups.get(key) ?? { ignore: [d.topic, d.subject], lessons: [] };
    g.lessons.push(d.lesson);
    groups.set(key, g);
  }
  let total = 0;
  for (const g of groups.values()) total += countRuleFailures(g.lessons, g.ignore).total;
  return total;
}

export async function runOnce(env: BenchEnv, strategy: Strategy, requests: readonly LessonRequest[], seed: number): Promise<Sample> {
  const start = env.clock.now();
  const arrivals: number[] = [];
  const titles: string[] = [];
  const lessons: { subject: string; topic: string; lesson: CheckableLesson }[] = [];
  const done = new Set<number>();
  await strategy.run(
    env,
    requests,
    requests.map((_, i) => i),
    (i, lesson) => {
      if (done.has(i)) return;
      done.add(i);
      arrivals.push(env.clock.now() - start);
      titles.push(lesson.title);
      lessons.push({ subject: requests[i].subject, topic: requests[i].topic, lesson });
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
    ruleFailures: ruleFailureCount(lessons),
    reportedSavingsUsd: strategy.name === "ours" ? savings(env.usage.events).savedUsd : null,
  };
}
