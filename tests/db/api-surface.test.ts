// The database's API surface is what docs/database.md says it is: every function in `public` and
// `private`, with the roles that may execute it, compared row for row with the documented list.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";

const apiRoles = ["anon", "authenticated", "service_role"] as const;
type Callers = Record<string, string[]>;

/** The rows of the markdown table under `heading`: function name → roles named in "who may call it". */
function documentedTable(doc: string, heading: string): Callers {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/database.md has no "${heading}" section`);
  const rows: Callers = {};
  let inTable = false;
  for (const line of doc.slice(start + heading.length + 2).split("\n")) {
    if (line.startsWith("#")) break;
    if (!line.startsWith("|")) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line.split("|").map((c) => c.trim());
    const name = /^`([a-z_]+\.[a-z_]+)`$/.exec(cells[1] ?? "")?.[1];
    if (!name) continue; // header and separator rows
    rows[name] = apiRoles.filter((r) => new RegExp(`\`${r}\``).test(cells[2] ?? ""));
  }
  return rows;
}

const doc = readFileSync("docs/database.md", "utf8");
const documented = documentedTable(doc, "### Function list");
const testOnly = documentedTable(doc, "### Test-only helpers");
const migrationsSql = readdirSync("supabase/migrations")
  .map((n) => readFileSync(path.join("supabase/migrations", n), "utf8"))
  .join("\n");
const testHelpersSql = readFileSync("supabase/testing/test_helpers.sql", "utf8");

describe("the documented function list", () => {
  it("is a real list: learner, admin, service and private functions", () => {
    expect(Object.keys(documented).length).toBeGreaterThan(40);
    expect(documented["public.me"]).toEqual(["authenticated"]);
    expect(documented["public.reserve_quota"]).toEqual(["service_role"]);
    expect(documented["private.quota_status"]).toEqual([]);
  });

  it("keeps test-only helpers out of the migrations", () => {
    const defined = [...testHelpersSql.matchAll(/create (?:or replace )?function ([a-z_]+\.[a-z_]+)\(/g)].map((m) => m[1]);
    expect(defined.sort()).toEqual(Object.keys(testOnly).sort());
    for (const fn of defined) expect(migrationsSql).not.toContain(fn.split(".")[1]);
  });
});

describe.each(testDbKinds())("API surface on $kind", ({ kind, skip }) => {
  let db: TestDb;
  let fns: { fn: string; anon: boolean; authenticated: boolean; service_role: boolean; definer: boolean; config: string[] | null }[];

  beforeAll(async () => {
    if (skip) return;
    db = await createTestDb({ kind });
    fns = (await db.sql.query(
      `select n.nspname || '.' || p.proname as fn,
              has_function_privilege('anon', p.oid, 'execute') as anon,
              has_function_privilege('authenticated', p.oid, 'execute') as authenticated,
              has_function_privilege('service_role', p.oid, 'execute') as service_role,
              p.prosecdef as definer, p.proconfig as config
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('public', 'private')
        order by 1`,
    )) as typeof fns;
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it.skipIf(skip)("grants EXECUTE exactly as docs/database.md lists it", () => {
    const actual: Callers = Object.fromEntries(fns.map((f) => [f.fn, apiRoles.filter((r) => f[r])]));
    expect(actual).toEqual({ ...documented, ...testOnly });
  });

  it.skipIf(skip)("lets authenticated execute only the learner and admin API and the documented private helpers", () => {
    const mayRun = (role: (typeof apiRoles)[number]) => fns.filter((f) => f[role]).map((f) => f.fn);
    expect(mayRun("anon")).toEqual([]);
    expect(mayRun("authenticated")).toEqual(
      Object.keys(documented).filter((fn) => documented[fn].includes("authenticated")).sort(),
    );
    const privateFor = (role: (typeof apiRoles)[number]) => mayRun(role).filter((fn) => fn.startsWith("private."));
    expect(privateFor("service_role")).toEqual([]);
    expect(privateFor("authenticated")).toEqual(
      Object.keys(documented).filter((fn) => fn.startsWith("private.") && documented[fn].includes("authenticated")).sort(),
    );
  });

  it.skipIf(skip)("pins search_path to '' in every SECURITY DEFINER function", () => {
    const definers = fns.filter((f) => f.definer);
    expect(definers.length).toBeGreaterThan(20);
    expect(definers.some((f) => f.fn.startsWith("private."))).toBe(true);
    const loose = definers.filter((f) => !f.config?.some((c) => c === 'search_path=""' || c === "search_path="));
    expect(loose.map((f) => f.fn)).toEqual([]);
  });

  it.skipIf(skip)("exposes no private helper through the schema PostgREST serves", () => {
    const publicNames = new Set(fns.filter((f) => f.fn.startsWith("public.")).map((f) => f.fn.slice("public.".length)));
    const privateNames = fns.filter((f) => f.fn.startsWith("private.")).map((f) => f.fn.slice("private.".length));
    expect(privateNames.filter((n) => publicNames.has(n))).toEqual([]);
  });
});
