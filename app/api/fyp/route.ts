// GET /api/fyp — the viewer's For You feed: pending lessons, oldest first, and followed topics
import { withViewer } from "@/lib/api/handler";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const GET = withViewer(async (_req, { viewer }) => Response.json(await (await viewerDb(viewer)).rpc("get_feed")));
