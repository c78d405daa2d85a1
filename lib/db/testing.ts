// Fresh, migrated databases for tests: PGlite in memory (cloned from a per-process migrated template,
// so each one costs a clone, not a migration) or, with TEST_DATABASE_URL, a new database on that
// server created for the run and dropped in cleanup, migrated by a fresh NON-superuser role.
import "server-only";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { serverEnv } from "@/lib/env";
import type { DbActor, DbProvider } from "./port";
import { createPgliteProvider, pgliteExecutor } from "./pglite-adapter";
import { createPostgresProvider, postgresExecutor } from "./postgres-adapter";
import { applyPrelude, migrate, seedOnce, supabaseDir, type MigrateResult } from "./migrate";
import type { SqlExecutor } from "./sql-executor";
import { claimsOf, roleOf, toDbError } from "./sql-rpc";

export interface TestDb {
  provider: DbProvider;
  /** Raw SQL as the database owner (the migrating role): for assertions tests cannot make via rpc. */
  sql: SqlExecutor;
  migration: MigrateResult;
  /** Any SQL as an actor, with PostgREST's role and claims: what a session could do straight through the API. */
  runAs(actor: DbActor, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** On a server: the owner's connection string, for processes of their own (workers in multi-process tests). */
  url?: string;
  cleanup(): Promise<void>;
}

function runAsWith(exec: SqlExecutor): TestDb["runAs"] {
  return async (actor, sql, params) => {
    try {
      return await exec.transaction(async (tx) => {
        await tx.query(`set local role ${roleOf(actor)}`);
        await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claimsOf(actor))]);
        return tx.query(sql, params);
      });
    } catch (err) {
      throw toDbError(err);
    }
  };
}

export interface TestDbOptions {
  kind?: "pglite" | "postgres";
  seed?: boolean;
}

/**
 * Applies supabase/testing/test_helpers.sql: functions only test databases have (e.g. seed_quota_usage),
 * kept out of supabase/migrations so production never ships them. Idempotent.
 */
export async function applyTestHelpers(db: SqlExecutor, root?: string): Promise<void> {
  await db.exec(await readFile(path.join(supabaseDir(root), "testing", "test_helpers.sql"), "utf8"));
}

const templates = new Map<string, Promise<{ pg: PGlite; migration: MigrateResult }>>();

function pgliteTemplate(seed: boolean) {
  const key = seed ? "seeded" : "empty";
  let t = templates.get(key);
  if (!t) {
    t = (async () => {
      const pg = await PGlite.create();
      const exec = pgliteExecutor(pg);
      const migration = await migrate(exec);
      await applyTestHelpers(exec);
      if (seed) await seedOnce(exec);
      return { pg, migration };
    })();
    t.catch(() => templates.delete(key));
    templates.set(key, t);
  }
  return t;
}

async function createPgliteTestDb(seed: boolean): Promise<TestDb> {
  const template = await pgliteTemplate(seed);
  const pg = (await template.pg.clone()) as PGlite;
  return {
    provider: createPgliteProvider(pg),
    sql: pgliteExecutor(pg),
    migration: template.migration,
    runAs: runAsWith(pgliteExecutor(pg)),
    async cleanup() {
      if (!pg.closed) await pg.close();
    },
  };
}

function withDatabase(url: string, database: string, user?: { name: string; password: string }): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user.name;
    u.password = user.password;
  }
  return u.toString();
}

const quiet = { onnotice: () => {} };

async function createPostgresTestDb(url: string, seed: boolean): Promise<TestDb> {
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const database = `ll_test_${suffix}`;
  const role = { name: `ll_migrator_${suffix}`, password: randomBytes(12).toString("hex") };

  const admin = postgres(url, { max: 1, ...quiet });
  await admin.unsafe(`create role ${role.name} login nosuperuser nocreaterole nocreatedb password '${role.password}'`);
  await admin.unsafe(`create database ${database} owner ${role.name}`);
  await admin.end();

  // The superuser gives the new database Supabase's shape, then lends the migrator what Supabase's
  // `postgres` role has: membership of the API roles and rights on auth.users.
  const superInDb = postgres(withDatabase(url, database), { max: 1, ...quiet });
  try {
    await applyPrelude(postgresExecutor(superInDb));
    await superInDb.unsafe(`
      grant anon, authenticated, service_role to ${role.name};
      grant usage on schema auth to ${role.name};
      grant select, insert, update, references on auth.users to ${role.name};
    `).simple();
  } finally {
    await superInDb.end();
  }

  const sql = postgres(withDatabase(url, database, role), { max: 10, ...quiet });
  const exec = postgresExecutor(sql);
  let migration: MigrateResult;
  try {
    migration = await migrate(exec);
    await applyTestHelpers(exec);
    if (seed) await seedOnce(exec);
  } catch (err) {
    await sql.end();
    await dropPostgresTestDb(url, database, role.name);
    throw err;
  }
  return {
    provider: createPostgresProvider(sql),
    sql: exec,
    migration,
    runAs: runAsWith(exec),
    url: withDatabase(url, database, role),
    async cleanup() {
      await sql.end({ timeout: 5 }).catch(() => {});
      await dropPostgresTestDb(url, database, role.name);
    },
  };
}

async function dropPostgresTestDb(url: string, database: string, role: string): Promise<void> {
  const admin = postgres(url, { max: 1, ...quiet });
  try {
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    // Privileges granted to the role in other databases would block the drop; there are none.
    await admin.unsafe(`drop role if exists ${role}`);
  } finally {
    await admin.end();
  }
}

/** A fresh, migrated database. `kind: 'postgres'` needs TEST_DATABASE_URL. */
export async function createTestDb(opts: TestDbOptions = {}): Promise<TestDb> {
  const seed = opts.seed ?? false;
  if ((opts.kind ?? "pglite") === "pglite") return createPgliteTestDb(seed);
  const url = serverEnv().TEST_DATABASE_URL;
  if (!url) throw new Error("createTestDb({ kind: 'postgres' }) needs TEST_DATABASE_URL");
  return createPostgresTestDb(url, seed);
}

/** Is a real Postgres configured for the database tests? */
export function testDatabaseUrl(): string | undefined {
  return serverEnv().TEST_DATABASE_URL;
}

/** The databases every database test runs on: PGlite always, the real server when one is configured. */
export function testDbKinds(): { kind: "pglite" | "postgres"; skip: boolean }[] {
  return [
    { kind: "pglite", skip: false },
    { kind: "postgres", skip: !testDatabaseUrl() },
  ];
}
