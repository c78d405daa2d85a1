// POST /api/auth/local — email sign-in with a local session cookie (development and demos)
import { toErrorResponse } from "@/lib/api/errors";
import { userJson } from "@/lib/auth";
import { assertLocalAuthAllowed, readSignInBody, safeNextPath, signInLocal } from "@/lib/auth/local-sign-in";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  try {
    assertLocalAuthAllowed();
    const input = await readSignInBody(req);
    const { viewer, setCookie } = await signInLocal(input.email, req);
    const headers = new Headers({ "Set-Cookie": setCookie, "Cache-Control": "no-store" });
    if (input.form) {
      headers.set("Location", safeNextPath(input.next));
      return new Response(null, { status: 303, headers });
    }
    return Response.json({ user: userJson(viewer) }, { headers });
  } catch (err) {
    return toErrorResponse(err);
  }
}
