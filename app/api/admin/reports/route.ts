// GET /api/admin/reports — the review queue: lessons with open reports, most reported first (admin only)
import { parseWith, queryOf } from "@/lib/api/body";
import { withAdmin } from "@/lib/api/handler";
import { viewerDb } from "@/lib/api/viewer-db";
import { adminReportsQuery } from "@/lib/contracts";
import { reviewQueue } from "@/lib/reports/review";

export const dynamic = "force-dynamic";

export const GET = withAdmin(async (req, { viewer }) => {
  const { limit } = parseWith(adminReportsQuery, queryOf(req));
  return Response.json(await reviewQueue(await viewerDb(viewer), { limit }), { headers: { "Cache-Control": "no-store" } });
});
