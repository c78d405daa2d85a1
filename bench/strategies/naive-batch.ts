// naive-batch: 2–5 same-topic lessons in one call with prompt-only JSON and no schema; if at least
// half come back valid keep them and drop the rest, else redo all with naive-parallel; a single
// lesson or more than 5 → naive-parallel. No retries.
import type { LessonRequest } from "@/lib/batch/types";
import { naiveCall } from "../naive-call";
import { naiveParallel } from "./naive-parallel";
import type { Strategy } from "./types";

function sameTopicGroups(requests: readonly LessonRequest[], indices: readonly number[], unit?: (i: number) => string): number[][] {
  const groups = new Map<string, number[]>();
  for (const i of indices) {
    const r = requests[i];
    const key = unit ? unit(i) : `${r.subject}\u0000${r.topic}\u0000${r.difficulty}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return [...groups.values()];
}

export function naiveBatchWith(unit?: (i: number) => string): Strategy {
  return {
    name: "naive-batch",
    async run(env, requests, indices, deliver, signal) {
      await Promise.all(
        sameTopicGroups(requests, indices, unit).map(async (group) => {
          if (group.length < 2 || group.length > 5) return naiveParallel.run(env, requests, group, deliver, signal);
          const got = await naiveCall(env, requests[group[0]], group.length, "prompted-json");
          if (got.length * 2 >= group.length) {
            got.forEach((_, k) => deliver(group[k]));
            return;
          }
          return naiveParallel.run(env, requests, group, deliver, signal);
        }),
      );
    },
  };
}

export const naiveBatch = naiveBatchWith();
