// The Db port on supabase-js: `client.rpc(name, args)` through PostgREST, which applies the caller's
// JWT role and claims itself. Errors keep PostgREST's {code, message, details, hint}; results are parsed
// with the function's contract.
import "server-only";
import type { SupabaseClient } from "@supabase/supabase-js";
import { contractDb } from "./contract-db";
import { DbError, type Db, type DbActor, type DbProvider } from "./port";

// Minimal structural type so any supabase-js client (SSR, admin, test) fits.
type RpcClient = Pick<SupabaseClient, "rpc">;

export function createSupabaseDb(client: RpcClient | (() => Promise<RpcClient>)): Db {
  return contractDb(async (fn, args) => {
    const c = typeof client === "function" ? await client() : client;
    const { data, error } = await c.rpc(fn, args);
    if (error) {
      throw new DbError(error.message, error.code || "PGRST000", error.details ?? null, error.hint ?? null);
    }
    return data ?? null;
  });
}

/** Clients per actor: service calls use the admin client; authenticated calls the request's own session. */
export interface SupabaseClientFactory {
  service(): RpcClient;
  anon(): RpcClient;
  user(): Promise<RpcClient>;
}

export function createSupabaseProvider(clients: SupabaseClientFactory): DbProvider {
  return {
    kind: "supabase",
    as(actor: DbActor): Db {
      if (actor.role === "service_role") return createSupabaseDb(async () => clients.service());
      if (actor.role === "anon") return createSupabaseDb(async () => clients.anon());
      // The user's JWT (from the request cookies) decides auth.uid(); actor.userId is only the caller's belief.
      return createSupabaseDb(() => clients.user());
    },
    async close() {},
  };
}
