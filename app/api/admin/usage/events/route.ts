// GET /api/admin/usage/events — individual usage events, newest first, filterable (JSON or CSV)
import { parseWith, queryOf } from "@/lib/api/body";
import { withAdmin } from "@/lib/api/handler";
import { adminUsageEventsQuery } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";
import { adminUsageEvents } from "@/lib/usage/admin-usage";
import { csvResponse, usageEventsCsv } from "@/lib/usage/admin-usage-csv";

export const dynamic = "force-dynamic";

export const GET = withAdmin(async (req, { viewer }) => {
  const { format, ...q } = parseWith(adminUsageEventsQuery, queryOf(req));
  const out = await adminUsageEvents(await viewerDb(viewer), q);
  if (format === "csv") return csvResponse(usageEventsCsv(out.events), `lessonloom-usage-events-${out.from}-to-${out.to}.csv`);
  return Response.json(out, { headers: { "Cache-Control": "no-store" } });
});
