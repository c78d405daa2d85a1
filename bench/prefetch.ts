// prefetch: 240 lessons (120 learners short of 2 lessons, 12 topics) against a provider limited to
// 500 RPM / 60 000 TPM, the gateways configured with the same limits. Like the cron, each strategy
// sweeps once per simulated minute over what is still missing and not already being generated (the
// job claims), for at most PREFETCH.minutes. Reading wait is per learner (their 2 lessons), median.
import { setMaxListeners } from "node:events";
import { readingWaitMs } from "@/lib/batch/planner";
import { savings } from "@/lib/usage/counterfactual";
import { createBenchEnv } from "./env";
import { billOf, duplicateCount, type Sample } from "./measure";
import { PREFETCH, prefetchRequests, READING_SECONDS } from "./scenarios";
import type { Strategy } from "./strategies";

const MINUTE = 60_000;

export async function runPrefetch(strategy: Strategy, seed: number): Promise<Sample> {
  const env = createBenchEnv({ profile: PREFETCH.profile, timeScale: PREFETCH.timeScale, seed, priority: "background", rpm: PREFETCH.rpm, tpm: PREFETCH.tpm });
  const requests = prefetchRequests();
  const asked = requests.length;
  const arrivals = new Map<number, number>();
  const titles: string[] = [];
  const inFlight = new Set<number>();
  const start = env.clock.now();
  const capAt = start + PREFETCH.minutes * MINUTE;
  let finished = false;
  let wake: (() => void) | null = null;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every call in flight listens to the one stop signal
  const sweeps: Promise<void>[] = [];
  let sequentialBusy = false;

  const deliver = (i: number, title: string) => {
    const now = env.clock.now();
    if (now > capAt || arrivals.has(i)) return; // after the cap nothing counts
    arrivals.set(i, now - start);
    titles.push(title);
    if (arrivals.size === asked) {
      finished = true;
      wake?.();
    }
  };

  for (let minute = 0; minute < PREFETCH.minutes && !finished; minute++) {
    const missing = requests.map((_, i) => i).filter((i) => !arrivals.has(i) && !inFlight.has(i));
    const canStart = missing.length > 0 && !(strategy.name === "sequential" && sequentialBusy);
    if (canStart) {
      missing.forEach((i) => inFlight.add(i));
      if (strategy.name === "sequential") sequentialBusy = true;
      sweeps.push(
        strategy
          .run(env, requests, missing, deliver, stop.signal)
          .catch(() => undefined)
          .finally(() => {
            missing.forEach((i) => inFlight.delete(i));
            if (strategy.name === "sequential") sequentialBusy = false;
          }),
      );
    }
    const nextTick = start + (minute + 1) * MINUTE;
    await new Promise<void>((resolve) => {
      wake = resolve;
      env.clock.sleep(Math.max(0, nextTick - env.clock.now())).then(resolve, resolve);
    });
    wake = null;
  }
  stop.abort(); // no new calls after the cap; calls in flight finish but no longer count
  await Promise.allSettled(sweeps);
  const times = [...arrivals.values()];
  const perLearner: number[] = [];
  for (let l = 0; l < PREFETCH.learners; l++) {
    const mine = [2 * l, 2 * l + 1].map((i) => arrivals.get(i)).filter((t): t is number => t !== undefined);
    if (mine.length) perLearner.push(readingWaitMs(mine, READING_SECONDS * 1000));
  }
  perLearner.sort((a, b) => a - b);
  return {
    seed,
    asked,
    delivered: arrivals.size,
    calls: env.sim.stats().calls,
    bill: billOf(env.sim),
    firstLessonMs: times.length ? Math.min(...times) : null,
    lastLessonMs: times.length ? Math.max(...times) : null,
    readingWaitMs: perLearner.length ? perLearner[Math.floor(perLearner.length / 2)] : null,
    duplicateTitles: duplicateCount(titles),
    reportedSavingsUsd: strategy.name === "ours" ? savings(env.usage.events).savedUsd : null,
  };
}
