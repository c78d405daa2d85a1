// The function registry (lib/db/functions) against the migrated database: every contract names a
// function that exists with the same argument names, compatible types and the same defaults, and every
// function an API role may execute is either in the registry or on the commented list below. A migration
// that changes a signature without its contract fails here.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import { toErrorResponse } from "@/lib/api/errors";
import { contractDb } from "@/lib/db/contract-db";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { dbFunctions } from "@/lib/db/functions";

/** Callable by an API role but deliberately not in the registry: the app never calls them by name. */
const notInRegistry: Record<string, string> = {
  // Internal helpers other functions call; moved to private by the SQL split.
  iso: "moved to private by the SQL split",
  raise_app: "moved to private by the SQL split",
  require_uid: "moved to private by the SQL split",
  lesson_json: "moved to private by the SQL split",
  normalize_title: "moved to private by the SQL split",
  touch_playlist: "moved to private by the SQL split",
  playlist_summary: "moved to private by the SQL split",
  require_own_playlist: "moved to private by the SQL split",
  check_playlist_fields: "moved to private by the SQL split",
  // Row-level security policies call it as the signed-in user; the app never does.
  is_admin: "used by RLS policies",
};

/** In the registry for the tests' sake, but may live outside the migrations (test setup). */
const mayBeAbsent = new Set(["seed_quota_usage"]);

interface DbArg {
  name: string;
  type: string;
  hasDefault: boolean;
}

interface DbFunction {
  name: string;
  args: DbArg[];
  overloads: number;
}

async function callableFunctions(db: TestDb): Promise<Map<string, DbFunction>> {
  const rows = await db.sql.query(`
    select p.proname as name,
           count(*) over (partition by p.proname)::int as overloads,
           coalesce(p.proargnames, '{}') as arg_names,
           coalesce(p.proargmodes::text[], '{}') as arg_modes,
           array(select format_type(t, null) from unnest(p.proargtypes::oid[]) with ordinality as a(t, i) order by i) as arg_types,
           p.pronargs::int as nargs,
           p.pronargdefaults::int as ndefaults
      from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public'
       and (has_function_privilege('authenticated', p.oid, 'execute')
         or has_function_privilege('anon', p.oid, 'execute')
         or has_function_privilege('service_role', p.oid, 'execute'))
     order by p.proname`);
  const out = new Map<string, DbFunction>();
  for (const r of rows) {
    const names = (r.arg_names as string[]).filter((_, i) => {
      const mode = (r.arg_modes as string[])[i];
      return mode === undefined || mode === "i" || mode === "b";
    });
    const types = r.arg_types as string[];
    const nargs = r.nargs as number;
    const ndefaults = r.ndefaults as number;
    out.set(r.name as string, {
      name: r.name as string,
      overloads: r.overloads as number,
      args: types.map((type, i) => ({ name: names[i] ?? `$${i + 1}`, type, hasDefault: i >= nargs - ndefaults })),
    });
  }
  return out;
}

type Schema = z.ZodType;

function unwrap(schema: Schema): { inner: Schema; optional: boolean } {
  let s = schema;
  let optional = false;
  for (;;) {
    const def = s.def as { type: string; innerType?: Schema };
    if (def.type === "optional") optional = true;
    if ((def.type === "optional" || def.type === "nullable" || def.type === "default") && def.innerType) s = def.innerType;
    else return { inner: s, optional };
  }
}

/** Does a zod argument schema accept what a parameter of this Postgres type needs? */
function compatible(pgType: string, schema: Schema): boolean {
  const { inner } = unwrap(schema);
  const def = inner.def as { type: string; element?: Schema };
  const format = (inner as { format?: string | null }).format ?? null;
  const isUuid = def.type === "string" && (format === "guid" || format === "uuid");
  switch (pgType) {
    case "uuid":
      return isUuid;
    case "text":
      return (def.type === "string" && !isUuid) || def.type === "enum" || def.type === "literal";
    case "date":
    case "timestamp with time zone":
      return def.type === "string" && !isUuid;
    case "integer":
    case "bigint":
    case "smallint":
      return def.type === "number" && format === "safeint";
    case "double precision":
    case "numeric":
    case "real":
      return def.type === "number";
    case "boolean":
      return def.type === "boolean";
    case "uuid[]":
      return def.type === "array" && !!def.element && compatible("uuid", def.element);
    case "jsonb":
      return true; // any JSON value; the function checks its shape
    default:
      return false;
  }
}

/** Every way the registry and the database disagree, one line each. */
function compare(fns: Map<string, DbFunction>): string[] {
  const problems: string[] = [];
  for (const [name, contract] of Object.entries(dbFunctions)) {
    const fn = fns.get(name);
    if (!fn) {
      if (!mayBeAbsent.has(name)) problems.push(`${name}: in the registry, but no function public.${name} an API role may execute`);
      continue;
    }
    if (fn.overloads > 1) problems.push(`${name}: ${fn.overloads} overloads; named-argument calls need exactly one`);
    const shape = (contract.args as z.ZodObject).shape as Record<string, Schema>;
    const dbNames = fn.args.map((a) => a.name);
    for (const key of Object.keys(shape)) {
      if (!dbNames.includes(key)) problems.push(`${name}: the contract passes ${key}, the function has (${dbNames.join(", ")})`);
    }
    for (const arg of fn.args) {
      const schema = shape[arg.name];
      if (!schema) {
        problems.push(`${name}: the function takes ${arg.name} ${arg.type}${arg.hasDefault ? " default …" : ""}, the contract does not`);
        continue;
      }
      if (!compatible(arg.type, schema)) problems.push(`${name}.${arg.name}: ${arg.type} in SQL, the contract's type does not fit`);
      const { optional } = unwrap(schema);
      if (optional !== arg.hasDefault) {
        problems.push(`${name}.${arg.name}: ${arg.hasDefault ? "has a default in SQL but is required" : "has no default in SQL but is optional"} in the contract`);
      }
    }
  }
  for (const name of fns.keys()) {
    if (!(name in dbFunctions) && !(name in notInRegistry)) {
      problems.push(`${name}: an API role may execute public.${name}, but it is neither in the registry nor on the ignore list`);
    }
  }
  return problems;
}

describe("function contracts match the migrated database", () => {
  let db: TestDb;
  let fns: Map<string, DbFunction>;
  beforeAll(async () => {
    db = await createTestDb();
    fns = await callableFunctions(db);
  }, 120_000);
  afterAll(async () => {
    await db?.cleanup();
  });

  it("every registered function exists with the same arguments, and every callable one is accounted for", () => {
    expect(compare(fns)).toEqual([]);
  });

  it("reads real signatures (the check is not vacuous)", () => {
    expect(fns.get("get_playlist")?.args).toEqual([{ name: "p_playlist_id", type: "uuid", hasDefault: false }]);
    expect(fns.get("fyp_deliver")?.args.map((a) => [a.name, a.type, a.hasDefault])).toEqual([
      ["p_user_id", "uuid", false],
      ["p_lesson_ids", "uuid[]", false],
      ["p_cap", "integer", true],
    ]);
  });

  it("reports a renamed argument, a changed type, a lost default and an unlisted function", () => {
    const changed = new Map(fns);
    const rename = (fn: string, edit: (a: DbArg[]) => DbArg[]) => changed.set(fn, { ...changed.get(fn)!, args: edit(changed.get(fn)!.args) });
    rename("get_lesson", () => [{ name: "p_id", type: "uuid", hasDefault: false }]);
    rename("take_rate_limit", (a) => a.map((x) => (x.name === "p_capacity" ? { ...x, type: "text" } : x)));
    rename("create_playlist", (a) => a.map((x) => ({ ...x, hasDefault: false })));
    changed.set("surprise", { name: "surprise", args: [], overloads: 1 });
    expect(compare(changed).sort()).toEqual([
      "create_playlist.p_description: has no default in SQL but is optional in the contract",
      "get_lesson: the contract passes p_lesson_id, the function has (p_id)",
      "get_lesson: the function takes p_id uuid, the contract does not",
      "surprise: an API role may execute public.surprise, but it is neither in the registry nor on the ignore list",
      "take_rate_limit.p_capacity: text in SQL, the contract's type does not fit",
    ]);
  });
});

describe("a result that does not fit its contract", () => {
  it("is an internal error: 500 with the standard body, no details, logged on the server", async () => {
    const db = contractDb(async () => ({ ok: "yes", migrationVersion: 42, secret: "select * from private.keys" }));
    const err = await db.rpc("db_health").catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DbError", code: "XX000", message: "result of db_health does not match its contract" });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = toErrorResponse(err);
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "internal", message: "Something went wrong on our side." } });
  });

  it("passes a fitting result through, parsed", async () => {
    const db = contractDb(async (fn, args) => (fn === "fyp_deliver" && args.p_lesson_ids instanceof Array ? { delivered: 0, extra: true } : null));
    expect(await db.rpc("fyp_deliver", { p_user_id: "00000000-0000-4000-8000-000000000001", p_lesson_ids: [] })).toEqual({ delivered: 0 });
  });
});
