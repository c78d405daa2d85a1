// POST /api/fyp/generate-pending — top up the caller's feed, or (cron secret) sweep every low feed
import { readJsonBody } from "@/lib/api/body";
import { clientIp } from "@/lib/api/client-ip";
import { withCron, withViewerOrCron } from "@/lib/api/handler";
import { generatePendingCronBody, generatePendingLearnerBody } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";
import { serverEnv } from "@/lib/env";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import { topUpLearnerFeed } from "@/lib/generation/fyp-learner";
import { DEFAULT_SWEEP_LEARNERS, sweepFeeds } from "@/lib/generation/fyp-sweep";

export const dynamic = "force-dynamic";
export const maxDuration = 300; // a sweep may run for minutes on a slow provider

export const POST = withViewerOrCron(async (req, { caller }) => {
  const cap = serverEnv().FYP_PENDING_PER_TOPIC;
  if (caller.kind === "cron") {
    const body = await readJsonBody(req, generatePendingCronBody, { allowEmpty: true });
    return Response.json(await sweepFeeds(defaultGenerationDeps(), { cap, maxLearners: body.maxLearners ?? DEFAULT_SWEEP_LEARNERS }));
  }
  await readJsonBody(req, generatePendingLearnerBody, { allowEmpty: true });
  const viewer = caller.viewer;
  return Response.json(await topUpLearnerFeed({ userId: viewer.userId, ip: clientIp(req), cap, learnerDb: () => viewerDb(viewer) }, defaultGenerationDeps()));
});

// Schedulers that can only send GET (Vercel Cron does) run the sweep here; cron secret required.
export const GET = withCron(async () =>
  Response.json(await sweepFeeds(defaultGenerationDeps(), { cap: serverEnv().FYP_PENDING_PER_TOPIC, maxLearners: DEFAULT_SWEEP_LEARNERS })),
);
