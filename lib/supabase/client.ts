// Supabase client for the browser (public anon key only), as in next.js examples/with-supabase.
// The URL and key arrive as props from a server component, so the browser bundle never carries
// lib/env.ts (and with it the names and rules of every server variable).
import { createBrowserClient } from "@supabase/ssr";

export interface SupabasePublicConfig {
  url: string;
  anonKey: string;
}

export function createSupabaseBrowserClient(config: SupabasePublicConfig) {
  return createBrowserClient(config.url, config.anonKey);
}
