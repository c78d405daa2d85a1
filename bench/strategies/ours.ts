// ours: the real generateLessonBatch through the real gateway (limiter, retries, streaming).
import { generateLessonBatch } from "@/lib/batch";
import type { Strategy } from "./types";

export const ours: Strategy = {
  name: "ours",
  async run(env, requests, indices, deliver, signal) {
    const subset = indices.map((i) => requests[i]);
    for await (const r of generateLessonBatch({ llm: env.gateway, usage: env.usage, clock: env.clock }, subset, {
      priority: env.priority,
      feature: "bench",
      signal,
    })) {
      if (r.ok) deliver(indices[r.index]);
    }
  },
};
