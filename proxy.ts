// Next 16 proxy (formerly middleware): refuses cross-site state-changing API requests (the one Origin
// check, lib/auth/same-origin.ts), then refreshes the Supabase Auth session on each request when
// Supabase is configured; with local sessions it passes straight through without loading supabase-js.
import { NextResponse, type NextRequest } from "next/server";
import { crossSiteRefusal } from "@/lib/auth/same-origin";
import { clientEnv, serverEnv } from "@/lib/env";

export async function proxy(request: NextRequest) {
  const refused = crossSiteRefusal(request, request.nextUrl.pathname, { trustProxy: serverEnv().TRUST_PROXY });
  if (refused) return new NextResponse(refused.body, { status: refused.status, headers: refused.headers });
  const { NEXT_PUBLIC_SUPABASE_URL: url, NEXT_PUBLIC_SUPABASE_ANON_KEY: anonKey } = clientEnv;
  if (!url || !anonKey) return NextResponse.next();
  const { updateSupabaseSession } = await import("@/lib/supabase/middleware");
  return updateSupabaseSession(request, url, anonKey);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
