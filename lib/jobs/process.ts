// Running workers: as a process of its own (`npm run worker`, any number, on any host) or inside the
// dev server on the embedded default. Both stop gracefully: no new jobs, the running ones get
// `graceTimeoutMs` to finish and are otherwise failed back to the queue, which retries them.
import "server-only";
import type { PGliteLike } from "pg-boss";
import { runtimeMode, serverEnv, type ServerEnv } from "@/lib/env";
import { jobsDatabaseFromEnv, queueSettingsFromEnv, startJobEngine, type EngineOptions, type JobEngine, type JobsDatabase } from "./engine";
import { startWorker, type JobHandlers, type Worker, type WorkerOptions } from "./worker";

export interface RunningWorker {
  engine: JobEngine;
  worker: Worker;
  stop(): Promise<void>;
}

export interface WorkerProcessOptions {
  database: JobsDatabase;
  handlers: JobHandlers;
  engine?: EngineOptions;
  worker?: WorkerOptions;
  graceTimeoutMs?: number;
  log?: (line: string) => void;
}

export async function startRunningWorker(opts: WorkerProcessOptions): Promise<RunningWorker> {
  const engine = await startJobEngine(opts.database, { log: opts.log, ...opts.engine });
  try {
    const worker = await startWorker(engine, opts.handlers, opts.worker);
    let stopping: Promise<void> | null = null;
    return { engine, worker, stop: () => (stopping ??= worker.stop({ timeoutMs: opts.graceTimeoutMs ?? 30_000 })) };
  } catch (err) {
    await engine.stop({ graceful: false }).catch(() => {});
    throw err;
  }
}

/**
 * A worker process: runs until SIGTERM or SIGINT, then stops gracefully and exits 0 (1 when the
 * stop itself fails). A second signal during the stop exits at once; the engine retries what was
 * running after its expiry.
 */
export async function runWorkerProcess(opts: WorkerProcessOptions): Promise<RunningWorker> {
  const log = opts.log ?? ((line: string) => console.info(`[worker] ${line}`));
  const running = await startRunningWorker({ ...opts, log });
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    signalled = true;
    log(`${signal}: taking no new jobs, finishing ${running.worker.active()} running`);
    running.stop().then(
      () => {
        log("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        log(`stop failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // `npm run` starts us through `sh -c`, which does not pass SIGTERM on: when our parent goes away
  // (ppid changes), stop as if we had been told to, instead of running on as an orphan.
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(watch);
      onSignal("SIGTERM");
    }
  }, 1000);
  watch.unref();
  log(`ready (pid ${process.pid}, ${running.engine.database})`);
  return running;
}

// One in-process worker per server process, kept on globalThis so dev-mode reloads do not start another.
type Holder = { running?: Promise<RunningWorker>; client?: Promise<JobEngine> };
const holder: Holder = ((globalThis as { __lessonloomJobs?: Holder }).__lessonloomJobs ??= {});

/**
 * The embedded default: the dev server runs the worker on its own PGlite instance (PGlite is one
 * process's database, so no other process could). Idempotent; returns the running worker.
 */
export function startInProcessWorker(opts: { pglite: PGliteLike; handlers: JobHandlers; engine?: EngineOptions; worker?: WorkerOptions }): Promise<RunningWorker> {
  if (!holder.running) {
    const starting = startRunningWorker({ database: { kind: "pglite", pglite: opts.pglite }, handlers: opts.handlers, engine: opts.engine, worker: opts.worker });
    holder.running = starting;
    starting.catch(() => {
      if (holder.running === starting) holder.running = undefined;
    });
  }
  return holder.running;
}

/** Stops the in-process worker and the process's enqueuing engine (server shutdown, tests). */
export async function stopInProcessWorker(): Promise<void> {
  const running = holder.running;
  const client = holder.client;
  holder.running = undefined;
  holder.client = undefined;
  if (running) await (await running.catch(() => null))?.stop();
  if (client) await (await client.catch(() => null))?.stop();
}

/** Does this server process run a worker itself? By default only on the embedded database (JOBS_IN_PROCESS_WORKER overrides). */
export function runsInProcessWorker(env: ServerEnv = serverEnv()): boolean {
  if (env.JOBS_IN_PROCESS_WORKER) return env.JOBS_IN_PROCESS_WORKER === "on";
  return runtimeMode(env).database === "pglite";
}

/**
 * The process's engine for enqueuing jobs and reading stats (web routes, the admin panel): the
 * in-process worker's engine when one runs, else an engine without workers on the configured database
 * (Postgres via DATABASE_URL, Supabase via SUPABASE_DB_URL). On PGlite, start the in-process worker first.
 */
export async function getJobEngine(): Promise<JobEngine> {
  if (holder.running) return (await holder.running).engine;
  if (!holder.client) {
    const env = serverEnv();
    const opening = startJobEngine(jobsDatabaseFromEnv(env), { settings: queueSettingsFromEnv(env), instanceName: `web-${process.pid}` });
    holder.client = opening;
    opening.catch(() => {
      if (holder.client === opening) holder.client = undefined;
    });
  }
  return holder.client;
}

/**
 * The engine web routes enqueue on, or null when this process has none and work must run inline:
 * the in-process worker's engine when it runs (embedded default, dev server), an enqueuing engine on
 * a database server (workers are processes of their own there), null on PGlite without a worker.
 */
export async function enqueueingEngine(env: ServerEnv = serverEnv()): Promise<JobEngine | null> {
  if (holder.running) return (await holder.running).engine;
  if (runtimeMode(env).database === "pglite") return null;
  return getJobEngine();
}
