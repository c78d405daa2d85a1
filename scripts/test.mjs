// npm test: vitest (unit, integration, database), then Playwright end-to-end in Debian's Chromium.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const ci = process.env.CI === "true" || process.env.CI === "1";
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log(`npm test on node ${process.version}`);
run("npx", ["vitest", "run"]);

if (!existsSync(chromium)) {
  const banner = [
    "",
    "=".repeat(78),
    `  END-TO-END TESTS ${ci ? "CANNOT RUN" : "SKIPPED"}: no Chromium at ${chromium}.`,
    "  Install Debian's browser with `apt-get install -y chromium` or set CHROMIUM_PATH.",
    "=".repeat(78),
    "",
  ].join("\n");
  console.error(banner);
  process.exit(ci ? 1 : 0);
}

run("npx", ["playwright", "test"]);

// Tests against the production build Playwright just made (`next start` in a child process: headers,
// the top-up loop, a server killed mid-stream). In the first vitest pass they skip when no build exists.
if (!existsSync(".next/BUILD_ID")) {
  console.error("no production build after the end-to-end tests: .next/BUILD_ID is missing");
  process.exit(1);
}
run("npx", ["vitest", "run", "tests/security/built-app.test.ts", "tests/security/crash-process.test.ts"]);
