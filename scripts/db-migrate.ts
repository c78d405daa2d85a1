// npm run db:migrate — apply supabase/migrations to the configured database (DATABASE_URL, or the
// embedded PGlite in PGLITE_DIR). For Supabase itself use `supabase db push`; the files are the same.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { runtimeMode, serverEnv } from "@/lib/env";
import { migrate, seedOnce } from "@/lib/db/migrate";
import type { SqlExecutor } from "@/lib/db/sql-executor";

async function main(): Promise<void> {
  const env = serverEnv();
  const mode = runtimeMode(env).database;
  const log = (line: string) => console.log(line);
  const started = Date.now();
  if (mode === "supabase") {
    console.error("Supabase is configured: deploy the migrations with `supabase db push` (same files).");
    process.exit(1);
  }
  let exec: SqlExecutor;
  let close: () => Promise<void>;
  if (mode === "postgres") {
    const { default: postgres } = await import("postgres");
    const { postgresExecutor } = await import("@/lib/db/postgres-adapter");
    const sql = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    exec = postgresExecutor(sql);
    close = () => sql.end();
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const { pgliteExecutor } = await import("@/lib/db/pglite-adapter");
    const dir = path.resolve(env.PGLITE_DIR);
    await mkdir(dir, { recursive: true });
    const pg = await PGlite.create(dir);
    exec = pgliteExecutor(pg);
    close = () => pg.close();
  }
  try {
    const result = await migrate(exec, { log });
    if (mode === "pglite" && env.DEMO_SEED === "on") await seedOnce(exec, { log });
    log(`${mode}: ${result.applied.length} migration(s) applied, now at ${result.version ?? "none"} (${Date.now() - started} ms)`);
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
