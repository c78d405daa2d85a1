// GET /api/health — up or not for everyone; database mode, migration version and model provider only
// for admins and the cron secret (anonymous callers learn nothing about the deployment).
import { hasCronSecret } from "@/lib/api/handler";
import { getViewer } from "@/lib/auth";
import { checkDbHealth } from "@/lib/db/health";
import { runtimeMode, serverEnv } from "@/lib/env";
import { presetFor } from "@/lib/llm/presets";

export const dynamic = "force-dynamic";

async function maySeeDetail(req: Request): Promise<boolean> {
  if (hasCronSecret(req)) return true;
  try {
    return (await getViewer(req))?.isAdmin === true;
  } catch {
    return false; // the database may be the thing that is down
  }
}

export async function GET(req: Request): Promise<Response> {
  const db = await checkDbHealth();
  const ok = db.status === "ok";
  const headers = { "Cache-Control": "no-store" };
  if (!(await maySeeDetail(req))) return Response.json({ ok }, { status: ok ? 200 : 503, headers });
  const mode = runtimeMode().provider;
  const model = serverEnv().LLM_MODEL ?? presetFor(mode).model;
  return Response.json({ ok, db, provider: { mode, model, simulated: mode === "sim" } }, { status: ok ? 200 : 503, headers });
}
