// Database health for GET /api/health: reachable, and which migration it is on. No internals leak.
import "server-only";
import { runtimeMode } from "@/lib/env";
import { serviceDb } from "./index";

export interface DbHealth {
  mode: "pglite" | "postgres" | "supabase";
  status: "ok" | "error";
  migrationVersion: string | null;
}

export async function checkDbHealth(): Promise<DbHealth> {
  const mode = runtimeMode().database;
  try {
    const result = await (await serviceDb()).rpc("db_health");
    return { mode, status: result?.ok ? "ok" : "error", migrationVersion: result?.migrationVersion ?? null };
  } catch (err) {
    console.error("[health] database check failed", err);
    return { mode, status: "error", migrationVersion: null };
  }
}
