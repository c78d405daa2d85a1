// POST /api/fyp/generate-pending — top up the caller's feed (an urgent job; 202), or (cron secret) sweep every low feed
import { readJsonBody } from "@/lib/api/body";
import { clientIp } from "@/lib/api/client-ip";
import { withCron, withViewerOrCron } from "@/lib/api/handler";
import { generatePendingCronBody, generatePendingLearnerBody, type SweepQueuedResponse, type TopUpResponse } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";
import { runMaintenanceSafely } from "@/lib/budget/maintenance";
import { serverEnv } from "@/lib/env";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import { requestTopUp } from "@/lib/generation/fyp-learner";
import { DEFAULT_SWEEP_LEARNERS, sweepFeeds } from "@/lib/generation/fyp-sweep";
import { enqueueTopUp, enqueueingEngine } from "@/lib/jobs";
import { planAndEnqueueSweep } from "@/lib/jobs/app-handlers";

export const dynamic = "force-dynamic";
export const maxDuration = 300; // a sweep may run for minutes on a slow provider

// The cron run: upkeep first (stale leases and reservations, retention), then the sweep. With a job
// engine (a worker in this process, or workers on the database server) the sweep is planned and its
// groups enqueued; without one (PGlite and no worker, as in tests) it runs here, synchronously.
async function cronSweep(maxLearners: number): Promise<Response> {
  const deps = defaultGenerationDeps();
  const maintenance = await runMaintenanceSafely(await deps.service());
  const cap = serverEnv().FYP_PENDING_PER_TOPIC;
  const engine = await enqueueingEngine();
  if (engine) {
    const queued = await planAndEnqueueSweep(engine, deps, { cap, maxLearners });
    return Response.json({ queued: true, ...queued, maintenance } satisfies SweepQueuedResponse);
  }
  const summary = await sweepFeeds(deps, { cap, maxLearners });
  return Response.json({ ...summary, maintenance });
}

export const POST = withViewerOrCron(async (req, { caller }) => {
  if (caller.kind === "cron") {
    const body = await readJsonBody(req, generatePendingCronBody, { allowEmpty: true });
    return cronSweep(body.maxLearners ?? DEFAULT_SWEEP_LEARNERS);
  }
  await readJsonBody(req, generatePendingLearnerBody, { allowEmpty: true });
  const viewer = caller.viewer;
  const cap = serverEnv().FYP_PENDING_PER_TOPIC;
  // With a job engine the generation is an urgent job and the feed polls it; without one it runs here.
  const engine = await enqueueingEngine();
  const enqueue = engine ? (job: { userId: string; granted: number }) => enqueueTopUp(engine, job) : null;
  const topUp = await requestTopUp({ userId: viewer.userId, ip: clientIp(req), cap, learnerDb: () => viewerDb(viewer), enqueue }, defaultGenerationDeps());
  return Response.json(topUp satisfies TopUpResponse, { status: topUp.status === "queued" ? 202 : 200 });
});

// Schedulers that can only send GET (Vercel Cron does) run the sweep here; cron secret required.
export const GET = withCron(async () => cronSweep(DEFAULT_SWEEP_LEARNERS));
