// prefetch: the app's own sweep (lib/generation/fyp-sweep.ts) on a PGlite database. 120 learners with
// empty feeds, each following 3 of 36 (topic, difficulty) pairs (12 topics × 3 difficulties, so 10
// learners a pair), against a provider limited to 500 RPM / 60 000 TPM, the gateways configured with
// the same limits. Once per simulated minute, for at most PREFETCH.minutes:
// - ours: `planSweepGroups` (fills from the library, one group per pair with the largest shortfall
//   among its learners), then `generateGroup` for every group not already running, at once, as the job
//   engine's fyp-generate jobs would (one job per singleton key; the limiter paces them). A group's
//   lessons count when `generateGroup` has delivered them to its followers' feeds.
// - the baselines: the same groups' lessons (the first plan's, planned once on a database of its own),
//   each strategy generating what is missing and not in flight; a lesson counts when generated.
// Reading wait is per learner (the lessons of their groups, in order of arrival), median.
import { setMaxListeners } from "node:events";
import { readingWaitMs } from "@/lib/batch/planner";
import type { LessonRequest } from "@/lib/batch/types";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import type { GenerationDeps } from "@/lib/generation/deps";
import { generateGroup, planSweepGroups, type PlannedGroup } from "@/lib/generation/fyp-sweep";
import { groupKey } from "@/lib/jobs/queues";
import { savings } from "@/lib/usage/counterfactual";
import { createBenchEnv, type BenchEnv } from "./env";
import type { CheckableLesson } from "@/lib/lessons/checks";
import { billOf, duplicateCount, ruleFailureCount, type Sample } from "./measure";
import { PREFETCH, READING_SECONDS } from "./scenarios";
import type { Strategy } from "./strategies";

const MINUTE = 60_000;
const DIFFICULTIES = ["easy", "medium", "hard"] as const;

/** What the sweep generates: one request per lesson, and the learners each lesson serves. */
export interface PrefetchWorkload {
  requests: LessonRequest[];
  learnersOf: string[][];
  learners: number;
}

/** A fresh database with the scenario's learners, topics and follows; nothing in any feed yet. */
async function seededDb(): Promise<TestDb> {
  const db = await createTestDb({ kind: "pglite" });
  const svc = db.provider.as({ role: "service_role" });
  const subjects = new Map<string, string>();
  const topicIds: string[] = [];
  for (const [i, [subject, topic]] of PREFETCH.topics.entries()) {
    if (!subjects.has(subject)) {
      const [s] = await db.sql.query("insert into public.subjects (slug, name, position) values ($1, $2, $3) returning id", [`bench-${subjects.size}`, subject, subjects.size]);
      subjects.set(subject, String(s.id));
    }
    const [t] = await db.sql.query("insert into public.topics (subject_id, slug, name, position) values ($1, $2, $3, $4) returning id", [subjects.get(subject), `bench-topic-${i}`, topic, i]);
    topicIds.push(String(t.id));
  }
  const pairs = topicIds.length * DIFFICULTIES.length;
  const follows: string[] = [];
  for (let l = 0; l < PREFETCH.learners; l++) {
    const { userId } = await svc.rpc("sign_in_local_user", { p_email: `learner${l}@bench.example.com`, p_promote_admin: false });
    for (let j = 0; j < PREFETCH.followsPerLearner; j++) {
      const p = (PREFETCH.followsPerLearner * l + j) % pairs;
      follows.push(`('${userId}', '${topicIds[p % topicIds.length]}', '${DIFFICULTIES[Math.floor(p / topicIds.length)]}')`);
    }
  }
  await db.sql.exec(`insert into public.topic_follows (user_id, topic_id, difficulty) values ${follows.join(",")}`);
  return db;
}

const genDeps = (db: TestDb, env: BenchEnv): GenerationDeps => {
  const service = db.provider.as({ role: "service_role" });
  return { service: async () => service, llm: env.gateway, usage: env.usage, clock: env.clock };
};

const requestsOf = (g: PlannedGroup): LessonRequest[] =>
  Array.from({ length: g.need }, () => ({ subject: g.subject, topic: g.topic, difficulty: g.difficulty as LessonRequest["difficulty"], avoidTitles: g.avoidTitles }));

/**
 * The learners a group's lessons serve. A planned group carries none (its job serves every follower of
 * the (topic, difficulty) it finds when it runs), so they are read from the follows.
 */
async function followersOf(db: TestDb, g: PlannedGroup): Promise<string[]> {
  const rows = await db.sql.query("select user_id from public.topic_follows where topic_id = $1 and difficulty = $2 order by user_id", [g.topicId, g.difficulty]);
  return rows.map((r) => String(r.user_id));
}

/** The first sweep's plan, on a database of its own: what every strategy is asked to generate. */
export async function prefetchWorkload(): Promise<PrefetchWorkload> {
  const db = await seededDb();
  try {
    const env = createBenchEnv({ profile: PREFETCH.profile, timeScale: PREFETCH.timeScale, seed: 0, priority: "background" });
    const { groups } = await planSweepGroups(genDeps(db, env), { cap: PREFETCH.perLearner, maxLearners: 1000 });
    const learnersOf: string[][] = [];
    for (const g of groups) {
      const learners = await followersOf(db, g);
      for (let k = 0; k < g.need; k++) learnersOf.push(learners);
    }
    return { requests: groups.flatMap(requestsOf), learnersOf, learners: PREFETCH.learners };
  } finally {
    await db.cleanup();
  }
}

/** Median over learners of their reading wait, given when each lesson arrived and whom it serves. */
function medianLearnerWait(arrivals: readonly { at: number; learners: readonly string[] }[]): number | null {
  const perLearner = new Map<string, number[]>();
  for (const a of arrivals) for (const l of a.learners) perLearner.set(l, [...(perLearner.get(l) ?? []), a.at]);
  const waits = [...perLearner.values()].map((times) => readingWaitMs(times, READING_SECONDS * 1000)).sort((a, b) => a - b);
  return waits.length ? waits[Math.floor(waits.length / 2)] : null;
}

/** Sleeps until the next minute of the sweep, or until `done` says everything arrived. */
function minuteTicker(env: BenchEnv, start: number) {
  let wake: (() => void) | null = null;
  return {
    wake: () => wake?.(),
    async until(minute: number) {
      const nextTick = start + (minute + 1) * MINUTE;
      await new Promise<void>((resolve) => {
        wake = resolve;
        env.clock.sleep(Math.max(0, nextTick - env.clock.now())).then(resolve, resolve);
      });
      wake = null;
    },
  };
}

/** ours: the app's sweep, planned and generated by its own code, once per simulated minute. */
async function runSweep(workload: PrefetchWorkload, seed: number): Promise<Sample> {
  const env = createBenchEnv({ profile: PREFETCH.profile, timeScale: PREFETCH.timeScale, seed, priority: "background", rpm: PREFETCH.rpm, tpm: PREFETCH.tpm });
  const db = await seededDb();
  try {
    const deps = genDeps(db, env);
    const asked = workload.requests.length;
    const arrivals: { at: number; learners: readonly string[] }[] = [];
    const start = env.clock.now();
    const capAt = start + PREFETCH.minutes * MINUTE;
    const stop = new AbortController();
    setMaxListeners(0, stop.signal);
    const ticker = minuteTicker(env, start);
    const jobs: Promise<void>[] = [];
    // The job engine's singleton key (`groupKey`): one queued-or-running job per (topic,
    // difficulty), so a group still generating is not enqueued again by the next minute's plan.
    const inFlight = new Set<string>();
    for (let minute = 0; minute < PREFETCH.minutes && arrivals.length < asked; minute++) {
      const { groups } = await planSweepGroups(deps, { cap: PREFETCH.perLearner, maxLearners: 1000 });
      for (const g of groups) {
        const key = groupKey(g);
        if (inFlight.has(key)) continue;
        inFlight.add(key);
        const learners = await followersOf(db, g);
        jobs.push(
          generateGroup(deps, g, { cap: PREFETCH.perLearner, signal: stop.signal })
            .then((s) => {
              const now = env.clock.now();
              if (now > capAt) return; // after the cap nothing counts
              for (let k = 0; k < s.generated; k++) arrivals.push({ at: now - start, learners });
              if (arrivals.length >= asked) ticker.wake();
            })
            .catch(() => undefined)
            .finally(() => inFlight.delete(key)),
        );
      }
      await ticker.until(minute);
    }
    stop.abort();
    await Promise.allSettled(jobs);
    const written = (await db.sql.query(
      "select l.title, l.content, t.name as topic, s.name as subject from public.lessons l join public.topics t on t.id = l.topic_id join public.subjects s on s.id = t.subject_id order by l.created_at",
    )) as { title: string; content: CheckableLesson; topic: string; subject: string }[];
    const titles = written.map((r) => String(r.title));
    const times = arrivals.map((a) => a.at);
    return {
      seed,
      asked,
      delivered: Math.min(arrivals.length, asked),
      generated: titles.length, // every lesson the sweep wrote to the library, counted or not
      calls: env.sim.stats().calls,
      bill: billOf(env.sim),
      firstLessonMs: times.length ? Math.min(...times) : null,
      lastLessonMs: times.length ? Math.max(...times) : null,
      readingWaitMs: medianLearnerWait(arrivals),
      duplicateTitles: duplicateCount(titles),
      ruleFailures: ruleFailureCount(written.map((r) => ({ subject: r.subject, topic: r.topic, lesson: r.content }))),
      reportedSavingsUsd: savings(env.usage.events).savedUsd,
    };
  } finally {
    await db.cleanup();
  }
}

/** A baseline strategy over the same lessons: once per simulated minute, what is missing and not in flight. */
async function runBaseline(strategy: Strategy, workload: PrefetchWorkload, seed: number): Promise<Sample> {
  const env = createBenchEnv({ profile: PREFETCH.profile, timeScale: PREFETCH.timeScale, seed, priority: "background", rpm: PREFETCH.rpm, tpm: PREFETCH.tpm });
  const { requests } = workload;
  const asked = requests.length;
  const arrivals = new Map<number, number>();
  const titles: string[] = [];
  const lessons: { subject: string; topic: string; lesson: CheckableLesson }[] = [];
  const inFlight = new Set<number>();
  const start = env.clock.now();
  const capAt = start + PREFETCH.minutes * MINUTE;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every call in flight listens to the one stop signal
  const ticker = minuteTicker(env, start);
  const sweeps: Promise<void>[] = [];

  let generated = 0;
  const deliver = (i: number, lesson: CheckableLesson) => {
    generated++;
    const now = env.clock.now();
    if (now > capAt || arrivals.has(i)) return; // after the cap nothing counts
    arrivals.set(i, now - start);
    titles.push(lesson.title);
    lessons.push({ subject: requests[i].subject, topic: requests[i].topic, lesson });
    if (arrivals.size === asked) ticker.wake();
  };

  for (let minute = 0; minute < PREFETCH.minutes && arrivals.size < asked; minute++) {
    const missing = requests.map((_, i) => i).filter((i) => !arrivals.has(i) && !inFlight.has(i));
    if (missing.length > 0) {
      missing.forEach((i) => inFlight.add(i));
      sweeps.push(
        strategy
          .run(env, requests, missing, deliver, stop.signal)
          .catch(() => undefined)
          .finally(() => missing.forEach((i) => inFlight.delete(i))),
      );
    }
    await ticker.until(minute);
  }
  stop.abort(); // no new calls after the cap; calls in flight finish but no longer count
  await Promise.allSettled(sweeps);
  const times = [...arrivals.values()];
  return {
    seed,
    asked,
    delivered: arrivals.size,
    generated,
    calls: env.sim.stats().calls,
    bill: billOf(env.sim),
    firstLessonMs: times.length ? Math.min(...times) : null,
    lastLessonMs: times.length ? Math.max(...times) : null,
    readingWaitMs: medianLearnerWait([...arrivals].map(([i, at]) => ({ at, learners: workload.learnersOf[i] }))),
    duplicateTitles: duplicateCount(titles),
    ruleFailures: ruleFailureCount(lessons),
    reportedSavingsUsd: null,
  };
}

export async function runPrefetch(strategy: Strategy, workload: PrefetchWorkload, seed: number): Promise<Sample> {
  return strategy.name === "ours" ? runSweep(workload, seed) : runBaseline(strategy, workload, seed);
}
