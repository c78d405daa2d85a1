// The strategies compared. Each gets lesson requests (by index) and reports every lesson it
// delivers with its title, as soon as it has it.
import { generateLessonBatch } from "@/lib/batch";
import type { BatchConfig, LessonRequest } from "@/lib/batch/types";
import type { CheckableLesson } from "@/lib/lessons/checks";
import type { BenchEnv } from "./env";
import { naiveCall } from "./naive-call";

/** Reports one delivered lesson (its title for duplicates, its questions for the quality rules). */
export type Deliver = (index: number, lesson: CheckableLesson) => void;

export interface Strategy {
  name: StrategyName;
  run(env: BenchEnv, requests: readonly LessonRequest[], indices: readonly number[], deliver: Deliver, signal?: AbortSignal): Promise<void>;
}

export const strategyNames = ["sequential", "naive-parallel", "naive-batch", "chunked-2", "chunked-3", "warm-fanout", "ours"] as const;
export type StrategyName = (typeof strategyNames)[number];

const topicKey = (r: LessonRequest) => `${r.subject}\u0000${r.topic}\u0000${r.difficulty}`;

function byTopic(requests: readonly LessonRequest[], indices: readonly number[]): number[][] {
  const groups = new Map<string, number[]>();
  for (const i of indices) groups.set(topicKey(requests[i]), [...(groups.get(topicKey(requests[i])) ?? []), i]);
  return [...groups.values()];
}

async function single(env: BenchEnv, requests: readonly LessonRequest[], i: number, deliver: Deliver, opts: { onFirstToken?: () => void; signal?: AbortSignal } = {}) {
  const [lesson] = await naiveCall(env, requests[i], 1, env.mode, opts);
  if (lesson) deliver(i, lesson);
}

/** One lesson per call, one call at a time. */
export const sequential: Strategy = {
  name: "sequential",
  async run(env, requests, indices, deliver, signal) {
    for (const i of indices) {
      if (signal?.aborted) return;
      await single(env, requests, i, deliver, { signal });
    }
  },
};

/** One lesson per call, all at once (the gateway's limiter and concurrency cap still apply). */
export const naiveParallel: Strategy = {
  name: "naive-parallel",
  async run(env, requests, indices, deliver, signal) {
    await Promise.all(indices.map((i) => single(env, requests, i, deliver, { signal })));
  },
};

/**
 * The seed design: 2–5 same-topic lessons in one call with prompt-only JSON (no tool, no schema);
 * keep the valid ones if at least half are valid, else redo all one per call. Pooled per topic
 * (larger pools in chunks of 5); a single lesson → one call.
 */
export const naiveBatch: Strategy = {
  name: "naive-batch",
  async run(env, requests, indices, deliver, signal) {
    const chunks = byTopic(requests, indices).flatMap((g) => Array.from({ length: Math.ceil(g.length / 5) }, (_, c) => g.slice(c * 5, c * 5 + 5)));
    await Promise.all(
      chunks.map(async (chunk) => {
        if (chunk.length < 2) return naiveParallel.run(env, requests, chunk, deliver, signal);
        const got = await naiveCall(env, requests[chunk[0]], chunk.length, "prompted-json", { signal });
        if (got.length * 2 >= chunk.length) {
          got.forEach((l, k) => deliver(chunk[k], l));
          return;
        }
        return naiveParallel.run(env, requests, chunk, deliver, signal);
      }),
    );
  },
};

/** One call for the first lesson; the rest one per call once its prompt is processed (cacheable). */
export const warmFanout: Strategy = {
  name: "warm-fanout",
  async run(env, requests, indices, deliver, signal) {
    await Promise.all(
      byTopic(requests, indices).map(async ([first, ...rest]) => {
        let warmed!: () => void;
        const ready = new Promise<void>((r) => (warmed = r));
        await Promise.all([
          single(env, requests, first, deliver, { onFirstToken: warmed, signal }),
          ready.then(() => Promise.all(rest.map((i) => single(env, requests, i, deliver, { signal })))),
        ]);
      }),
    );
  },
};

function engine(name: StrategyName, config?: Partial<BatchConfig>): Strategy {
  return {
    name,
    async run(env, requests, indices, deliver, signal) {
      const subset = indices.map((i) => requests[i]);
      const results = generateLessonBatch({ llm: env.gateway, usage: env.usage, clock: env.clock, config }, subset, {
        priority: env.priority,
        feature: "bench",
        requestId: crypto.randomUUID(),
        signal,
      });
      for await (const r of results) if (r.ok) deliver(indices[r.index], r.lesson);
    },
  };
}

/** True batches of k through the real engine (repairs included), all chunks at once. */
export const chunked2 = engine("chunked-2", { maxPerCall: 2, planner: { mode: "fixed" } });
export const chunked3 = engine("chunked-3", { maxPerCall: 3, planner: { mode: "fixed" } });
/** The real generateLessonBatch with its cache-aware planner. */
export const ours = engine("ours");

export const allStrategies: Strategy[] = [sequential, naiveParallel, naiveBatch, chunked2, chunked3, warmFanout, ours];
