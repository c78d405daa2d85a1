// The job engine: pg-boss on the app's own database, in every mode. PGlite (the embedded default) goes
// through pg-boss's PGlite adapter on the app's PGlite instance; a Postgres server or Supabase through
// a connection string of its own (a session-pinned connection: see docs/operations.md).
// pg-boss installs and migrates its tables in the schema `pgboss` on start.
import "server-only";
import { PgBoss, fromPglite, type ConstructorOptions, type PGliteLike } from "pg-boss";
import { runtimeMode, serverEnv, type ServerEnv } from "@/lib/env";
import { DEAD_LETTER_RETENTION_SECONDS, QUEUES, WORK_QUEUES, defaultQueueSettings, type QueueSettings } from "./queues";

export const JOBS_SCHEMA = "pgboss";

export type JobsDatabase =
  | { kind: "pglite"; pglite: PGliteLike }
  | { kind: "postgres"; connectionString: string; maxConnections?: number };

export interface EngineOptions {
  settings?: Partial<QueueSettings>;
  /** How often expired active jobs are taken back and retried (seconds; pg-boss default 60). */
  superviseIntervalSeconds?: number;
  /** How often the queue counts that jobStats() reads are refreshed (seconds; default 10). */
  monitorIntervalSeconds?: number;
  /** How often the cron schedules are checked (seconds, 1–45; pg-boss default 30). */
  cronMonitorIntervalSeconds?: number;
  /** Shown in pg-boss's instance registry. */
  instanceName?: string;
  log?: (line: string) => void;
}

export interface JobEngine {
  readonly boss: PgBoss;
  readonly settings: QueueSettings;
  readonly database: JobsDatabase["kind"];
  /** Stops taking jobs; waits up to `timeoutMs` for running ones, then fails them so they are retried. */
  stop(opts?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

/** The engine's database from the environment. PGlite has no connection string: the caller hands over its instance. */
export function jobsDatabaseFromEnv(env: ServerEnv = serverEnv(), pglite?: PGliteLike): JobsDatabase {
  const mode = runtimeMode(env).database;
  if (mode === "postgres") return { kind: "postgres", connectionString: env.DATABASE_URL! };
  if (mode === "supabase") {
    if (!env.SUPABASE_DB_URL) {
      throw new Error(
        "Job workers on Supabase need SUPABASE_DB_URL: the direct connection string (or the session-mode pooler, port 5432), not the transaction pooler. See docs/operations.md.",
      );
    }
    return { kind: "postgres", connectionString: env.SUPABASE_DB_URL };
  }
  if (!pglite) throw new Error("The embedded job engine runs on the app's PGlite instance; pass it in (the worker runs inside the dev server).");
  return { kind: "pglite", pglite };
}

/** Queue settings from the environment (lib/env.ts). */
export function queueSettingsFromEnv(env: ServerEnv = serverEnv()): QueueSettings {
  return {
    ...defaultQueueSettings,
    expireInSeconds: env.JOBS_EXPIRE_SECONDS,
    retryLimit: env.JOBS_RETRY_LIMIT,
    planCron: env.JOBS_PLAN_CRON,
  };
}

export async function startJobEngine(database: JobsDatabase, opts: EngineOptions = {}): Promise<JobEngine> {
  const settings: QueueSettings = { ...defaultQueueSettings, ...opts.settings };
  const log = opts.log ?? ((line: string) => console.info(`[jobs] ${line}`));
  // pg-boss checks any key present, even when undefined: pass only what is set.
  const common = Object.fromEntries(
    Object.entries({
      schema: JOBS_SCHEMA,
      application_name: "lessonloom-jobs",
      superviseIntervalSeconds: opts.superviseIntervalSeconds,
      cronMonitorIntervalSeconds: opts.cronMonitorIntervalSeconds,
      monitorIntervalSeconds: opts.monitorIntervalSeconds ?? 10,
      instanceName: opts.instanceName,
    }).filter(([, v]) => v !== undefined),
  ) as ConstructorOptions;
  const boss =
    database.kind === "pglite"
      ? new PgBoss({ ...common, db: fromPglite(database.pglite), backend: "pglite" })
      : new PgBoss({ ...common, connectionString: database.connectionString, max: database.maxConnections ?? 4 });
  // pg-boss reports background failures (a lost connection, a failed maintenance pass) as events;
  // they must never crash the process, and it keeps running and retrying by itself.
  boss.on("error", (err: unknown) => log(`engine error: ${describeError(err)}`));
  await boss.start({ attempts: 3 });
  await ensureQueues(boss, settings);
  return {
    boss,
    settings,
    database: database.kind,
    async stop({ graceful = true, timeoutMs = 30_000 } = {}) {
      // close: false for PGlite — the instance belongs to the app, which closes it itself.
      await boss.stop({ graceful, timeout: timeoutMs, close: database.kind !== "pglite" });
    },
  };
}

/** Creates the queues, or brings their settings up to date (any process may do this; it is idempotent). */
export async function ensureQueues(boss: PgBoss, settings: QueueSettings): Promise<void> {
  const dead = { retentionSeconds: DEAD_LETTER_RETENTION_SECONDS, deleteAfterSeconds: DEAD_LETTER_RETENTION_SECONDS, retryLimit: 0 };
  for (const { deadLetter } of WORK_QUEUES) await upsertQueue(boss, deadLetter, { policy: "standard", ...dead });
  for (const { name, deadLetter } of WORK_QUEUES) {
    await upsertQueue(boss, name, {
      // At most one job queued or running per singleton key: the dedupe of groups and top-ups.
      policy: "exclusive",
      expireInSeconds: settings.expireInSeconds,
      heartbeatSeconds: settings.heartbeatSeconds,
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: settings.retryDelayMaxSeconds,
      deadLetter,
    });
  }
  // The planner: one at a time (a tick while one runs is dropped); the next tick is its retry.
  await upsertQueue(boss, QUEUES.plan, { policy: "exclusive", expireInSeconds: settings.expireInSeconds, retryLimit: 0 });
}

type QueueOptions = NonNullable<Parameters<PgBoss["createQueue"]>[1]>;

async function upsertQueue(boss: PgBoss, name: string, options: QueueOptions): Promise<void> {
  let existing = await boss.getQueue(name);
  // Policy and heartbeat are fixed at creation: a queue made with others is made again while it is idle.
  const differs = existing && ((options.policy && existing.policy !== options.policy) || (existing.heartbeatSeconds ?? undefined) !== options.heartbeatSeconds);
  if (existing && differs && existing.queuedCount + existing.activeCount === 0) {
    await boss.deleteQueue(name).catch(() => {});
    existing = await boss.getQueue(name);
  }
  if (!existing) {
    try {
      await boss.createQueue(name, options);
      return;
    } catch (err) {
      // Another process created it between our look and our create.
      if (!(await boss.getQueue(name))) throw err;
    }
  }
  // Policy and heartbeat are fixed at creation; everything else follows the configuration.
  const { policy: _policy, heartbeatSeconds: _heartbeat, ...updatable } = options;
  void _policy;
  void _heartbeat;
  await boss.updateQueue(name, updatable);
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === "object" && "message" in err && typeof err.message === "string") return err.message;
  try {
    return JSON.stringify(err).slice(0, 300);
  } catch {
    return String(err);
  }
}
