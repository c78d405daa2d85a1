// The app's handlers for the job queues. The planner tick (fyp-plan, on a cron schedule) plans the
// sweep and enqueues one fyp-generate job per (topic, difficulty) group with the group's singleton key;
// a worker generates each group through the pipeline and delivers it (lib/generation/fyp-sweep.ts).
import "server-only";
import { serverEnv } from "@/lib/env";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import type { GenerationDeps } from "@/lib/generation/deps";
import { DEFAULT_SWEEP_LEARNERS, generateGroup, planSweepGroups, releaseClaim } from "@/lib/generation/fyp-sweep";
import { appSlowLaneHandlers } from "@/lib/slowlane/app";
import type { JobEngine } from "./engine";
import { enqueueGroups, type JobHandlers } from "./worker";

/** What a planner tick (or the cron route on the job engine) enqueued. */
export interface EnqueuedSweep {
  learnersToppedUp: number;
  fromLibrary: number;
  groups: number;
  /** New fyp-generate jobs. */
  enqueued: number;
  /** Groups whose job was already waiting (the singleton key dropped the repeat). */
  alreadyQueued: number;
  /** Low topics another run is generating right now. */
  inProgress: number;
}

/** Plans the sweep and enqueues its groups. If enqueuing fails, the plan's claim is released at once. */
export async function planAndEnqueueSweep(engine: JobEngine, deps: GenerationDeps, opts: { cap: number; maxLearners: number }): Promise<EnqueuedSweep> {
  const { plan, groups } = await planSweepGroups(deps, opts);
  let ids: (string | null)[];
  try {
    ids = await enqueueGroups(engine, groups);
  } catch (err) {
    if (plan.claimId) await releaseClaim(await deps.service(), plan.claimId);
    throw err;
  }
  const enqueued = ids.filter((id) => id !== null).length;
  return {
    learnersToppedUp: plan.learnersToppedUp,
    fromLibrary: plan.fromLibrary,
    groups: groups.length,
    enqueued,
    alreadyQueued: groups.length - enqueued,
    inProgress: plan.inProgress,
  };
}

export function appJobHandlers(deps: () => GenerationDeps = defaultGenerationDeps): JobHandlers {
  return {
    planSweep: (ctx) => planAndEnqueueSweep(ctx.engine, deps(), { cap: serverEnv().FYP_PENDING_PER_TOPIC, maxLearners: DEFAULT_SWEEP_LEARNERS }),
    generateGroup: (job, ctx) => generateGroup(deps(), job, { cap: serverEnv().FYP_PENDING_PER_TOPIC, signal: ctx.signal }),
    slowLane: appSlowLaneHandlers(deps),
  };
}
