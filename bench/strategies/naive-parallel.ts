// naive-parallel: one lesson per call (the same single-lesson prompt and mode as ours), all calls
// at once, no concurrency cap, no retries.
import { naiveCall } from "../naive-call";
import type { Strategy } from "./types";

export const naiveParallel: Strategy = {
  name: "naive-parallel",
  async run(env, requests, indices, deliver) {
    await Promise.all(
      indices.map(async (i) => {
        const got = await naiveCall(env, requests[i], 1, env.mode);
        if (got.length > 0) deliver(i);
      }),
    );
  },
};
