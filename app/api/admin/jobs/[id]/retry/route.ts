// POST /api/admin/jobs/{id}/retry — move a dead-lettered job back onto its queue (admin only)
import { parseWith } from "@/lib/api/body";
import { AppError } from "@/lib/api/errors";
import { withAdmin } from "@/lib/api/handler";
import { idParams, type JobRetryResponse } from "@/lib/contracts";
import { enqueueingEngine, retryDeadJob } from "@/lib/jobs";

export const dynamic = "force-dynamic";

export const POST = withAdmin(async (_req, { params }) => {
  const { id } = parseWith(idParams, params);
  const engine = await enqueueingEngine();
  // No engine in this process (embedded database without its worker): there are no dead jobs to retry.
  if (!engine || !(await retryDeadJob(engine, id))) throw new AppError("not_found", "No dead job with that id.");
  return Response.json({ retried: true, id } satisfies JobRetryResponse, { headers: { "Cache-Control": "no-store" } });
});
