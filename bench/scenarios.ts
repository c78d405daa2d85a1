// Benchmark scenarios: similar-{2,3,5,10} × provider-class profiles × priority; chaos-5; prefetch.
import type { LessonRequest } from "@/lib/batch/types";
import type { SimProfileName } from "@/lib/llm/sim";
import type { Priority } from "@/lib/llm/types";

export const SEEDS = [1, 2, 3, 4, 5];
export const CHAOS_SEEDS = Array.from({ length: 20 }, (_, i) => 101 + i);
export const PROFILES = ["openai-like", "groq-like", "cerebras-like"] as const satisfies readonly SimProfileName[];
export const PRIORITIES = ["interactive", "background"] as const satisfies readonly Priority[];
export const COUNTS = [2, 3, 5, 10];
/** Seconds a learner spends on one lesson (about 100 words and three questions). */
export const READING_SECONDS = 30;

/** Real ms per simulated ms: slow decoders run faster than real time so the bench stays short. */
const SCALE = Number(process.env.BENCH_TIME_SCALE_FACTOR ?? 1);
export const TIME_SCALE: Record<(typeof PROFILES)[number], number> = { "openai-like": 0.12 * SCALE, "groq-like": 0.2 * SCALE, "cerebras-like": 0.6 * SCALE };

export interface Cell {
  scenario: string;
  profile: (typeof PROFILES)[number];
  priority: Priority;
  count: number;
  faultRate?: number;
  seeds: number[];
}

export function similarCells(): Cell[] {
  const out: Cell[] = [];
  for (const count of COUNTS) for (const profile of PROFILES) for (const priority of PRIORITIES) out.push({ scenario: `similar-${count}`, profile, priority, count, seeds: SEEDS });
  return out;
}

/** chaos-5: 5 lessons on openai-like with 20% faults per lesson asked (so 1 − 0.8^k per call of k). */
export const chaosCell: Cell = { scenario: "chaos-5", profile: "openai-like", priority: "interactive", count: 5, faultRate: 0.2, seeds: CHAOS_SEEDS };

export const PLAYLIST_TITLES = ["Reading a Demand Schedule", "Why Supply Curves Slope Upward", "Price Ceilings and Shortages"];

/** "Generate similar" on an economics playlist: one topic, the playlist's titles to avoid. */
export function similarRequests(count: number, seed: number): LessonRequest[] {
  const topics = ["Supply and Demand", "Opportunity Cost", "Inflation", "Comparative Advantage"];
  return Array.from({ length: count }, () => ({ subject: "Economics", topic: topics[seed % topics.length], difficulty: "easy" as const, avoidTitles: PLAYLIST_TITLES }));
}

export const PREFETCH = {
  scenario: "prefetch",
  profile: "openai-like" as const,
  learners: 120,
  /** (topic, difficulty) pairs each learner follows, of the 12 topics × 3 difficulties. */
  followsPerLearner: 3,
  /** Each feed's pending cap per topic (FYP_PENDING_PER_TOPIC): what an empty feed is short of. */
  perLearner: 2,
  topics: [
    ["Biology", "Photosynthesis"], ["Biology", "Cell Division"], ["Chemistry", "Chemical Bonds"], ["Chemistry", "Acids and Bases"],
    ["Physics", "Newton's Laws"], ["Physics", "Electric Circuits"], ["Economics", "Supply and Demand"], ["Economics", "Inflation"],
    ["History", "The Industrial Revolution"], ["Mathematics", "Probability Basics"], ["Computer Science", "Recursion"], ["Psychology", "Memory and Recall"],
  ] as const,
  rpm: 500,
  tpm: 60_000,
  minutes: 12,
  // Slower than the similar cells: the sweep's database work runs on real time, and on a faster clock it
  // would look like seconds of simulated time between groups.
  timeScale: 0.1 * SCALE,
  // Nine seeds, not five: the saving is a small difference of two bills, and naive-parallel's own bill
  // moves by about ±0.15m$ a seed with its 72 single calls' cache-hit draws (the truth check's 5% is
  // ~0.09m$), so the median needs more seeds than the similar cells.
  seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9],
};
