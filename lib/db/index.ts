// The app's database: one DbProvider per process, chosen by configuration (docs/architecture.md,
// "Runtime modes") and kept on globalThis so dev-mode reloads and separate route bundles share it.
// Opened lazily at request time, never during `next build`.
import "server-only";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { runtimeMode, serverEnv } from "@/lib/env";
import { DbError, type Db, type DbActor, type DbProvider } from "./port";

type Holder = { provider?: Promise<DbProvider>; override?: DbProvider | null };
const holder: Holder = ((globalThis as { __lessonloomDb?: Holder }).__lessonloomDb ??= {});

async function openPglite(): Promise<DbProvider> {
  const env = serverEnv();
  const { PGlite } = await import("@electric-sql/pglite");
  const { createPgliteProvider, pgliteExecutor } = await import("./pglite-adapter");
  const { migrate, seedOnce } = await import("./migrate");
  const dir = path.resolve(env.PGLITE_DIR);
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  const pg = await PGlite.create(dir);
  const exec = pgliteExecutor(pg);
  const log = (line: string) => console.info(`[db] ${line}`);
  const result = await migrate(exec, { log });
  if (env.DEMO_SEED === "on") await seedOnce(exec, { log });
  log(`PGlite ready at ${dir} (migration ${result.version}) in ${Date.now() - started} ms`);
  const provider = createPgliteProvider(pg);
  // The embedded default runs its job worker inside the dev server (PGlite is this process's database):
  // under `next dev`, or under `next start` with JOBS_IN_PROCESS_WORKER=on (the e2e server); never during
  // a build or in tests (NODE_ENV=test); JOBS_IN_PROCESS_WORKER=off turns it off. Started in the
  // background: a failure is logged, never fatal.
  const wantsWorker = env.NODE_ENV === "development" || (env.NODE_ENV === "production" && env.JOBS_IN_PROCESS_WORKER === "on");
  if (wantsWorker && env.NEXT_PHASE !== "phase-production-build") {
    void startDevWorker(pg).catch((err: unknown) => console.error(`[jobs] in-process worker did not start: ${err instanceof Error ? err.message : String(err)}`));
  }
  return provider;
}

async function startDevWorker(pg: import("@electric-sql/pglite").PGlite): Promise<void> {
  const { runsInProcessWorker, startInProcessWorker, queueSettingsFromEnv } = await import("@/lib/jobs");
  const env = serverEnv();
  if (!runsInProcessWorker(env)) return;
  const { appJobHandlers } = await import("@/lib/jobs/app-handlers");
  await startInProcessWorker({
    pglite: pg,
    handlers: appJobHandlers(),
    engine: { settings: queueSettingsFromEnv(env), instanceName: `dev-${process.pid}` },
    worker: { concurrency: env.JOBS_CONCURRENCY, urgentConcurrency: env.JOBS_URGENT_CONCURRENCY },
  });
  console.info("[jobs] in-process worker running on the embedded database");
}

async function openPostgres(url: string): Promise<DbProvider> {
  const { default: postgres } = await import("postgres");
  const { createPostgresProvider } = await import("./postgres-adapter");
  // Migrations on a server are applied with `npm run db:migrate`, not at request time.
  return createPostgresProvider(postgres(url, { max: 10, onnotice: () => {} }));
}

async function openSupabase(): Promise<DbProvider> {
  const { createSupabaseProvider } = await import("./supabase-adapter");
  const { createSupabaseAdminClient, createSupabaseAnonClient } = await import("@/lib/supabase/admin");
  const { createSupabaseServerClient } = await import("@/lib/supabase/server");
  return createSupabaseProvider({
    service: createSupabaseAdminClient,
    anon: createSupabaseAnonClient,
    user: createSupabaseServerClient,
  });
}

async function open(): Promise<DbProvider> {
  const env = serverEnv();
  if (env.NEXT_PHASE === "phase-production-build") {
    throw new DbError("The database is not opened during `next build`; render this route dynamically.", "55000");
  }
  const mode = runtimeMode(env).database;
  if (mode === "supabase") return openSupabase();
  if (mode === "postgres") return openPostgres(env.DATABASE_URL!);
  return openPglite();
}

/** The process-wide provider (opened, migrated and seeded on first use in embedded mode). */
export function getDbProvider(): Promise<DbProvider> {
  if (holder.override) return Promise.resolve(holder.override);
  if (!holder.provider) {
    const opening = open();
    holder.provider = opening;
    opening.catch(() => {
      if (holder.provider === opening) holder.provider = undefined; // let the next request retry
    });
  }
  return holder.provider;
}

/** A Db bound to one actor. In Supabase mode `authenticated` uses the request's own session. */
export async function getDb(actor: DbActor): Promise<Db> {
  return (await getDbProvider()).as(actor);
}

/** The server's own access (service_role): quota, usage, generation writes. */
export function serviceDb(): Promise<Db> {
  return getDb({ role: "service_role" });
}

/** Closes the process-wide provider (tests, graceful shutdown); the next call opens it again. */
export async function closeDbProvider(): Promise<void> {
  const opening = holder.provider;
  holder.provider = undefined;
  if (opening) await (await opening.catch(() => null))?.close();
}

/** Tests: route every getDb()/serviceDb() to this provider (null restores the configured one). */
export function setDbProviderForTests(provider: DbProvider | null): void {
  holder.override = provider;
}

export type { Db, DbActor, DbProvider } from "./port";
export { DbError } from "./port";
