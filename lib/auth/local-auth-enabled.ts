// Whether local email sessions are accepted at all: only without Supabase Auth, and in production only
// with LOCAL_AUTH=allow. When off, existing local cookies are refused too, not just new sign-ins.
import "server-only";
import { runtimeMode, serverEnv } from "@/lib/env";

export function localAuthEnabled(): boolean {
  const env = serverEnv();
  if (runtimeMode(env).auth !== "local") return false;
  return env.LOCAL_AUTH !== "deny" && (env.NODE_ENV !== "production" || env.LOCAL_AUTH === "allow");
}
