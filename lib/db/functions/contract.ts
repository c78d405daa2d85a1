// One contract per Postgres function the app calls: its named arguments and the jsonb it returns, both
// as zod schemas. Every function returns jsonb, so types generated from the schema would only say `Json`
// for results; a zod contract types the arguments and also checks the result at run time (docs/api.md).
import type { z } from "zod";

export interface FnContract<A extends z.ZodObject = z.ZodObject, R extends z.ZodType = z.ZodType> {
  /** Named arguments exactly as the SQL signature spells them; optional where the function has a default. */
  args: A;
  /** What the function returns (parsed by every adapter). */
  result: R;
}

/** Declares a contract, keeping its precise types. */
export function fn<A extends z.ZodObject, R extends z.ZodType>(args: A, result: R): FnContract<A, R> {
  return { args, result };
}
