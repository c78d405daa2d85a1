// GET /api/me — the signed-in user, their quota and whether lessons come from the simulator
import { AppError, toErrorResponse } from "@/lib/api/errors";
import { getViewer, userJson } from "@/lib/auth";
import { getDb } from "@/lib/db";
import { runtimeMode } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function GET(req: Request): Promise<Response> {
  try {
    const viewer = await getViewer(req);
    if (!viewer) throw new AppError("unauthenticated");
    const db = await getDb({ role: "authenticated", userId: viewer.userId, email: viewer.email });
    const quota = await db.rpc("get_my_quota");
    return Response.json(
      { user: userJson(viewer), quota, provider: { simulated: runtimeMode().provider === "sim" } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (err) {
    return toErrorResponse(err);
  }
}
