// GET /api/quota — the viewer's lesson quota for today
import { withViewer } from "@/lib/api/handler";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const GET = withViewer(async (_req, { viewer }) => Response.json(await (await viewerDb(viewer)).rpc("get_my_quota")));
