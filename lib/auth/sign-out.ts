// Sign-out for both modes: revokes the local session row and clears its cookie, or, with Supabase Auth,
// ends the Supabase session.
import "server-only";
import { runtimeMode } from "@/lib/env";
import { clearSessionCookie, readCookie, revokeSession, sessionCookieName } from "./local-session";

export async function signOut(req: Request, secure: boolean): Promise<string> {
  if (runtimeMode().auth === "supabase") {
    const { createSupabaseServerClient } = await import("@/lib/supabase/server");
    await (await createSupabaseServerClient()).auth.signOut();
  } else {
    await revokeSession(readCookie(req.headers.get("cookie"), sessionCookieName));
  }
  return clearSessionCookie(secure);
}
