// One getViewer() for both auth modes (DESIGN §2): Supabase Auth when configured, local sessions
// otherwise. The profile (role, tier) always comes from our database, never from the token.
import "server-only";
import { runtimeMode, serverEnv } from "@/lib/env";
import { serviceDb } from "@/lib/db";
import { serverRealtimeOptions } from "@/lib/supabase/no-realtime";
import { readCookie, sessionCookieName, verifySession } from "./local-session";
import { viewerFromProfile, type Viewer } from "./viewer";

async function viewerForLocal(token: string | null): Promise<Viewer | null> {
  if (!token) return null;
  const session = await verifySession(token);
  if (!session) return null;
  const profile = await (await serviceDb()).rpc("get_profile", { p_user_id: session.userId });
  return profile ? viewerFromProfile(profile) : null;
}

/** Supabase users get a profile on first sight, and ADMIN_EMAILS promotion when listed. */
async function viewerForSupabaseUser(userId: string, email: string): Promise<Viewer> {
  const db = await serviceDb();
  const promote = serverEnv().ADMIN_EMAILS.includes(email.toLowerCase());
  let profile = await db.rpc("get_profile", { p_user_id: userId });
  if (!profile || (promote && profile.role !== "admin") || profile.email !== email.toLowerCase()) {
    profile = await db.rpc("sync_profile", { p_user_id: userId, p_email: email, p_promote_admin: promote });
  }
  return viewerFromProfile(profile!);
}

type ClaimsClient = { auth: { getClaims(): Promise<{ data: { claims: Record<string, unknown> } | null; error: unknown }> } };

async function viewerForSupabase(client: ClaimsClient): Promise<Viewer | null> {
  const { data, error } = await client.auth.getClaims();
  const sub = data?.claims?.sub;
  const email = data?.claims?.email;
  if (error || typeof sub !== "string" || typeof email !== "string") return null;
  return viewerForSupabaseUser(sub, email);
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
