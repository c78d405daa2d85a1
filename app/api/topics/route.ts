// GET /api/topics — the catalog of subjects and topics, with what the viewer follows
import { withViewer } from "@/lib/api/handler";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

export const GET = withViewer(async (_req, { viewer }) => Response.json(await (await viewerDb(viewer)).rpc("list_catalog")));
