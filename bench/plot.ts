// SVG plots, one per scenario family: $ per delivered lesson against time to the last lesson (left)
// and against reading wait (right), every strategy in every (profile, priority) cell, each as a
// ratio to naive-parallel in the same cell so the cells share axes. Lower-left is better.
import type { Row } from "./report";

const COLORS: Record<string, string> = {
  sequential: "#8c564b",
  "naive-parallel": "#7f7f7f",
  "naive-batch": "#bcbd22",
  "chunked-2": "#17becf",
  "chunked-3": "#1f77b4",
  "warm-fanout": "#9467bd",
  ours: "#d62728",
};
const SHAPES: Record<string, "circle" | "square" | "triangle"> = { "openai-like": "circle", "groq-like": "square", "cerebras-like": "triangle" };

const W = 460;
const H = 340;
const PAD = { l: 56, r: 14, t: 30, b: 44 };

function marker(shape: string, x: number, y: number, color: string, filled: boolean): string {
  const style = `fill="${filled ? color : "white"}" stroke="${color}" stroke-width="1.6"`;
  if (shape === "square") return `<rect x="${x - 4.5}" y="${y - 4.5}" width="9" height="9" ${style}/>`;
  if (shape === "triangle") return `<polygon points="${x},${y - 6} ${x - 5.5},${y + 4} ${x + 5.5},${y + 4}" ${style}/>`;
  return `<circle cx="${x}" cy="${y}" r="5" ${style}/>`;
}

function niceMax(v: number): number {
  const steps = [1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50];
  return steps.find((s) => s >= v) ?? Math.ceil(v);
}

function panel(points: { x: number; y: number; strategy: string; profile: string; priority: string }[], xLabel: string, offsetX: number, title: string): string {
  const xMax = niceMax(Math.max(1.2, ...points.map((p) => p.x)));
  const yMax = niceMax(Math.max(1.2, ...points.map((p) => p.y)));
  const px = (x: number) => offsetX + PAD.l + (x / xMax) * (W - PAD.l - PAD.r);
  const py = (y: number) => PAD.t + (1 - y / yMax) * (H - PAD.t - PAD.b);
  const parts: string[] = [];
  parts.push(`<text x="${offsetX + W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${title}</text>`);
  parts.push(`<rect x="${offsetX + PAD.l}" y="${PAD.t}" width="${W - PAD.l - PAD.r}" height="${H - PAD.t - PAD.b}" fill="none" stroke="#ccc"/>`);
  for (let i = 0; i <= 4; i++) {
    const xv = (xMax * i) / 4;
    const yv = (yMax * i) / 4;
    parts.push(`<text x="${px(xv)}" y="${H - PAD.b + 14}" text-anchor="middle" font-size="10">${xv.toFixed(2)}×</text>`);
    parts.push(`<text x="${offsetX + PAD.l - 4}" y="${py(yv) + 3}" text-anchor="end" font-size="10">${yv.toFixed(2)}×</text>`);
  }
  // naive-parallel's own point is (1, 1): guide lines through it.
  parts.push(`<line x1="${px(1)}" y1="${PAD.t}" x2="${px(1)}" y2="${H - PAD.b}" stroke="#999" stroke-dasharray="3 3"/>`);
  parts.push(`<line x1="${offsetX + PAD.l}" y1="${py(1)}" x2="${offsetX + W - PAD.r}" y2="${py(1)}" stroke="#999" stroke-dasharray="3 3"/>`);
  parts.push(`<text x="${offsetX + PAD.l + (W - PAD.l - PAD.r) / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${xLabel} (× naive-parallel)</text>`);
  parts.push(`<text x="${offsetX + 14}" y="${PAD.t + (H - PAD.t - PAD.b) / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 ${offsetX + 14} ${PAD.t + (H - PAD.t - PAD.b) / 2})">$ per delivered lesson (× naive-parallel)</text>`);
  for (const p of points) {
    parts.push(marker(SHAPES[p.profile] ?? "circle", px(p.x), py(p.y), COLORS[p.strategy] ?? "#000", p.priority === "interactive"));
  }
  return parts.join("\n");
}

/** One family's SVG text (e.g. all similar-5 cells), or null when there is nothing to plot. */
export function familySvg(family: string, rows: Row[]): string | null {
  const mine = rows.filter((r) => r.scenario === family);
  const left: Parameters<typeof panel>[0] = [];
  const right: Parameters<typeof panel>[0] = [];
  for (const r of mine) {
    const np = mine.find((x) => x.profile === r.profile && x.priority === r.priority && x.strategy === "naive-parallel");
    if (!np) continue;
    const y = r.usdPerLesson.median / np.usdPerLesson.median;
    if (!Number.isFinite(y)) continue;
    const base = { strategy: r.strategy, profile: r.profile, priority: r.priority, y };
    if (r.lastLessonMs && np.lastLessonMs) left.push({ ...base, x: r.lastLessonMs.median / np.lastLessonMs.median });
    if (r.readingWaitMs && np.readingWaitMs) right.push({ ...base, x: r.readingWaitMs.median / np.readingWaitMs.median });
  }
  if (left.length === 0) return null;
  const legendY = H + 8;
  const legend: string[] = [];
  Object.entries(COLORS).forEach(([name, color], i) => {
    legend.push(`<rect x="${20 + i * 128}" y="${legendY}" width="10" height="10" fill="${color}"/><text x="${34 + i * 128}" y="${legendY + 9}" font-size="11">${name}</text>`);
  });
  const shapes = Object.entries(SHAPES).map(([profile, shape], i) => `${marker(shape, 26 + i * 150, legendY + 28, "#333", true)}<text x="${36 + i * 150}" y="${legendY + 32}" font-size="11">${profile}</text>`);
  legend.push(...shapes);
  legend.push(`<text x="480" y="${legendY + 32}" font-size="11">filled: interactive · hollow: background · medians over seeds</text>`);
  const width = 2 * W;
  const height = H + 56;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(left, "time to the last lesson", 0, `${family}: $ per lesson vs time to last lesson`),
    panel(right, "reading wait (R = 30 s)", W, `${family}: $ per lesson vs reading wait`),
    ...legend,
    `</svg>`,
  ].join("\n");
}
