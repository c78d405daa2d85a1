// The lane split on /admin/usage at 390 px and 1280 px, from a running app. The slow lane's work is
// hours long, so the suite's server cannot show it within a test: this spec prepares its own embedded
// database with the app's own slow-lane code (tests/e2e/lanes-card.seed.ts: the submit job and the
// poller against the simulator's Batch API and flex tier), then starts a second `next start` of the
// same build on it and reads the dashboard like an admin. Screenshots go to test-results/screenshots/.
import { expect, test } from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expectNoSeriousAxeViolations } from "./axe";
import { parseShownNumber, prepareUser } from "./users";

test.describe.configure({ mode: "serial" });

const widths = [390, 1280] as const;
let dir = "";
let server: ChildProcess | null = null;
let baseURL = "";
let serverLog = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(path.join(tmpdir(), "lessonloom-lanes-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", LOCAL_AUTH: "allow", PGLITE_DIR: dir, CRON_SECRET: "e2e-cron-secret-0123456789", JOBS_IN_PROCESS_WORKER: "off", SIM_PROFILE: "typical" };
  const seeded = spawnSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "--conditions=react-server", path.join("tests", "e2e", "lanes-card.seed.ts"), dir], { env, encoding: "utf8", timeout: 120_000 });
  expect(seeded.status, `lanes-card.seed.ts: ${seeded.stderr}`).toBe(0);
  const out = JSON.parse(seeded.stdout.trim().split("\n").pop() ?? "{}") as { settled: number; flex: { viaFlex: number }; open: string; lanes: { lane: string; lessons: number }[] };
  expect(out.settled, "the batch was settled by the poller").toBe(1);
  expect(out.flex.viaFlex).toBe(3);
  expect(out.open).toBe("slow");
  expect(out.lanes.find((l) => l.lane === "batch")?.lessons).toBe(12);

  // A second server of the suite's build on that database; its worker is off, so the batch left in
  // flight stays in flight while the page is read.
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-H", "127.0.0.1", "-p", String(port)], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout?.on("data", (d: Buffer) => (serverLog += d.toString()));
  server.stderr?.on("data", (d: Buffer) => (serverLog += d.toString()));
  const started = Date.now();
  for (;;) {
    const ok = await fetch(`${baseURL}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    expect(Date.now() - started, `second server did not start: ${serverLog.slice(-2000)}`).toBeLessThan(90_000);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const width of widths) {
  test(`the lanes card splits spend by lane and shows the batch in flight at ${width} px`, async ({ browser }) => {
    const context = await browser.newContext({ baseURL, viewport: { width, height: 900 } });
    const page = await context.newPage();
    try {
      await prepareUser(page, "admin");
      await page.goto("/admin/usage");
      const card = page.getByTestId("lanes-card");
      await expect(card).toBeVisible();
      await expect(card.getByRole("heading", { name: "Lanes" })).toBeVisible();
      const batch = card.getByTestId("lane-batch");
      const flex = card.getByTestId("lane-flex");
      await expect(batch).toContainText("Batch API");
      await expect(flex).toContainText("Flex tier");
      // Lessons per lane: 12 from the settled batch, 3 from flex.
      await expect(batch.locator("td").nth(2)).toHaveText("12");
      await expect(flex.locator("td").nth(2)).toHaveText("3");
      expect(parseShownNumber((await batch.locator("td").nth(3).textContent()) ?? "")).toBeGreaterThan(0);
      expect(parseShownNumber((await card.getByTestId("lanes-saved").textContent()) ?? "")).toBeGreaterThan(0);
      const inFlight = card.getByTestId("lanes-in-flight");
      await expect(inFlight.getByRole("listitem")).toHaveCount(1);
      await expect(inFlight).toContainText("sim");
      await expect(inFlight).toContainText("age");

      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: `test-results/screenshots/lanes-card-${width}.png` });
      await expectNoSeriousAxeViolations(page, `admin usage with the lanes card at ${width} px`);
    } finally {
      await context.close();
    }
  });
}
