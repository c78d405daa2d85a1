// The typed face every adapter shows: it checks the name against the function registry, passes the
// arguments on and parses the jsonb that comes back with the function's contract. A result that does not
// match is a bug on our side, so it becomes an internal error (code XX000): logged, never shown.
import { z } from "zod";
import { dbFunctions, isFunctionName, type FunctionName, type ResultOf } from "./functions";
import { DbError, type Db } from "./port";
import { recordDbTime } from "./timing";

/** An adapter's untyped call: the function's jsonb result, or a DbError. */
export type RawRpc = (fn: string, args: Record<string, unknown>) => Promise<unknown>;

export function parseRpcResult<N extends FunctionName>(name: N, raw: unknown): ResultOf<N> {
  const schema: z.ZodType = dbFunctions[name].result;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new DbError(`result of ${name} does not match its contract`, "XX000", z.prettifyError(parsed.error));
  }
  // TypeScript cannot narrow the registry's union of schemas by a generic key; `name` picked this schema.
  return parsed.data as ResultOf<N>;
}

// The untyped call behind a Db, for what must reach the database unchecked: the PostgREST stand-in the
// tests run, and tests that send a wrong name or a wrong value on purpose to see the SQL refuse it.
const rawRpc = Symbol.for("lessonloom.rawRpc");
type WithRaw = Db & { [rawRpc]?: RawRpc };

export function contractDb(call: RawRpc): Db {
  const db: WithRaw = {
    async rpc(name, ...rest) {
      if (!isFunctionName(name)) throw new DbError(`function ${String(name)} is not in the registry`, "42883");
      const args = (rest[0] ?? {}) as Record<string, unknown>;
      const started = performance.now();
      let raw: unknown;
      try {
        raw = await call(name, args);
      } finally {
        recordDbTime(performance.now() - started);
      }
      return parseRpcResult(name, raw);
    },
    [rawRpc]: call,
  };
  return db;
}

/** Calls any function by name with any arguments, result unparsed. Not for app code: see above. */
export function rpcUnchecked(db: Db, fn: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const call = (db as WithRaw)[rawRpc];
  if (!call) throw new Error("this Db was not made by contractDb");
  return call(fn, args);
}
