// npm run bench [-- --json] [-- --only <scenario-prefix>]: the batching strategies side by side on
// in-process simulators (time-scaled), with the targets evaluated at the end.
import { createBenchEnv } from "./bench-env";
import { timeRun, totals, type Row } from "./measure";
import { runPrefetch } from "./prefetch-tpm";
import { formatTable, evaluateTargets } from "./report";
import { prefetchRequests, similarRequests, similarScenarios, type SimilarScenario } from "./scenarios";
import { naiveBatch, naiveBatchWith } from "./strategies/naive-batch";
import { naiveParallel } from "./strategies/naive-parallel";
import { ours } from "./strategies/ours";
import { sequential } from "./strategies/sequential";
import type { Strategy } from "./strategies/types";

const args = process.argv.slice(2);
const json = args.includes("--json");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const SEED = 42;

async function runSimilar(s: SimilarScenario, strategy: Strategy): Promise<Row> {
  const env = createBenchEnv({ profile: s.profile, timeScale: s.timeScale, seed: SEED, priority: "interactive" });
  let wall = 0;
  let firstSum = 0;
  let firstN = 0;
  let delivered = 0;
  for (let rep = 0; rep < s.repetitions; rep++) {
    const t = await timeRun(env, strategy, similarRequests(s.count, rep));
    wall += t.wallMs;
    delivered += t.delivered;
    if (t.firstLessonMs !== null) {
      firstSum += t.firstLessonMs;
      firstN++;
    }
  }
  return {
    scenario: s.name,
    strategy: strategy.name,
    ...totals(env, strategy.name),
    wallMs: Math.round(wall / s.repetitions),
    firstLessonMs: firstN ? Math.round(firstSum / firstN) : null,
    delivered,
    asked: s.count * s.repetitions,
    ...(s.repetitions > 1 ? { repetitions: s.repetitions } : {}),
  };
}

async function main() {
  const started = performance.now();
  const strategies = [sequential, naiveParallel, naiveBatch, ours];
  const rows: Row[] = [];
  const log = (msg: string) => {
    if (!json) process.stderr.write(`${msg}\n`);
  };
  // Scenarios one after another; the strategies of a scenario run side by side (each on its own simulator).
  for (const s of similarScenarios()) {
    if (only && !s.name.startsWith(only)) continue;
    log(`running ${s.name} …`);
    rows.push(...(await Promise.all(strategies.map((st) => runSimilar(s, st)))));
  }
  if (!only || "prefetch-tpm".startsWith(only)) {
    log("running prefetch-tpm (30 simulated minutes at most) …");
    const { unit } = prefetchRequests();
    const prefetchStrategies = [sequential, naiveParallel, naiveBatchWith((i) => unit[i]), ours];
    // One strategy at a time: naive-parallel's bursts of hundreds of calls would stall the event loop
    // for the others, and on a time-scaled clock a stall is simulated time that never happened.
    for (const st of prefetchStrategies) rows.push(await runPrefetch(st, SEED));
  }
  const targets = evaluateTargets(rows);
  const benchWallMs = Math.round(performance.now() - started);
  if (json) {
    process.stdout.write(`${JSON.stringify({ scenarios: rows, targets, benchWallMs }, null, 2)}\n`);
    return;
  }
  console.log(formatTable(rows));
  console.log("\nTargets:");
  for (const t of targets) console.log(`  ${t.pass ? "PASS" : "FAIL"}  ${t.name}: ${t.measured}`);
  console.log(`\nBench wall time: ${(benchWallMs / 1000).toFixed(1)} s (real)`);
  console.log("Times in the table are simulated (the simulator's latency model); ×NP = ratio to naive-parallel.");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
