// Fault injection: which faults a call gets (queued, per-request header, or the profile's random rate)
// and how content-level faults bend an otherwise valid answer.
import { breakLessonRule, RULE_BREAKS } from "./lesson-writer";

export const FAULT_KINDS = [
  "rate_limit",
  "server_error",
  "unavailable",
  "hang",
  "reset",
  "malformed_json",
  "truncate",
  "fewer_items",
  "duplicate_items",
  "invalid_item",
  "text_instead_of_tool",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults that replace the response entirely (no completion is produced). */
export const TRANSPORT_FAULTS: readonly FaultKind[] = ["reset", "hang", "rate_limit", "unavailable", "server_error"];

// Random faults (chaos profile / faultRate). `hang` is left out: each one costs a full client timeout,
// so it is only injected when a test asks for it (queueFaults or the x-sim-faults header).
const RANDOM_MIX: [FaultKind, number][] = [
  ["rate_limit", 3],
  ["server_error", 2],
  ["unavailable", 2],
  ["reset", 1],
  ["malformed_json", 2],
  ["truncate", 2],
  ["fewer_items", 2],
  ["duplicate_items", 2],
  ["invalid_item", 2],
  ["text_instead_of_tool", 2],
];

export function isFaultKind(s: string): s is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(s);
}

/**
 * `x-sim-faults: truncate=1,duplicate_items=0.5` or `x-sim-faults: truncate`. Each value is the
 * probability that this request gets the fault (default 1). Unknown names are ignored.
 */
export function parseFaultHeader(header: string | null): Map<FaultKind, number> {
  const out = new Map<FaultKind, number>();
  if (!header) return out;
  for (const part of header.split(",")) {
    const [rawName, rawValue] = part.split("=").map((s) => s.trim());
    const name = rawName?.toLowerCase().replace(/-/g, "_");
    if (!name || !isFaultKind(name)) continue;
    const p = rawValue === undefined || rawValue === "" ? 1 : Number(rawValue);
    if (Number.isFinite(p) && p > 0) out.set(name, Math.min(1, p));
  }
  return out;
}

export function pickRandomFault(rng: () => number): FaultKind {
  const total = RANDOM_MIX.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [kind, w] of RANDOM_MIX) {
    r -= w;
    if (r < 0) return kind;
  }
  return RANDOM_MIX[RANDOM_MIX.length - 1][0];
}

/** The array of lesson-like objects in a generated value (e.g. `lessons`), or null. */
function itemArray(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) if (Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === "object")) return v;
  }
  return null;
}

/**
 * Applies the item-level faults to a generated value, in place. `previousTitle` is a title this topic
 * already produced, used to make a lone lesson a duplicate. Returns the faults that actually applied.
 */
export function applyItemFaults(value: unknown, faults: Set<FaultKind>, previousTitle: string | null): FaultKind[] {
  const applied: FaultKind[] = [];
  const items = itemArray(value);
  if (faults.has("duplicate_items")) {
    if (items && items.length >= 2) {
      const copy = JSON.parse(JSON.stringify(items[0])) as Record<string, unknown>;
      if ("slot" in copy) copy.slot = (items[items.length - 1] as Record<string, unknown>).slot;
      items[items.length - 1] = copy;
      applied.push("duplicate_items");
    } else {
      const lone = (items?.[0] ?? value) as Record<string, unknown> | null;
      if (lone && typeof lone === "object" && typeof lone.title === "string" && previousTitle) {
        lone.title = previousTitle;
        applied.push("duplicate_items");
      }
    }
  }
  if (faults.has("invalid_item")) {
    const target = (items?.[Math.min(1, items.length - 1)] ?? value) as Record<string, unknown> | null;
    if (target && typeof target === "object") {
      if (Array.isArray(target.questions) && target.questions.length > 1) target.questions = target.questions.slice(0, 2);
      else if ("correctIndex" in target) target.correctIndex = 7;
      else {
        const first = Object.keys(target)[0];
        if (first) delete target[first];
      }
      applied.push("invalid_item");
    }
  }
  if (faults.has("fewer_items") && items && items.length >= 1) {
    items.splice(Math.max(0, items.length - Math.max(1, Math.floor(items.length / 2))));
    applied.push("fewer_items");
  }
  return applied;
}

/** Breaks JSON text the way models do: a dropped quote and a trailing comma before a closing brace. */
export function malformJson(text: string): string {
  const q = text.indexOf('"', Math.floor(text.length / 3));
  const broken = q >= 0 ? text.slice(0, q) + text.slice(q + 1) : text;
  return broken.replace(/}\s*$/, ",}");
}

/**
 * Per-lesson rule breaks (docs/quality.md): each lesson of the answer, with probability `rate`, breaks one
 * rule of lib/lessons/checks.ts picked at random. The rate comes from the simulator option
 * `ruleBreakRate` or the request header `x-sim-rule-breaks: 0.1` (the header wins). Returns what applied.
 */
export function applyRuleBreaks(value: unknown, rate: number, rng: () => number): string[] {
  if (!(rate > 0)) return [];
  const items = itemArray(value) ?? (value && typeof value === "object" && "questions" in value ? [value] : []);
  const applied: string[] = [];
  for (const item of items) {
    if (rng() >= rate) continue;
    const kind = RULE_BREAKS[Math.floor(rng() * RULE_BREAKS.length) % RULE_BREAKS.length];
    if (breakLessonRule(item as Record<string, unknown>, kind)) applied.push(`rule_break:${kind}`);
  }
  return applied;
}

/** The per-lesson rule-break rate of a request: the `x-sim-rule-breaks` header, else the option. */
export function ruleBreakRate(header: string | null, option: number | undefined): number {
  const h = header === null ? NaN : Number(header);
  return Math.min(1, Math.max(0, Number.isFinite(h) ? h : (option ?? 0)));
}
