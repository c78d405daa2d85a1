// Our migration runner: applies supabase/migrations/*.sql in order to PGlite or any Postgres and records
// each version in supabase_migrations.schema_migrations, the table the Supabase CLI uses, so
// `supabase db push` and this runner agree on what is applied (docs/database.md, "Migrations, prelude
// and seed").
import "server-only";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlExecutor } from "./sql-executor";

const migrationFile = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// Any constant works; it only has to be the same for every instance running migrations at once.
const migrationLockKey = 7_311_003;

export interface MigrationFile {
  version: string;
  name: string;
  file: string;
}

export interface MigrateResult {
  preludeApplied: boolean;
  applied: string[];
  version: string | null;
}

export function supabaseDir(root: string = process.cwd()): string {
  return path.join(root, "supabase");
}

// The SQL files are read from the working tree at run time (embedded mode and `npm run db:migrate`), not
// bundled: turbopackIgnore keeps Next's file tracing from pulling the whole project into the build.
export async function listMigrations(dir: string = path.join(supabaseDir(), "migrations")): Promise<MigrationFile[]> {
  const names = (await readdir(/*turbopackIgnore: true*/ dir)).filter((n) => n.endsWith(".sql")).sort();
  return names.map((n) => {
    const m = migrationFile.exec(n);
    if (!m) throw new Error(`Migration file name must be <14-digit timestamp>_<name>.sql: ${n}`);
    return { version: m[1], name: m[2], file: path.join(dir, n) };
  });
}

/** Does the database already have Supabase's shape (API roles and the auth schema)? */
export async function hasSupabaseShape(db: SqlExecutor): Promise<boolean> {
  const rows = await db.query(
    `select exists (select 1 from pg_roles where rolname = 'authenticated')
        and exists (select 1 from pg_namespace where nspname = 'auth') as ok`,
  );
  return rows[0]?.ok === true;
}

/** Applies supabase/local/prelude.sql; needs a role allowed to create roles. */
export async function applyPrelude(db: SqlExecutor, root?: string): Promise<void> {
  await db.exec(await readFile(/*turbopackIgnore: true*/ path.join(supabaseDir(root), "local", "prelude.sql"), "utf8"));
}

export async function appliedVersions(db: SqlExecutor): Promise<Set<string>> {
  const exists = await db.query(`select to_regclass('supabase_migrations.schema_migrations') is not null as ok`);
  if (exists[0]?.ok !== true) return new Set();
  const rows = await db.query(`select version from supabase_migrations.schema_migrations`);
  return new Set(rows.map((r) => String(r.version)));
}

export async function currentVersion(db: SqlExecutor): Promise<string | null> {
  const versions = [...(await appliedVersions(db))].sort();
  return versions.at(-1) ?? null;
}

/**
 * Brings the database up to date. The prelude runs only when the shape is missing (so never on
 * Supabase, nor on a server a superuser prepared). Each migration runs in its own transaction under
 * an advisory lock, so several instances starting at once apply each file exactly once.
 */
export async function migrate(
  db: SqlExecutor,
  opts: { root?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  let preludeApplied = false;
  if (!(await hasSupabaseShape(db))) {
    log("applying supabase/local/prelude.sql");
    await applyPrelude(db, opts.root);
    preludeApplied = true;
  }
  await db.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text primary key, name text, statements text[]);
  `);
  const files = await listMigrations(path.join(supabaseDir(opts.root), "migrations"));
  const applied: string[] = [];
  for (const m of files) {
    const done = await db.transaction(async (tx) => {
      await tx.query("select pg_advisory_xact_lock($1)", [migrationLockKey]);
      const seen = await tx.query("select 1 from supabase_migrations.schema_migrations where version = $1", [m.version]);
      if (seen.length > 0) return false;
      await tx.exec(await readFile(/*turbopackIgnore: true*/ m.file, "utf8"));
      await tx.query("insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (done) {
      applied.push(m.version);
      log(`applied ${m.version}_${m.name}`);
    }
  }
  return { preludeApplied, applied, version: await currentVersion(db) };
}

/**
 * Loads supabase/seed.sql once (embedded demo mode and tests). Recorded in
 * supabase_migrations.lessonloom_seeds so a restart never seeds twice.
 */
export async function seedOnce(db: SqlExecutor, opts: { root?: string; log?: (line: string) => void } = {}): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.exec(`create table if not exists supabase_migrations.lessonloom_seeds (name text primary key, applied_at timestamptz not null default now())`);
    await tx.query("select pg_advisory_xact_lock($1)", [migrationLockKey + 1]);
    const seen = await tx.query("select 1 from supabase_migrations.lessonloom_seeds where name = 'seed.sql'");
    if (seen.length > 0) return false;
    await tx.exec(await readFile(/*turbopackIgnore: true*/ path.join(supabaseDir(opts.root), "seed.sql"), "utf8"));
    await tx.query("insert into supabase_migrations.lessonloom_seeds (name) values ('seed.sql')");
    opts.log?.("loaded supabase/seed.sql");
    return true;
  });
}
