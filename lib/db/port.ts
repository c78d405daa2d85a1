// The Db port: the app's one data path. Every read and write is a Postgres function called by name
// with named arguments; functions return jsonb, so every adapter sees the same shape. Names, arguments
// and results are typed by the function registry (lib/db/functions; docs/api.md).
import type { ArgsOf, FunctionName, ResultOf } from "./functions";

/** Who the call runs as. Adapters apply it the way PostgREST does: `set local role` + `request.jwt.claims`. */
export type DbActor =
  | { role: "anon" }
  | { role: "authenticated"; userId: string; email?: string | null }
  | { role: "service_role" };

/** Functions whose arguments all have defaults may be called without an args object. */
export type RpcArgs<N extends FunctionName> = Record<string, never> extends ArgsOf<N> ? [args?: ArgsOf<N>] : [args: ArgsOf<N>];

export interface Db {
  /** Calls a registered function; the result is parsed with its contract (a mismatch is an internal error). */
  rpc: <N extends FunctionName>(name: N, ...args: RpcArgs<N>) => Promise<ResultOf<N>>;
}

/** Hands out a Db bound to one actor. One per process (SQL adapters) or per request (supabase-js). */
export interface DbProvider {
  readonly kind: "pglite" | "postgres" | "supabase";
  as(actor: DbActor): Db;
  close(): Promise<void>;
}

const dbErrorBrand: unique symbol = Symbol.for("lessonloom.DbError");

/**
 * A failed rpc. `code` is the SQLSTATE (PostgREST's `code`); functions signal expected outcomes with
 * `raise exception using errcode = 'P0001', message = '<app_code>'` where app_code is one of
 * not_found | forbidden | invalid_request | conflict | playlist_empty | quota_exceeded | rate_limited.
 */
export class DbError extends Error {
  // The bundler may load this module more than once (one copy per server chunk), so `instanceof`
  // can miss; a registered symbol is the same in every copy.
  readonly [dbErrorBrand] = true;

  static is(err: unknown): err is DbError {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[dbErrorBrand] === true;
  }

  constructor(
    message: string,
    readonly code: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
  ) {
    super(message);
    this.name = "DbError";
  }
}
