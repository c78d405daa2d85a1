// What PostgREST does per request, for the SQL adapters: one transaction that takes the actor's role
// and JWT claims, then calls the function with named arguments and returns its jsonb (docs/database.md).
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

// Values are passed as native JS values, untyped in the SQL: each driver learns the parameter types
// from the server (the function's signature) and serialises accordingly (objects and arrays to jsonb
// as JSON, arrays to uuid[] as Postgres arrays, booleans, dates) — the same JSON-in semantics as
// PostgREST's named-argument call.
export function toParam(value: unknown, key: string): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new DbError(`argument ${key} is not a finite number`, "22023");
  }
  return value;
}

export interface RpcStatement {
  sql: string;
  params: unknown[];
}

/**
 * `select public.fn(p_a => $1, ...) as result`. Names are checked against a strict pattern, so they
 * can be spliced; values are always parameters.
 */
export function buildRpc(fn: string, args: Record<string, unknown> = {}): RpcStatement {
  if (!identifier.test(fn)) throw new DbError(`invalid function name: ${fn}`, "42601");
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const name of Object.keys(args)) {
    if (args[name] === undefined) continue;
    if (!identifier.test(name)) throw new DbError(`invalid argument name: ${name}`, "42601");
    params.push(toParam(args[name], name));
    parts.push(`${name} => $${params.length}`);
  }
  return { sql: `select public.${fn}(${parts.join(", ")}) as result`, params };
}

export async function runRpc(query: TxQuery, actor: DbActor, fn: string, args?: Record<string, unknown>): Promise<unknown> {
  const stmt = buildRpc(fn, args);
  await query(`set local role ${roleOf(actor)}`);
  await query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claimsOf(actor))]);
  const rows = await query(stmt.sql, stmt.params);
  return rows[0]?.result ?? null;
}

interface PgErrorLike {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
}

/** Any driver's Postgres error → DbError(message, sqlstate, details, hint). */
export function toDbError(err: unknown): DbError {
  if (DbError.is(err)) return err;
  // The postgres driver serialises date parameters through Date and throws RangeError on bad input.
  if (err instanceof RangeError) return new DbError("invalid date or time value", "22007");
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
