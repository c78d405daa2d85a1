// Rows (min / median / max over seeds), the issue's targets evaluated on the medians, the printed
// table and the JSON shape `npm run bench -- --json` prints last.
import type { Priority } from "@/lib/llm/types";
import type { Sample } from "./measure";

export interface Stat {
  min: number;
  median: number;
  max: number;
}

export interface Row {
  scenario: string;
  profile: string;
  priority: Priority;
  strategy: string;
  seeds: number;
  asked: number;
  delivered: Stat;
  calls: Stat;
  usdPerLesson: Stat;
  usdPerLessonSplit: { input: Stat; cached: Stat; output: Stat };
  firstLessonMs: Stat | null;
  lastLessonMs: Stat | null;
  readingWaitMs: Stat | null;
  duplicateTitles: Stat;
  /** Delivered lessons breaking a quality rule (countRuleFailures from lib/lessons). */
  ruleFailures: Stat;
  reportedSavingsUsd: Stat | null;
  measuredSavingsUsd: Stat | null;
  /** Billed USD of the whole run (not per lesson), for the savings comparison. */
  billedUsd: Stat;
  /** Lessons delivered over all seeds (for the chaos delivery share). */
  deliveredTotal: number;
}

export interface Target {
  name: string;
  measured: string;
  pass: boolean;
}

export function stat(values: readonly number[]): Stat {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { min: v[0], median: mid, max: v[v.length - 1] };
}

const maybeStat = (values: (number | null)[]) => (values.some((x) => x === null) || values.length === 0 ? null : stat(values as number[]));

/**
 * What naive-parallel billed, for as many lessons as ours produced: its bill when the counts are the
 * same (every fault-free similar cell), else scaled by them (the saving is for the lessons delivered).
 */
function naiveBillFor(naive: Sample, ours: Sample): number {
  const produced = (s: Sample) => s.generated ?? s.delivered;
  if (produced(naive) === produced(ours) || produced(naive) === 0) return naive.bill.usd;
  return (naive.bill.usd * produced(ours)) / produced(naive);
}

/** Row of one strategy in one cell; `naive` are naive-parallel's samples of the same seeds (for measured savings). */
export function toRow(key: { scenario: string; profile: string; priority: Priority; strategy: string }, samples: Sample[], naive: Sample[] | null): Row {
  const perLesson = (s: Sample, usd: number) => (s.delivered > 0 ? usd / s.delivered : Number.POSITIVE_INFINITY);
  const bySeed = new Map(naive?.map((n) => [n.seed, n]));
  return {
    ...key,
    seeds: samples.length,
    asked: samples[0]?.asked ?? 0,
    delivered: stat(samples.map((s) => s.delivered)),
    calls: stat(samples.map((s) => s.calls)),
    usdPerLesson: stat(samples.map((s) => perLesson(s, s.bill.usd))),
    usdPerLessonSplit: {
      input: stat(samples.map((s) => perLesson(s, s.bill.inputUsd))),
      cached: stat(samples.map((s) => perLesson(s, s.bill.cachedUsd))),
      output: stat(samples.map((s) => perLesson(s, s.bill.outputUsd))),
    },
    firstLessonMs: maybeStat(samples.map((s) => s.firstLessonMs)),
    lastLessonMs: maybeStat(samples.map((s) => s.lastLessonMs)),
    readingWaitMs: maybeStat(samples.map((s) => s.readingWaitMs)),
    duplicateTitles: stat(samples.map((s) => s.duplicateTitles)),
    ruleFailures: stat(samples.map((s) => s.ruleFailures)),
    reportedSavingsUsd: maybeStat(samples.map((s) => s.reportedSavingsUsd)),
    measuredSavingsUsd:
      key.strategy === "ours" && naive ? maybeStat(samples.map((s) => { const n = bySeed.get(s.seed); return n ? naiveBillFor(n, s) - s.bill.usd : null; })) : null,
    billedUsd: stat(samples.map((s) => s.bill.usd)),
    deliveredTotal: samples.reduce((a, s) => a + s.delivered, 0),
  };
}

const find = (rows: Row[], scenario: string, profile: string, priority: string, strategy: string) =>
  rows.find((r) => r.scenario === scenario && r.profile === profile && r.priority === priority && r.strategy === strategy);
const ratio = (a: number | undefined | null, b: number | undefined | null) => (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : a / b);
const fmt = (x: number | null) => (x === null ? "–" : `${x.toFixed(3)}×`);

export function evaluateTargets(rows: Row[], benchWallMs: number, opts: { full?: boolean } = { full: true }): Target[] {
  const out: Target[] = [];
  const compare = (scenario: string, profile: string, priority: string, checks: { what: "usd" | "wait" | "first"; max: number }[]) => {
    const o = find(rows, scenario, profile, priority, "ours");
    const n = find(rows, scenario, profile, priority, "naive-parallel");
    for (const c of checks) {
      const pick = (r: Row | undefined) => (c.what === "usd" ? r?.usdPerLesson.median : c.what === "wait" ? r?.readingWaitMs?.median : r?.firstLessonMs?.median);
      const x = ratio(pick(o), pick(n));
      const label = c.what === "usd" ? "$/lesson" : c.what === "wait" ? "reading wait" : "first lesson";
      out.push({ name: `${scenario} ${profile} ${priority}: ours ${label} ≤ ${c.max}× naive-parallel`, measured: fmt(x), pass: x !== null && x <= c.max });
    }
  };
  compare("similar-5", "openai-like", "interactive", [{ what: "usd", max: 0.8 }, { what: "wait", max: 1.15 }, { what: "first", max: 1.15 }]);
  compare("similar-5", "groq-like", "interactive", [{ what: "usd", max: 0.8 }, { what: "wait", max: 1.15 }]);
  for (const p of ["openai-like", "groq-like", "cerebras-like"]) compare("similar-10", p, "interactive", [{ what: "usd", max: 0.78 }, { what: "wait", max: 1.2 }]);
  for (const p of ["openai-like", "groq-like", "cerebras-like"]) compare("similar-5", p, "background", [{ what: "usd", max: 0.75 }]);

  const co = find(rows, "chaos-5", "openai-like", "interactive", "ours");
  const cn = find(rows, "chaos-5", "openai-like", "interactive", "naive-parallel");
  if (co) {
    const share = co.deliveredTotal / (co.asked * co.seeds);
    const minShare = co.delivered.min / co.asked;
    out.push({
      name: "chaos-5: ours delivers ≥ 99.5% of asked (all seeds together)",
      measured: `${(share * 100).toFixed(1)}% = ${co.deliveredTotal}/${co.asked * co.seeds} (worst seed ${(minShare * 100).toFixed(0)}%)`,
      pass: share >= 0.995,
    });
    const x = ratio(co.usdPerLesson.median, cn?.usdPerLesson.median);
    out.push({ name: "chaos-5: ours $/delivered lesson ≤ 0.85× naive-parallel", measured: fmt(x), pass: x !== null && x <= 0.85 });
  }

  // Pareto: nobody more than 3% better than ours on both $/lesson and reading wait at once.
  const cells = new Set(rows.map((r) => `${r.scenario}|${r.profile}|${r.priority}`));
  const beaten: string[] = [];
  for (const cell of cells) {
    const [scenario, profile, priority] = cell.split("|");
    const o = find(rows, scenario, profile, priority, "ours");
    if (!o || !o.readingWaitMs) continue;
    for (const r of rows.filter((x) => `${x.scenario}|${x.profile}|${x.priority}` === cell && x.strategy !== "ours")) {
      if (!r.readingWaitMs) continue;
      if (r.usdPerLesson.median < 0.97 * o.usdPerLesson.median && r.readingWaitMs.median < 0.97 * o.readingWaitMs.median) beaten.push(`${cell} by ${r.strategy}`);
    }
  }
  out.push({ name: "Pareto: no strategy > 3% better than ours on both $/lesson and reading wait", measured: beaten.length ? beaten.join("; ") : `${cells.size} cells, none`, pass: beaten.length === 0 });

  // Truth: reported vs measured savings in every fault-free cell (medians).
  const off: string[] = [];
  let checked = 0;
  let worst = 0;
  for (const o of rows.filter((r) => r.strategy === "ours" && r.scenario !== "chaos-5" && r.reportedSavingsUsd && r.measuredSavingsUsd)) {
    checked++;
    const rep = o.reportedSavingsUsd!.median;
    const mea = o.measuredSavingsUsd!.median;
    const dev = mea === 0 ? Infinity : Math.abs(rep - mea) / Math.abs(mea);
    worst = Math.max(worst, dev);
    if (dev > 0.05) off.push(`${o.scenario} ${o.profile} ${o.priority}: reported ${rep.toFixed(6)} vs measured ${mea.toFixed(6)} (${(dev * 100).toFixed(1)}%)`);
  }
  out.push({ name: "Truth: |reported − measured savings| ≤ 5% of measured in every fault-free cell", measured: off.length ? off.join("; ") : `${checked} cells, worst ${(worst * 100).toFixed(2)}%`, pass: checked > 0 && off.length === 0 });

  // Only a full run (every family) can show the whole command's time.
  if (opts.full) out.push({ name: "npm run bench (every family) finishes within 12 minutes", measured: `${(benchWallMs / 60_000).toFixed(2)} min`, pass: benchWallMs <= 12 * 60_000 });
  return out;
}

const sec = (s: Stat | null) => (s ? `${(s.median / 1000).toFixed(1)}s` : "–");
const usd = (x: number) => (Number.isFinite(x) ? `$${(x * 1000).toFixed(4)}m` : "–");

/** The printed table: medians (min–max where it matters), ratios to naive-parallel in the same cell. */
export function formatTable(rows: Row[]): string {
  const header = ["scenario", "profile", "priority", "strategy", "calls", "deliv/asked", "$/lesson", "in/cached/out", "×NP $", "1st", "last", "read wait", "×NP wait", "dups", "rule fails", "saved rep.", "saved meas."];
  const lines: string[][] = [header];
  for (const r of rows) {
    const np = find(rows, r.scenario, r.profile, r.priority, "naive-parallel");
    const split = r.usdPerLessonSplit;
    lines.push([
      r.scenario,
      r.profile,
      r.priority,
      r.strategy,
      String(r.calls.median),
      `${r.delivered.median}/${r.asked}${r.delivered.min !== r.delivered.max ? ` (${r.delivered.min}–${r.delivered.max})` : ""}`,
      usd(r.usdPerLesson.median),
      `${usd(split.input.median)}/${usd(split.cached.median)}/${usd(split.output.median)}`,
      fmt(ratio(r.usdPerLesson.median, np?.usdPerLesson.median)),
      sec(r.firstLessonMs),
      sec(r.lastLessonMs),
      sec(r.readingWaitMs),
      fmt(ratio(r.readingWaitMs?.median, np?.readingWaitMs?.median)),
      String(r.duplicateTitles.median),
      String(r.ruleFailures.median),
      r.reportedSavingsUsd ? usd(r.reportedSavingsUsd.median) : "",
      r.measuredSavingsUsd ? usd(r.measuredSavingsUsd.median) : "",
    ]);
  }
  const widths = header.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  return lines.map((l) => l.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ").trimEnd()).join("\n");
}

/** The JSON shape of the issue: rows without the internal billedUsd, then the targets (prefetch-scale's and prefetch-day's included, prefixed), the wall time, and those two families' own rows. */
export function toJson<Extra extends object>(rows: Row[], targets: Target[], benchWallMs: number, extra: Extra) {
  return {
    rows: rows.map(({ billedUsd: _billed, deliveredTotal: _total, ...r }) => r),
    targets,
    /** The whole command's wall time (from process start), in ms. */
    benchWallMs,
    ...extra,
  };
}
