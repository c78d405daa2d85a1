// npm run worker — a job worker against the configured database (DATABASE_URL, or Supabase through
// SUPABASE_DB_URL). Run as many as you like, on any host; SIGTERM stops one gracefully.
// On the embedded default (PGlite) the dev server runs the worker itself: PGlite is one process's database.
import { runtimeMode, serverEnv } from "@/lib/env";
import { jobsDatabaseFromEnv, queueSettingsFromEnv, runWorkerProcess } from "@/lib/jobs";
import { appJobHandlers } from "@/lib/jobs/app-handlers";

async function main(): Promise<void> {
  const env = serverEnv();
  if (runtimeMode(env).database === "pglite") {
    console.error("No database server is configured (DATABASE_URL or Supabase + SUPABASE_DB_URL). On the embedded default `npm run dev` runs the worker itself.");
    process.exit(1);
  }
  await runWorkerProcess({
    database: jobsDatabaseFromEnv(env),
    handlers: appJobHandlers(),
    engine: { settings: queueSettingsFromEnv(env), instanceName: `worker-${process.pid}` },
    worker: { concurrency: env.JOBS_CONCURRENCY, urgentConcurrency: env.JOBS_URGENT_CONCURRENCY },
    graceTimeoutMs: 30_000,
  });
}

main().catch((err: unknown) => {
  console.error(`[worker] could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
