// sequential: one lesson per call, one call at a time, no retries.
import { naiveCall } from "../naive-call";
import type { Strategy } from "./types";

export const sequential: Strategy = {
  name: "sequential",
  async run(env, requests, indices, deliver, signal) {
    for (const i of indices) {
      if (signal?.aborted) return;
      const got = await naiveCall(env, requests[i], 1, env.mode);
      if (got.length > 0) deliver(i);
    }
  },
};
