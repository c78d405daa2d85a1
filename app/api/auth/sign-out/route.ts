// POST /api/auth/sign-out — ends the session (local cookie or Supabase Auth)
import { toErrorResponse } from "@/lib/api/errors";
import { requestIsHttps } from "@/lib/auth/local-sign-in";
import { signOut } from "@/lib/auth/sign-out";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  try {
    const headers = new Headers({ "Set-Cookie": await signOut(req, requestIsHttps(req)), "Cache-Control": "no-store" });
    const type = (req.headers.get("content-type") ?? "").toLowerCase();
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      headers.set("Location", "/login");
      return new Response(null, { status: 303, headers });
    }
    return Response.json({ signedOut: true }, { headers });
  } catch (err) {
    return toErrorResponse(err);
  }
}
