// Public surface of the batch-lesson module.
export * from "./types";
export { generateLessonBatch, planLessonBatch, planSummary } from "./generate-lesson-batch";
export { generateLessonVariants } from "./generate-lesson-variants";
export type { BatchState } from "./batch-state";
