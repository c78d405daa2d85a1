// The "generate similar" wire contract: the NDJSON stream events, the JSON answer and the stored,
// replayable result. Defined once here; the route, the browser reader, the hook and the tests all
// import it, and the browser parses every line with `generationEventSchema` (docs/api.md).
import { z } from "zod";
import { lessonRecord } from "./entities";
import { lessonVia } from "./enums";

/** How a lesson was produced: in a batch call, a single call, or a repair of a batch slot. */
export const lessonViaSchema = lessonVia;

/** A lesson as the database functions return it (the shared entity). */
export const lessonRecordSchema = lessonRecord;

/** The chunk plan the engine runs: how many model calls, the largest chunk, and the model. */
export const generationPlanSchema = z.object({
  calls: z.number().int().nonnegative(),
  perCall: z.number().int().nonnegative(),
  model: z.string(),
});

export const lessonErrorSchema = z.object({ code: z.string(), message: z.string() });

/** Usage totals of one generation run. */
export const usageSummarySchema = z.object({
  calls: z.number(),
  promptTokens: z.number(),
  cachedTokens: z.number(),
  completionTokens: z.number(),
  costUsd: z.number(),
  savedUsd: z.number(),
});

export const quotaStateSchema = z.object({ remaining: z.number(), resetsAt: z.string() });

const index = z.number().int().nonnegative();

export const startedEventSchema = z.object({ type: z.literal("started"), requestId: z.string(), count: z.number().int().positive(), plan: generationPlanSchema });
export const lessonEventSchema = z.object({ type: z.literal("lesson"), index, lesson: lessonRecordSchema, via: lessonViaSchema });
export const lessonFailedEventSchema = z.object({ type: z.literal("lesson_failed"), index, error: lessonErrorSchema });
export const doneEventSchema = z.object({
  type: z.literal("done"),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  usage: usageSummarySchema,
  quota: quotaStateSchema,
});
/** Sent by the NDJSON transport when the producer fails unexpectedly; the stream ends after it. */
export const errorEventSchema = z.object({ type: z.literal("error"), error: lessonErrorSchema });

/** What a live generation emits, in this order: started, then lesson / lesson_failed per slot, then done. */
export const similarEventSchema = z.discriminatedUnion("type", [startedEventSchema, lessonEventSchema, lessonFailedEventSchema, doneEventSchema]);
/** Every line the stream can carry: the events above, or the transport's error line. */
export const generationEventSchema = z.discriminatedUnion("type", [startedEventSchema, lessonEventSchema, lessonFailedEventSchema, doneEventSchema, errorEventSchema]);

/** A saved lesson in the JSON answer, with its slot and how it was produced. */
export const similarLessonSchema = lessonRecordSchema.extend({ index, via: lessonViaSchema });
export const slotFailureSchema = z.object({ index, error: lessonErrorSchema });

/** The JSON answer (without `Accept: application/x-ndjson`). */
export const similarResponseSchema = z.object({
  requestId: z.string(),
  lessons: z.array(similarLessonSchema),
  failed: z.array(slotFailureSchema),
  usage: usageSummarySchema,
  quota: quotaStateSchema,
});

/** The stored, replayable result of a request: the JSON answer plus what `started` said. */
export const similarResultSchema = similarResponseSchema.extend({ count: z.number().int().positive(), plan: generationPlanSchema });

export type LessonViaWire = z.infer<typeof lessonViaSchema>;
export type GenerationPlan = z.infer<typeof generationPlanSchema>;
export type LessonError = z.infer<typeof lessonErrorSchema>;
export type UsageSummary = z.infer<typeof usageSummarySchema>;
export type QuotaState = z.infer<typeof quotaStateSchema>;
export type SimilarEvent = z.infer<typeof similarEventSchema>;
export type GenerationEvent = z.infer<typeof generationEventSchema>;
export type StartedEvent = z.infer<typeof startedEventSchema>;
export type DoneEvent = z.infer<typeof doneEventSchema>;
export type SimilarLesson = z.infer<typeof similarLessonSchema>;
export type SimilarResponse = z.infer<typeof similarResponseSchema>;
export type SimilarResult = z.infer<typeof similarResultSchema>;
