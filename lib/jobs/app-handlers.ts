// The app's handlers for the job queues. Until the sweep is split into plan + per-group jobs, the
// planner tick runs today's whole sweep (fyp_sweep_plan → generate → deliver) as one durable,
// scheduled, one-at-a-time job; fyp-generate/fyp-urgent get their handler when the sweep moves onto
// them (the job payloads in ./queues.ts are the contract).
import "server-only";
import { serverEnv } from "@/lib/env";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import { DEFAULT_SWEEP_LEARNERS, sweepFeeds } from "@/lib/generation/fyp-sweep";
import type { JobHandlers } from "./worker";

export function appJobHandlers(): JobHandlers {
  return {
    planSweep: () => sweepFeeds(defaultGenerationDeps(), { cap: serverEnv().FYP_PENDING_PER_TOPIC, maxLearners: DEFAULT_SWEEP_LEARNERS }),
  };
}
