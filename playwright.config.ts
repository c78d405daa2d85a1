// End-to-end tests against a production build (`next build` + `next start` on a free port) in Debian's Chromium.
import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { chromiumArgs, chromiumAvailable, chromiumPath } from "./tests/e2e/chromium";

// Test-harness plumbing, not app configuration: the port is chosen once in the main process and
// inherited by the workers through the environment, so every process agrees on it.
if (!process.env.E2E_PORT) {
  process.env.E2E_PORT = execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ]).toString();
}
const port = Number(process.env.E2E_PORT);
const ci = process.env.CI === "true" || process.env.CI === "1";

if (!chromiumAvailable && ci) {
  throw new Error(`Chromium not found at ${chromiumPath}; under CI=true the end-to-end tests must run (apt-get install -y chromium).`);
}

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: ci,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    headless: true,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: {
    command: `npm run build && npx next start -H 127.0.0.1 -p ${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 420_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      LOCAL_AUTH: "allow",
      PGLITE_DIR: `.data/e2e-${port}`,
      // Typical provider latency at a quarter of real time: a 3-lesson call takes about 3 s, slow enough
      // to watch lessons arrive one by one, fast enough for a quick suite.
      SIM_PROFILE: "typical",
      SIM_TIME_SCALE: "0.25",
      CRON_SECRET: "e2e-cron-secret-0123456789",
      // The job worker runs inside `next start` on the embedded database, as it does under `npm run dev`.
      JOBS_IN_PROCESS_WORKER: "on",
    },
  },
});
