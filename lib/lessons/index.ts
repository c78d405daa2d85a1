// Public surface of the lesson domain.
export * from "./types";
export { strictLessonSchema, modelLessonSchema, modelBatchSchema, lessonBatchJsonSchema, lessonRules, countWords } from "./schema";
export { checkLesson, type LessonCheck } from "./validate";
export { shuffleLessonChoices, shuffleQuestion } from "./shuffle";
export { normalizeTitle, titleSimilarity, ignoredWords, isDuplicateTitle, findDuplicate, TitleRegistry, NEAR_DUPLICATE_JACCARD } from "./dedup";
export { buildLessonMessages, buildContextMessage, buildAskMessage, promptCacheKey, LESSON_SYSTEM_PROMPT, LESSON_TOOL_NAME } from "./prompts";
export { cleanTitle, titleForPrompt, TITLE_MAX_CHARS } from "./title";
export {
  BatchQuality,
  PositionBalancer,
  countRuleFailures,
  lessonRuleFailures,
  readingGrade,
  readingBand,
  positionSpread,
  ruleCodes,
  type RuleCode,
  type RuleFailure,
  type RuleFailureCount,
} from "./checks";
