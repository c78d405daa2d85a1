// GET /api/fyp/top-ups/{id} — the state of the caller's own top-up job (the feed polls it)
import { parseWith } from "@/lib/api/body";
import { AppError } from "@/lib/api/errors";
import { withViewer } from "@/lib/api/handler";
import { idParams, type TopUpStatusResponse } from "@/lib/contracts";
import { enqueueingEngine, topUpStatus } from "@/lib/jobs";

export const dynamic = "force-dynamic";

export const GET = withViewer(async (_req, { viewer, params }) => {
  const { id } = parseWith(idParams, params);
  const engine = await enqueueingEngine();
  // Someone else's job answers like a missing one.
  const job = engine ? await topUpStatus(engine, id, viewer.userId) : null;
  if (!job) throw new AppError("not_found", "No top-up with that id.");
  const delivered = job.state === "done" ? deliveredOf(job.output) : null;
  return Response.json({ id: job.id, state: job.state, delivered } satisfies TopUpStatusResponse, { headers: { "Cache-Control": "no-store" } });
});

function deliveredOf(output: unknown): number | null {
  if (!output || typeof output !== "object") return null;
  const o = output as { fromLibrary?: unknown; delivered?: unknown };
  return (typeof o.fromLibrary === "number" ? o.fromLibrary : 0) + (typeof o.delivered === "number" ? o.delivered : 0);
}
