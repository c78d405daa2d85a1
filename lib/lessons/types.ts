// Shapes of a lesson as stored (content jsonb) and as the database functions return it: zod schemas in
// lib/contracts/entities.ts, the types derived from them. The content rules a new lesson must pass are in
// ./schema.ts.
export { difficulties } from "@/lib/contracts/enums";
export type { Difficulty } from "@/lib/contracts/enums";
export type { LessonContent, LessonQuestion, LessonRecord } from "@/lib/contracts/entities";
