// What PostgREST does per request, for the SQL adapters: one transaction that takes the actor's role
// and JWT claims, then calls the function with named arguments and returns its jsonb (DESIGN §3).
import "server-only";
import { DbError, type DbActor } from "./port";

const identifier = /^[a-z_][a-z0-9_]*$/;

/** Runs statements on one connection inside one transaction. */
export type TxQuery = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export function roleOf(actor: DbActor): "anon" | "authenticated" | "service_role" {
  return actor.role;
}

/** The claims PostgREST would derive from the caller's JWT. */
export function claimsOf(actor: DbActor): Record<string, unknown> {
  if (actor.role === "authenticated") {
    return { sub: actor.userId, role: "authenticated", email: actor.email ?? null };
  }
  return { role: actor.role };
}

// Parameters go over the wire as text of unknown type, so Postgres types each one from the function's
// signature (uuid, int, uuid[], jsonb, ...) exactly as PostgREST's named-argument call does.
export function toParam(value: unknown, key: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new DbError(`argument ${key} is not a finite number`, "22023");
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v))) {
    // A Postgres array literal; a jsonb parameter given an array is JSON below, decided by the server's type.
    return `{${value.map((v) => (v === null ? "NULL" : `"${String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)).join(",")}}`;
  }
  return JSON.stringify(value);
}

export interface RpcStatement {
  sql: string;
  params: (string | null)[];
}

/**
 * `select public.fn(p_a => $1, ...) as result`. Names are checked against a strict pattern, so they
 * can be spliced; values are always parameters. Arrays meant for jsonb parameters are passed as JSON:
 * callers hand `jsonArgs` the names of jsonb parameters (see jsonbArgs below).
 */
export function buildRpc(fn: string, args: Record<string, unknown> = {}): RpcStatement {
  if (!identifier.test(fn)) throw new DbError(`invalid function name: ${fn}`, "42601");
  const names = Object.keys(args).filter((k) => args[k] !== undefined);
  const parts: string[] = [];
  const params: (string | null)[] = [];
  for (const name of names) {
    if (!identifier.test(name)) throw new DbError(`invalid argument name: ${name}`, "42601");
    const value = args[name];
    params.push(jsonbArgs.has(name) ? (value === null ? null : JSON.stringify(value)) : toParam(value, name));
    parts.push(`${name} => $${params.length}`);
  }
  return { sql: `select public.${fn}(${parts.join(", ")}) as result`, params };
}

// Arguments that are jsonb in every function that takes them (docs/database.md). A JS array given to
// one of these is JSON, never a Postgres array literal.
const jsonbArgs = new Set(["p_lessons", "p_events", "p_result"]);

export async function runRpc<T>(query: TxQuery, actor: DbActor, fn: string, args?: Record<string, unknown>): Promise<T> {
  const stmt = buildRpc(fn, args);
  await query(`set local role ${roleOf(actor)}`);
  await query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claimsOf(actor))]);
  const rows = await query(stmt.sql, stmt.params);
  return (rows[0]?.result ?? null) as T;
}

interface PgErrorLike {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
}

/** Any driver's Postgres error → DbError(message, sqlstate, details, hint). */
export function toDbError(err: unknown): DbError {
  if (err instanceof DbError) return err;
  const e = (err ?? {}) as PgErrorLike;
  const code = typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : "XX000";
  const message = typeof e.message === "string" ? e.message : "database error";
  return new DbError(
    message,
    code,
    typeof e.detail === "string" ? e.detail : null,
    typeof e.hint === "string" ? e.hint : null,
  );
}
