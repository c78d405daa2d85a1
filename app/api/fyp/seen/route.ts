// POST /api/fyp/seen — mark a feed lesson as seen
import { readJsonBody } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { lessonIdBody } from "@/lib/contracts";
import { markFeedSeenLimited } from "@/lib/budget/request-limits";
import { serviceDb } from "@/lib/db";

export const dynamic = "force-dynamic";

// Each lesson marked seen opens a slot a top-up would fill, so this is limited per learner.
export const POST = withViewer(async (req, { viewer }) => {
  const body = await readJsonBody(req, lessonIdBody);
  return Response.json(await markFeedSeenLimited(await serviceDb(), viewer.userId, body.lessonId));
});
