// The app's handlers for the job queues. The planner tick (fyp-plan, on a cron schedule) runs the upkeep
// the cron route runs (lib/budget/maintenance.ts: dead runs' leases, reservations and write-ahead usage
// attempts, retention), then plans the sweep and enqueues one fyp-generate job per (topic, difficulty)
// group with the group's singleton key;
// a worker generates each group through the pipeline and delivers it (lib/generation/fyp-sweep.ts).
// A learner's top-up is an fyp-urgent job (lib/generation/fyp-learner.ts).
import "server-only";
import { runMaintenanceSafely, type MaintenanceReport } from "@/lib/budget/maintenance";
import { serverEnv } from "@/lib/env";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import type { GenerationDeps } from "@/lib/generation/deps";
import { runTopUp } from "@/lib/generation/fyp-learner";
import { DEFAULT_SWEEP_LEARNERS, generateGroup, planSweepGroups } from "@/lib/generation/fyp-sweep";
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
  /** Groups that already had a job queued or running (the singleton key dropped the repeat). */
  alreadyQueued: number;
}

/** Plans the sweep and enqueues its groups. */
export async function planAndEnqueueSweep(engine: JobEngine, deps: GenerationDeps, opts: { cap: number; maxLearners: number }): Promise<EnqueuedSweep> {
  const { plan, groups } = await planSweepGroups(deps, opts);
  const ids = await enqueueGroups(engine, groups);
  const enqueued = ids.filter((id) => id !== null).length;
  return { learnersToppedUp: plan.learnersToppedUp, fromLibrary: plan.fromLibrary, groups: groups.length, enqueued, alreadyQueued: groups.length - enqueued };
}

/**
 * One planner tick on the job engine. Upkeep first: a sweep's generation request has no learner, so
 * no learner's next reservation ever settles it; when a worker dies mid-job, this is what charges its
 * calls in flight (their write-ahead usage attempts) once the request's lease has lapsed.
 */
export async function planTick(engine: JobEngine, deps: GenerationDeps, opts: { cap: number; maxLearners: number }): Promise<EnqueuedSweep & { maintenance: MaintenanceReport | null }> {
  const maintenance = await runMaintenanceSafely(await deps.service());
  return { ...(await planAndEnqueueSweep(engine, deps, opts)), maintenance };
}

export function appJobHandlers(deps: () => GenerationDeps = defaultGenerationDeps): JobHandlers {
  const cap = () => serverEnv().FYP_PENDING_PER_TOPIC;
  return {
    planSweep: (ctx) => planTick(ctx.engine, deps(), { cap: cap(), maxLearners: DEFAULT_SWEEP_LEARNERS }),
    generateGroup: (job, ctx) => generateGroup(deps(), job, { cap: cap(), signal: ctx.signal }),
    topUp: (job, ctx) => runTopUp(deps(), job, { cap: cap(), signal: ctx.signal }),
    slowLane: appSlowLaneHandlers(deps),
  };
}
