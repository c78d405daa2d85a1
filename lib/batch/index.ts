// Public surface of the batch-lesson module.
export * from "./types";
export { generateLessonBatch, planLessonBatch, planSummary } from "./generate-lesson-batch";
export { generateLessonVariants } from "./generate-lesson-variants";
export { createBatchState, type BatchState } from "./batch-state";
export { defaultBatchConfig } from "./config";
export type { LessonErrorCode } from "./error-codes";
export { groupRequests, splitIntoChunks, chunkSizeFor } from "./plan";
export { chooseOutputMode } from "./output-mode";
