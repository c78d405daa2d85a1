// npm run bench [-- --json] [-- --only <scenario-prefix>]: every strategy in every scenario on
// in-process simulators (time-scaled), at least 5 seeds each; prints the table (or, with --json,
// the JSON last), evaluates the targets and writes one SVG per scenario family into bench/.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createBenchEnv } from "./env";
import { runOnce, type Sample } from "./measure";
import { familySvg } from "./plot";
import { prefetchWorkload, runPrefetch } from "./prefetch";
import { evaluateTargets, formatTable, toJson, toRow, type Row } from "./report";
import { chaosCell, PREFETCH, similarCells, similarRequests, TIME_SCALE, type Cell } from "./scenarios";
import { allStrategies, naiveBatch, naiveParallel, ours, type Strategy } from "./strategies";

const args = process.argv.slice(2);
const json = args.includes("--json");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const elapsed = () => `${(performance.now() / 1000).toFixed(0)} s`;

/**
 * Seeds of a cell run side by side, this many at a time. Every (seed, strategy) has its own simulator
 * and clock, and a cell's real time is mostly waiting on those clocks (the slowest strategy,
 * `sequential`, sets it), so running seeds together costs little CPU and cuts the wall time about by
 * this factor. `BENCH_SEED_CONCURRENCY=1` runs them one after another (slower, the cleanest clocks).
 */
const SEED_CONCURRENCY = Math.max(1, Number(process.env.BENCH_SEED_CONCURRENCY ?? 5));

async function runCell(cell: Cell): Promise<Row[]> {
  const samples = new Map<string, Sample[]>();
  const runSeed = (seed: number) =>
    // The strategies of one seed side by side, each on its own simulator.
    Promise.all(
      allStrategies.map(async (st) => {
        const env = createBenchEnv({ profile: cell.profile, timeScale: TIME_SCALE[cell.profile], seed, priority: cell.priority, faultRate: cell.faultRate });
        return [st.name, await runOnce(env, st, similarRequests(cell.count, seed), seed)] as const;
      }),
    );
  for (let at = 0; at < cell.seeds.length; at += SEED_CONCURRENCY) {
    const batch = await Promise.all(cell.seeds.slice(at, at + SEED_CONCURRENCY).map(runSeed));
    // Samples in seed order, whatever finished first.
    for (const got of batch) for (const [name, s] of got) samples.set(name, [...(samples.get(name) ?? []), s]);
  }
  const naive = samples.get("naive-parallel") ?? null;
  return allStrategies.map((st) => toRow({ scenario: cell.scenario, profile: cell.profile, priority: cell.priority, strategy: st.name }, samples.get(st.name) ?? [], naive));
}

async function runPrefetchRows(): Promise<Row[]> {
  // One run at a time: a burst of hundreds of calls stalls the event loop, which a time-scaled
  // clock would count as simulated time. sequential is left out: under the TPM cap it is the
  // slowest by construction and would take the whole window every seed.
  const strategies: Strategy[] = [naiveParallel, naiveBatch, ours];
  const samples = new Map<string, Sample[]>();
  const workload = await prefetchWorkload();
  for (const seed of PREFETCH.seeds) for (const st of strategies) samples.set(st.name, [...(samples.get(st.name) ?? []), await runPrefetch(st, workload, seed)]);
  const naive = samples.get("naive-parallel") ?? null;
  return strategies.map((st) => toRow({ scenario: PREFETCH.scenario, profile: PREFETCH.profile, priority: "background", strategy: st.name }, samples.get(st.name) ?? [], naive));
}

type Extra = { name: string; measured: string; pass: boolean };
const prefixed = (family: string, targets: readonly Extra[]) => targets.map((t) => ({ ...t, name: `${family}: ${t.name}` }));

async function main() {
  if (only === "prefetch-day") return (await import("./prefetch-day")).printPrefetchDay(json); // bench/prefetch-day.ts
  if (only === "prefetch-scale") return void (await (await import("./prefetch-scale")).runPrefetchScale({ json, log }));
  const full = !only;
  // A full run is every family: prefetch-scale (multi-process, on the local Postgres), the similar and
  // chaos cells, prefetch, and prefetch-day. Its wall time is the whole command's, from process start.
  const scale = full ? await (await import("./prefetch-scale")).runPrefetchScale({ json, log, print: false }) : null;
  const rows: Row[] = [];
  const cells = [...similarCells(), chaosCell].filter((c) => !only || c.scenario.startsWith(only));
  for (const cell of cells) {
    log(`running ${cell.scenario} ${cell.profile} ${cell.priority} (${cell.seeds.length} seeds) … [${elapsed()}]`);
    rows.push(...(await runCell(cell)));
  }
  if (!only || PREFETCH.scenario.startsWith(only)) {
    log(`running prefetch (${PREFETCH.seeds.length} seeds, ${PREFETCH.minutes} simulated minutes at most) … [${elapsed()}]`);
    rows.push(...(await runPrefetchRows()));
  }
  let day: Awaited<ReturnType<typeof import("./prefetch-day").runPrefetchDay>> | null = null;
  if (full) {
    log(`running prefetch-day … [${elapsed()}]`);
    day = await (await import("./prefetch-day")).runPrefetchDay();
  }
  for (const family of [...new Set(rows.map((r) => r.scenario))]) {
    const svg = familySvg(family, rows);
    if (svg) writeFileSync(path.join(import.meta.dirname, `${family}.svg`), svg);
  }
  // Measured last, after everything ran (the SVGs included): the whole command since the process started.
  const benchWallMs = Math.round(performance.now());
  const targets = [
    ...evaluateTargets(rows, benchWallMs, { full }),
    ...(scale ? prefixed("prefetch-scale", scale.skipped ? [{ name: "ran", measured: `skipped: ${scale.skipped}`, pass: false }] : scale.targets) : []),
    ...(day ? prefixed("prefetch-day", day.targets) : []),
  ];
  if (!json) {
    if (scale) console.log((await import("./prefetch-scale")).formatScale(scale));
    console.log(formatTable(rows));
    if (day) console.log(`\n${(await import("./prefetch-day")).formatDay(day)}`);
    console.log("\nTargets (medians over seeds):");
    for (const t of targets) console.log(`  ${t.pass ? "PASS" : "FAIL"}  ${t.name}: ${t.measured}`);
    console.log(`\nBench wall time: ${(benchWallMs / 1000).toFixed(1)} s (real, the whole command${full ? "" : `, --only ${only}`}). Times in the table are simulated; $ in thousandths of a dollar (m).`);
    return;
  }
  process.stdout.write(`${JSON.stringify(toJson(rows, targets, benchWallMs, { prefetchScale: scale, prefetchDay: day }))}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
