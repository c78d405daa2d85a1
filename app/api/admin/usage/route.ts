// GET /api/admin/usage — usage and savings aggregates by day, model, mode, feature or user (JSON or CSV)
import { parseWith, queryOf } from "@/lib/api/body";
import { withAdmin } from "@/lib/api/handler";
import { adminUsageQuery } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";
import { adminUsage } from "@/lib/usage/admin-usage";
import { csvResponse, usageCsv } from "@/lib/usage/admin-usage-csv";

export const dynamic = "force-dynamic";

export const GET = withAdmin(async (req, { viewer }) => {
  const q = parseWith(adminUsageQuery, queryOf(req));
  const usage = await adminUsage(await viewerDb(viewer), q);
  if (q.format === "csv") return csvResponse(usageCsv(usage), `lessonloom-usage-${usage.from}-to-${usage.to}-by-${usage.groupBy}.csv`);
  return Response.json(usage, { headers: { "Cache-Control": "no-store" } });
});
