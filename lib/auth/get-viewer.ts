// One getViewer() for both auth modes (docs/architecture.md, runtime modes): Supabase Auth when configured, local sessions
// otherwise. The profile (role, tier) always comes from our database, never from the token.
import "server-only";
import { runtimeMode, serverEnv } from "@/lib/env";
import { serviceDb } from "@/lib/db";
import { serverRealtimeOptions } from "@/lib/supabase/no-realtime";
import { claimsEmailVerified, isListedAdmin } from "./admin-emails";
import { localAuthEnabled } from "./local-auth-enabled";
import { readCookie, sessionCookieName, verifySession } from "./local-session";
import { viewerFromProfile, type Viewer } from "./viewer";

// A local cookie counts only while local sign-in is enabled and its session row is live (not signed out).
async function viewerForLocal(token: string | null): Promise<Viewer | null> {
  if (!token || !localAuthEnabled()) return null;
  const session = await verifySession(token);
  if (!session) return null;
  const profile = await (await serviceDb()).rpc("session_profile", { p_session_id: session.sessionId, p_user_id: session.userId });
  return profile ? viewerFromProfile(profile) : null;
}

/**
 * Supabase users get a profile on first sight. Admin follows ADMIN_EMAILS for verified addresses on
 * every request: granted while listed, taken back once removed (only from admins the list made).
 */
async function viewerForSupabaseUser(userId: string, email: string, emailVerified: boolean): Promise<Viewer> {
  const db = await serviceDb();
  const wantAdmin = emailVerified && isListedAdmin(email);
  let profile = await db.rpc("get_profile", { p_user_id: userId });
  if (!profile || profile.email !== email.toLowerCase()) {
    profile = await db.rpc("sync_profile", { p_user_id: userId, p_email: email, p_promote_admin: false });
  }
  if (wantAdmin !== profile.isAdmin) {
    profile = await db.rpc("sync_admin_role", { p_user_id: userId, p_listed_and_verified: wantAdmin });
  }
  return viewerFromProfile(profile);
}

type ClaimsClient = { auth: { getClaims(): Promise<{ data: { claims: Record<string, unknown> } | null; error: unknown }> } };

async function viewerForSupabase(client: ClaimsClient): Promise<Viewer | null> {
  const { data, error } = await client.auth.getClaims();
  const sub = data?.claims?.sub;
  const email = data?.claims?.email;
  if (error || typeof sub !== "string" || typeof email !== "string") return null;
  return viewerForSupabaseUser(sub, email, claimsEmailVerified(data!.claims));
}

/** The viewer of a request, from its Cookie header (route handlers and plain tests alike). */
export async function getViewer(req: Request): Promise<Viewer | null> {
  const header = req.headers.get("cookie");
  if (runtimeMode().auth === "local") return viewerForLocal(readCookie(header, sessionCookieName));
  const env = serverEnv();
  const { createServerClient, parseCookieHeader } = await import("@supabase/ssr");
  const client = createServerClient(env.NEXT_PUBLIC_SUPABASE_URL!, env.NEXT_PUBLIC_SUPABASE_ANON_KEY ?? "", {
    ...serverRealtimeOptions,
    cookies: {
      getAll: () => parseCookieHeader(header ?? "").map((c) => ({ name: c.name, value: c.value ?? "" })),
      setAll: () => {}, // refreshed cookies are written by proxy.ts
    },
  });
  return viewerForSupabase(client as unknown as ClaimsClient);
}

/** The viewer in a server component or server action (next/headers cookies()). */
export async function getViewerFromCookies(): Promise<Viewer | null> {
  const { cookies } = await import("next/headers");
  const store = await cookies();
  if (runtimeMode().auth === "local") return viewerForLocal(store.get(sessionCookieName)?.value ?? null);
  const { createSupabaseServerClient } = await import("@/lib/supabase/server");
  return viewerForSupabase((await createSupabaseServerClient()) as unknown as ClaimsClient);
}
