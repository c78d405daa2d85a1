// GET /api/health — database reachable and its migration version, plus the model provider mode
import { checkDbHealth } from "@/lib/db/health";
import { runtimeMode, serverEnv } from "@/lib/env";
import { presetFor } from "@/lib/llm/presets";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const db = await checkDbHealth();
  const mode = runtimeMode().provider;
  const model = serverEnv().LLM_MODEL ?? presetFor(mode).model;
  const ok = db.status === "ok";
  return Response.json(
    { ok, db, provider: { mode, model, simulated: mode === "sim" } },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
