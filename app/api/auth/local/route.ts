// POST /api/auth/local — email sign-in with a local session cookie (development and demos)
import { AppError, toAppError, toErrorResponse } from "@/lib/api/errors";
import { userJson } from "@/lib/auth";
import { assertLocalAuthAllowed, isBrowserFormPost, readSignInBody, safeNextPath, signInLocal } from "@/lib/auth/local-sign-in";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  const browserForm = isBrowserFormPost(req);
  try {
    assertLocalAuthAllowed();
    const input = await readSignInBody(req);
    const { viewer, setCookie } = await signInLocal(input.email, req);
    const headers = new Headers({ "Set-Cookie": setCookie, "Cache-Control": "no-store" });
    if (input.form) {
      headers.set("Location", safeNextPath(input.next, new URL(req.url).origin));
      return new Response(null, { status: 303, headers });
    }
    return Response.json({ user: userJson(viewer) }, { headers });
  } catch (err) {
    const appError = toAppError(err);
    // A browser's plain form gets the login page back with the reason; 404 (Supabase mode) stays a 404.
    if (browserForm && AppError.is(appError) && appError.code !== "not_found") {
      return new Response(null, { status: 303, headers: { Location: `/login?error=${appError.code}`, "Cache-Control": "no-store" } });
    }
    return toErrorResponse(appError);
  }
}
