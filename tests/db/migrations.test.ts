// Migrations apply from empty on PGlite and, with TEST_DATABASE_URL, on a real server where the prelude
// is applied by the superuser and the migrations by a freshly created NON-superuser role.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";
import { listMigrations, migrate } from "@/lib/db/migrate";
import { DbError } from "@/lib/db/port";

const kinds = testDbKinds();

describe.each(kinds)("migrations on $kind", ({ kind, skip }) => {
  let db: TestDb;
  beforeAll(async () => {
    if (!skip) db = await createTestDb({ kind });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it.skipIf(skip)("applies every migration file and records its version", async () => {
    const files = await listMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(readdirSync("supabase/migrations").every((n) => /^\d{14}_[a-z0-9_]+\.sql$/.test(n))).toBe(true);
    const rows = await db.sql.query("select version from supabase_migrations.schema_migrations order by version");
    expect(rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
    expect(db.migration.version).toBe(files.at(-1)!.version);
  });

  it.skipIf(skip)("is a no-op the second time", async () => {
    const again = await migrate(db.sql);
    expect(again.applied).toEqual([]);
    expect(again.preludeApplied).toBe(false);
  });

  it.skipIf(skip)("migrates as a role that is not a superuser", async () => {
    const rows = await db.sql.query("select rolsuper from pg_roles where rolname = current_user");
    // PGlite has one (superuser) user; the real server is where this matters.
    expect(rows[0]?.rolsuper).toBe(kind === "pglite");
  });

  it.skipIf(skip)("enables row-level security on every table in public", async () => {
    const rows = await db.sql.query(
      `select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows.filter((r) => r.relrowsecurity !== true).map((r) => r.relname)).toEqual([]);
  });

  it.skipIf(skip)("gives the API roles Supabase's shape", async () => {
    const rows = await db.sql.query(
      `select rolname, rolcanlogin, rolbypassrls from pg_roles where rolname in ('anon', 'authenticated', 'service_role') order by 1`,
    );
    expect(rows).toEqual([
      { rolname: "anon", rolcanlogin: false, rolbypassrls: false },
      { rolname: "authenticated", rolcanlogin: false, rolbypassrls: false },
      { rolname: "service_role", rolcanlogin: false, rolbypassrls: true },
    ]);
  });

  it.skipIf(skip)("leaves functions and tables added by later migrations closed until granted", async () => {
    await db.sql.exec("create function public.zz_later() returns int language sql as 'select 1'; create table public.zz_later_t (id int);");
    for (const actor of [{ role: "authenticated" as const, userId: "00000000-0000-4000-8000-0000000000aa" }, { role: "anon" as const }]) {
      for (const text of ["select public.zz_later()", "select * from public.zz_later_t"]) {
        const err = await db.runAs(actor, text).then(() => null, (e: unknown) => e);
        expect(err, `${actor.role}: ${text}`).toBeInstanceOf(DbError);
        expect((err as DbError).code).toBe("42501");
      }
    }
    await db.sql.exec("drop function public.zz_later(); drop table public.zz_later_t;");
  });

  it.skipIf(skip)("leaves a helper added to private later closed to every API role", async () => {
    await db.sql.exec("create function private.zz_later() returns int language sql as 'select 1';");
    const actors = [
      { role: "authenticated" as const, userId: "00000000-0000-4000-8000-0000000000aa" },
      { role: "anon" as const },
      { role: "service_role" as const },
    ];
    for (const actor of actors) {
      const err = await db.runAs(actor, "select private.zz_later()").then(() => null, (e: unknown) => e);
      expect(err, actor.role).toBeInstanceOf(DbError);
      expect((err as DbError).code).toBe("42501");
    }
    await db.sql.exec("drop function private.zz_later();");
  });

  it.skipIf(skip)("makes every SECURITY DEFINER function pin search_path to ''", async () => {
    const rows = await db.sql.query(
      `select p.proname, p.proconfig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('public', 'private') and p.prosecdef`,
    );
    expect(rows.length).toBeGreaterThan(10);
    const loose = rows.filter((r) => !(r.proconfig as string[] | null)?.some((c) => c === 'search_path=""' || c === "search_path="));
    expect(loose.map((r) => r.proname)).toEqual([]);
  });
});
