// The printed table (ratios against naive-parallel) and the targets, evaluated.
import type { Row } from "./measure";

export interface Target {
  name: string;
  measured: string;
  pass: boolean;
}

const find = (rows: Row[], scenario: string, strategy: string) => rows.find((r) => r.scenario === scenario && r.strategy === strategy);
const perLesson = (v: number, r: Row) => (r.delivered > 0 ? v / r.delivered : Infinity);
const ratio = (a: number | null, b: number | null) => (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : a / b);
const fmtRatio = (x: number | null) => (x === null ? "–" : `${x.toFixed(2)}×`);
const fmtMs = (ms: number | null) => (ms === null ? "–" : ms >= 10_000 ? `${(ms / 1000).toFixed(0)}s` : `${(ms / 1000).toFixed(1)}s`);

export function evaluateTargets(rows: Row[]): Target[] {
  const out: Target[] = [];
  const s5 = { ours: find(rows, "similar-5-typical", "ours"), np: find(rows, "similar-5-typical", "naive-parallel") };
  if (s5.ours && s5.np) {
    const pt = ratio(perLesson(s5.ours.promptTokens, s5.ours), perLesson(s5.np.promptTokens, s5.np));
    out.push({ name: "similar-5-typical: ours promptTokens/lesson ≤ 0.40 × naive-parallel", measured: fmtRatio(pt), pass: pt !== null && pt <= 0.4 });
    const fl = ratio(s5.ours.firstLessonMs, s5.np.firstLessonMs);
    out.push({ name: "similar-5-typical: ours firstLessonMs ≤ 1.25 × naive-parallel", measured: fmtRatio(fl), pass: fl !== null && fl <= 1.25 });
    const measured = s5.np.promptTokens - s5.ours.promptTokens;
    const reported = s5.ours.reportedSavedPromptTokens ?? 0;
    const diff = measured === 0 ? Infinity : Math.abs(reported - measured) / Math.abs(measured);
    out.push({
      name: "similar-5-typical: usage-event savings (counterfactual − actual) within 5% of naive-parallel − ours prompt tokens",
      measured: `reported ${reported}, measured ${measured}, diff ${(diff * 100).toFixed(2)}%`,
      pass: diff <= 0.05,
    });
  }
  const s10 = { ours: find(rows, "similar-10-typical", "ours"), np: find(rows, "similar-10-typical", "naive-parallel") };
  if (s10.ours && s10.np) {
    out.push({ name: "similar-10-typical: ours ≤ 3 calls", measured: String(s10.ours.calls), pass: s10.ours.calls <= 3 });
    const pt = ratio(s10.ours.promptTokens, s10.np.promptTokens);
    out.push({ name: "similar-10-typical: ours promptTokens ≤ 0.45 × naive-parallel", measured: fmtRatio(pt), pass: pt !== null && pt <= 0.45 });
  }
  const chaos = { ours: find(rows, "chaos-5", "ours"), nb: find(rows, "chaos-5", "naive-batch") };
  if (chaos.ours) {
    const share = chaos.ours.delivered / chaos.ours.asked;
    out.push({
      name: "chaos-5: ours delivers ≥ 99% of asked",
      measured: `${(share * 100).toFixed(1)}% (naive-batch: ${chaos.nb ? ((chaos.nb.delivered / chaos.nb.asked) * 100).toFixed(1) : "–"}%)`,
      pass: share >= 0.99,
    });
  }
  const pf = { ours: find(rows, "prefetch-tpm", "ours"), np: find(rows, "prefetch-tpm", "naive-parallel") };
  if (pf.ours && pf.np) {
    const lpm = ratio(pf.ours.lessonsPerMinute ?? null, pf.np.lessonsPerMinute ?? null);
    out.push({ name: "prefetch-tpm: ours lessons/minute ≥ 1.6 × naive-parallel", measured: fmtRatio(lpm), pass: lpm !== null && lpm >= 1.6 });
    const share = pf.ours.tpmBoundShare ?? 0;
    out.push({ name: "prefetch-tpm: ours tpmBoundShare ≥ 0.85", measured: share.toFixed(3), pass: share >= 0.85 });
  }
  for (const r of rows) {
    if (r.strategy === "ours" && r.usageEvents !== undefined && r.usageEvents !== r.calls) {
      out.push({ name: `${r.scenario}: usage events == simulator calls`, measured: `${r.usageEvents} vs ${r.calls}`, pass: false });
    }
  }
  const oursRows = rows.filter((r) => r.strategy === "ours" && r.usageEvents !== undefined);
  if (oursRows.length && oursRows.every((r) => r.usageEvents === r.calls)) {
    out.push({ name: "every scenario: ours usage events == simulator calls", measured: `${oursRows.length} scenarios`, pass: true });
  }
  return out;
}

export function formatTable(rows: Row[]): string {
  const header = ["scenario", "strategy", "calls", "prompt", "cached", "compl.", "cost $", "wall", "1st lesson", "delivered", "prompt/lesson ×NP", "cost/lesson ×NP", "wall ×NP", "1st ×NP", "extra"];
  const lines: string[][] = [header];
  for (const r of rows) {
    const np = find(rows, r.scenario, "naive-parallel");
    const extra: string[] = [];
    if (r.repetitions) extra.push(`${r.repetitions} reps (totals; times are means)`);
    if (r.lessonsPerMinute !== undefined) extra.push(`${r.lessonsPerMinute.toFixed(1)} lessons/min, tpmBoundShare ${r.tpmBoundShare?.toFixed(3)}`);
    if (r.usageEvents !== undefined) extra.push(`usage events ${r.usageEvents}, reported saved prompt ${r.reportedSavedPromptTokens}`);
    lines.push([
      r.scenario,
      r.strategy,
      String(r.calls),
      String(r.promptTokens),
      String(r.cachedTokens),
      String(r.completionTokens),
      r.costUsd.toFixed(5),
      fmtMs(r.wallMs),
      fmtMs(r.firstLessonMs),
      `${r.delivered}/${r.asked}`,
      np ? fmtRatio(ratio(perLesson(r.promptTokens, r), perLesson(np.promptTokens, np))) : "–",
      np ? fmtRatio(ratio(perLesson(r.costUsd, r), perLesson(np.costUsd, np))) : "–",
      np ? fmtRatio(ratio(r.wallMs, np.wallMs)) : "–",
      np ? fmtRatio(ratio(r.firstLessonMs, np.firstLessonMs)) : "–",
      extra.join("; "),
    ]);
  }
  const widths = header.map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  return lines.map((l) => l.map((cell, c) => (c < 2 || c === l.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ").trimEnd()).join("\n");
}
