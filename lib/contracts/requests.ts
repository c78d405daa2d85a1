// Request schemas for every body, query and path parameter of the API (docs/api.md). Objects are strict:
// unknown fields are rejected. Malformed ids answer 400 invalid_request (documented in docs/api.md).
import { z } from "zod";
import { id } from "./entities";
import { difficulty, usageFeature, usageGroupBy, usageMode } from "./enums";

/** One path id: route handlers and the detail pages check it the same way. */
export const uuidParam = id;
export const idParams = z.strictObject({ id: uuidParam });
export const playlistLessonParams = z.strictObject({ id: uuidParam, lessonId: uuidParam });

const title = z.string().trim().min(1, "must not be empty").max(80);
const description = z.string().trim().max(280);

export const createPlaylistBody = z.strictObject({
  title,
  description: description.nullish(),
});

export const updatePlaylistBody = z
  .strictObject({ title: title.optional(), description: description.nullish() })
  .refine((b) => b.title !== undefined || b.description !== undefined, { message: "give a title or a description" });

export const lessonIdBody = z.strictObject({ lessonId: id });

export const reorderBody = z.strictObject({
  lessonIds: z.array(id).max(1000),
});

export const followBody = z.strictObject({ difficulty: difficulty.optional() });

export const generateSimilarBody = z.strictObject({
  count: z.number().int("must be a whole number").min(1).max(10),
  difficulty: difficulty.optional(),
  instructions: z.string().trim().max(500).optional(),
});
export type GenerateSimilarBody = z.infer<typeof generateSimilarBody>;

// Learner mode takes no fields; the cron sweep may bound how many learners one run serves.
export const generatePendingLearnerBody = z.strictObject({});
export const generatePendingCronBody = z.strictObject({ maxLearners: z.number().int().min(1).max(100_000).optional() });

/** `Idempotency-Key` header: printable ASCII, at most 200 characters. */
export const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "must be a real date");

export const adminUsageQuery = z
  .strictObject({
    from: isoDay.optional(),
    to: isoDay.optional(),
    groupBy: usageGroupBy.default("day"),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] });
export type AdminUsageQuery = z.infer<typeof adminUsageQuery>;

const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const queryBool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const adminUsageEventsQuery = z
  .strictObject({
    from: isoDay.optional(),
    to: isoDay.optional(),
    feature: usageFeature.optional(),
    mode: usageMode.optional(),
    model: z.string().min(1).max(200).optional(),
    errorsOnly: queryBool.optional(),
    limit: queryInt(1, 1000).optional(),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] });
export type AdminUsageEventsQuery = z.infer<typeof adminUsageEventsQuery>;

/** Routes without a query accept none. */
export const noQuery = z.strictObject({});
