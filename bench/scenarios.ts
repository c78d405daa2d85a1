// Benchmark scenarios (issue 5): similar-{1,2,3,5,10}-{fast,typical}, chaos-5 and prefetch-tpm.
import type { LessonRequest } from "@/lib/batch/types";
import type { SimProfileName } from "@/lib/llm/sim";

export interface SimilarScenario {
  kind: "similar";
  name: string;
  profile: SimProfileName;
  count: number;
  repetitions: number;
  timeScale: number;
}

export const PLAYLIST_TITLES = ["Reading a Demand Schedule", "Why Supply Curves Slope Upward", "Price Ceilings and Shortages"];

export function similarRequests(count: number, rep = 0): LessonRequest[] {
  // "Generate similar" on an economics playlist: one topic, the playlist's titles to avoid.
  const topics = ["Supply and Demand", "Opportunity Cost", "Inflation", "Comparative Advantage"];
  return Array.from({ length: count }, () => ({
    subject: "Economics",
    topic: topics[rep % topics.length],
    difficulty: "easy" as const,
    avoidTitles: PLAYLIST_TITLES,
  }));
}

export function similarScenarios(): SimilarScenario[] {
  const out: SimilarScenario[] = [];
  for (const profile of ["fast", "typical"] as const)
    for (const count of [1, 2, 3, 5, 10]) out.push({ kind: "similar", name: `similar-${count}-${profile}`, profile, count, repetitions: 1, timeScale: profile === "fast" ? 0.2 : 0.05 });
  out.push({ kind: "similar", name: "chaos-5", profile: "chaos", count: 5, repetitions: 30, timeScale: 0.02 });
  return out;
}

export const PREFETCH = {
  name: "prefetch-tpm",
  learners: 300,
  perLearner: 2,
  topics: [
    ["Biology", "Photosynthesis"], ["Biology", "Cell Division"], ["Chemistry", "Chemical Bonds"], ["Chemistry", "Acids and Bases"],
    ["Physics", "Newton's Laws"], ["Physics", "Electric Circuits"], ["Economics", "Supply and Demand"], ["Economics", "Inflation"],
    ["History", "The Industrial Revolution"], ["Mathematics", "Probability Basics"], ["Computer Science", "Recursion"], ["Psychology", "Memory and Recall"],
  ] as const,
  rpm: 500,
  tpm: 60_000,
  minutes: 30,
  timeScale: 0.05,
};

/** 300 learner-topic shortfalls of 2 lessons; `unit[i]` is the shortfall a lesson belongs to. */
export function prefetchRequests(): { requests: LessonRequest[]; unit: string[] } {
  const requests: LessonRequest[] = [];
  const unit: string[] = [];
  for (let l = 0; l < PREFETCH.learners; l++) {
    const [subject, topic] = PREFETCH.topics[l % PREFETCH.topics.length];
    for (let k = 0; k < PREFETCH.perLearner; k++) {
      requests.push({ subject, topic, difficulty: "easy" });
      unit.push(`learner-${l}`);
    }
  }
  return { requests, unit };
}
