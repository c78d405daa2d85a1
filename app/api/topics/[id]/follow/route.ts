// PUT|DELETE /api/topics/[id]/follow — follow a topic (at a difficulty) or stop following it
import { parseWith, readJsonBody } from "@/lib/api/body";
import { withViewer } from "@/lib/api/handler";
import { followBody, idParams } from "@/lib/contracts";
import { viewerDb } from "@/lib/api/viewer-db";

export const dynamic = "force-dynamic";

function follow(on: boolean) {
  return withViewer(async (req, { viewer, params }) => {
    const { id } = parseWith(idParams, params);
    const body = await readJsonBody(req, followBody, { allowEmpty: true });
    const db = await viewerDb(viewer);
    return Response.json(
      await db.rpc("set_topic_follow", { p_topic_id: id, p_follow: on, ...(body.difficulty ? { p_difficulty: body.difficulty } : {}) }),
    );
  });
}

export const PUT = follow(true);
export const DELETE = follow(false);
