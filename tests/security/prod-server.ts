// Shared by the production-build tests (built-app, crash-process) and the load script: start `next start`
// on a free loopback port with a given environment and wait for /api/health; start the simulator as its
// own process (`scripts/sim.ts`) so its call count survives a killed app server.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

const root = process.cwd();

/** Whether a production build exists (`next build`); the tests that need one skip without it. */
export const hasProductionBuild = existsSync(path.join(root, ".next", "BUILD_ID"));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitFor(url: string, what: string, tries = 240): Promise<void> {
  for (let i = 0; i < tries; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not come up`);
}

export interface ChildServer {
  base: string;
  child: ChildProcess;
  /** Stops the process with `signal` and waits for it to exit (a no-op once it has). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function stopper(child: ChildProcess) {
  return (signal: NodeJS.Signals = "SIGTERM") =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill(signal);
    });
}

/** `next start` on 127.0.0.1 with the production build, the given variables over the test's environment. */
export async function startNext(env: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: "", TEST_DATABASE_URL: "", ...env },
    stdio: "ignore",
  });
  const server = { base, child, stop: stopper(child) };
  try {
    await waitFor(`${base}/api/health`, "next start");
  } catch (err) {
    await server.stop("SIGKILL");
    throw err;
  }
  return server;
}

export interface SimServer extends ChildServer {
  /** The OpenAI-compatible base URL (…/v1). */
  url: string;
  stats(): Promise<{ calls: number; promptTokens: number; completionTokens: number; byStatus: Record<string, number> }>;
}

/** The simulator as its own process (`npm run sim`), e.g. `["--profile", "typical", "--time-scale", "0.3"]`. */
export async function startSim(args: string[]): Promise<SimServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Node itself with tsx's loader (as `npm run worker` does), not the tsx CLI: the CLI runs the script in
  // a child process that a SIGKILL of the CLI would leave behind.
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/sim.ts", "--port", String(port), ...args], {
    cwd: root,
    env: process.env,
    stdio: "ignore",
  });
  const server = {
    base,
    child,
    url: `${base}/v1`,
    stop: stopper(child),
    stats: async () => (await (await fetch(`${base}/sim/stats`)).json()) as Awaited<ReturnType<SimServer["stats"]>>,
  };
  try {
    await waitFor(`${base}/sim/stats`, "the simulator", 120);
  } catch (err) {
    await server.stop("SIGKILL");
    throw err;
  }
  return server;
}
