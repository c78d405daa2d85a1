// generateLessonVariants: `count` new lessons on one topic (Generate similar, feed top-ups).
import { generateLessonBatch } from "./generate-lesson-batch";
import type { BatchDeps, BatchOptions, LessonRequest, LessonResult } from "./types";

export function generateLessonVariants(
  deps: BatchDeps,
  subject: string,
  topic: string,
  baseOpts: Omit<LessonRequest, "subject" | "topic">,
  count: number,
  opts: BatchOptions = {},
): AsyncGenerator<LessonResult, void, undefined> {
  const n = Math.max(0, Math.floor(count));
  const requests: LessonRequest[] = Array.from({ length: n }, () => ({ ...baseOpts, subject, topic }));
  return generateLessonBatch(deps, requests, opts);
}
