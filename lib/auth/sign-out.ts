// Sign-out for both modes: clears the local cookie and, with Supabase Auth, ends the Supabase session.
import "server-only";
import { runtimeMode } from "@/lib/env";
import { clearSessionCookie } from "./local-session";

export async function signOut(secure: boolean): Promise<string> {
  if (runtimeMode().auth === "supabase") {
    const { createSupabaseServerClient } = await import("@/lib/supabase/server");
    await (await createSupabaseServerClient()).auth.signOut();
  }
  return clearSessionCookie(secure);
}
