// Session refresh for proxy.ts, as in next.js examples/with-supabase: reads the auth cookies from the
// request, lets supabase-js refresh an expiring token, and writes the new cookies on the response.
import { createServerClient } from "@supabase/ssr";
import { NextResponse, type NextRequest } from "next/server";
import { serverRealtimeOptions } from "./no-realtime";

export async function updateSupabaseSession(request: NextRequest, url: string, anonKey: string): Promise<NextResponse> {
  let response = NextResponse.next({ request });
  const supabase = createServerClient(url, anonKey, {
    ...serverRealtimeOptions,
    cookies: {
      getAll() {
        return request.cookies.getAll();
      },
      setAll(cookiesToSet, headers) {
        cookiesToSet.forEach(({ name, value }) => request.cookies.set(name, value));
        response = NextResponse.next({ request });
        cookiesToSet.forEach(({ name, value, options }) => response.cookies.set(name, value, options));
        Object.entries(headers ?? {}).forEach(([k, v]) => response.headers.set(k, v));
      },
    },
  });
  // Do not put code between createServerClient and getClaims(): it is what refreshes the session.
  await supabase.auth.getClaims();
  return response;
}
