// Next 16 proxy (formerly middleware): refreshes the Supabase Auth session on each request when
// Supabase is configured; with local sessions it passes straight through without loading supabase-js.
import { NextResponse, type NextRequest } from "next/server";
import { clientEnv } from "@/lib/env";

export async function proxy(request: NextRequest) {
  const { NEXT_PUBLIC_SUPABASE_URL: url, NEXT_PUBLIC_SUPABASE_ANON_KEY: anonKey } = clientEnv;
  if (!url || !anonKey) return NextResponse.next();
  const { updateSupabaseSession } = await import("@/lib/supabase/middleware");
  return updateSupabaseSession(request, url, anonKey);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|jpg|jpeg|gif|webp|ico)$).*)"],
};
