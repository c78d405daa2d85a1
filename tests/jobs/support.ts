// A throwaway database on the local test server for the job engine: pg-boss connects with a
// connection string of its own, as a worker process does, owned by a fresh non-superuser role.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { testDatabaseUrl } from "@/lib/db/testing";

export interface JobsTestDb {
  url: string;
  sql: postgres.Sql;
  cleanup(): Promise<void>;
}

const quiet = { onnotice: () => {} };

export async function createJobsTestDb(): Promise<JobsTestDb> {
  const base = testDatabaseUrl();
  if (!base) throw new Error("needs TEST_DATABASE_URL");
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const database = `ll_jobs_${suffix}`;
  const role = { name: `ll_jobs_${suffix}`, password: randomBytes(12).toString("hex") };
  const admin = postgres(base, { max: 1, ...quiet });
  try {
    await admin.unsafe(`create role ${role.name} login nosuperuser nocreaterole nocreatedb password '${role.password}'`);
    await admin.unsafe(`create database ${database} owner ${role.name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(base);
  u.pathname = `/${database}`;
  u.username = role.name;
  u.password = role.password;
  const url = u.toString();
  const sql = postgres(url, { max: 4, ...quiet });
  // What the test handlers did, written by the worker (in this process or a child) in the same database.
  await sql.unsafe(`create table job_runs (
    job_id text not null, group_key text not null, pid int not null, attempt int not null,
    started_at timestamptz not null default clock_timestamp(), finished_at timestamptz)`);
  return {
    url,
    sql,
    async cleanup() {
      await sql.end({ timeout: 5 }).catch(() => {});
      const a = postgres(base, { max: 1, ...quiet });
      try {
        await a.unsafe(`drop database if exists ${database} with (force)`);
        await a.unsafe(`drop role if exists ${role.name}`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
