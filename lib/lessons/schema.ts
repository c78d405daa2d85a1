// The lesson schema, single source of truth (docs/generation.md): a lenient variant the model sees (its
// `.describe()` texts are the field instructions, its JSON Schema comes from z.toJSONSchema) and a
// strict variant that checks every lesson before it is accepted.
import { z } from "zod";
import { cleanTitle, TITLE_MAX_CHARS } from "./title";
import { difficulties, type LessonContent } from "./types";

/** Length rules. The prompt asks for the narrow band; the check accepts the wide one. */
export const lessonRules = {
  titleWords: { min: 3, max: 7 },
  contentWordsAsked: { min: 80, max: 105 },
  contentWordsAccepted: { min: 60, max: 140 },
  questions: 3,
  choices: 4,
  explanationMaxChars: 280,
  keyTermsMax: 6,
} as const;

export function countWords(text: string): number {
  const t = text.trim();
  return t === "" ? 0 : t.split(/\s+/).length;
}

// ---- model-facing (lenient): shapes and instructions only, no length rules -----------------------

const modelQuestion = z.object({
  question: z.string().describe("A multiple-choice question answerable from the lesson text alone."),
  choices: z
    .array(z.string())
    .describe("Exactly 4 distinct answer choices, one of them correct, the others plausible but wrong."),
  correctIndex: z.number().int().describe("0-based index (0, 1, 2 or 3) of the correct choice in `choices`."),
  explanation: z.string().describe("Why the correct choice is right, at most 280 characters."),
});

const modelKeyTerm = z.object({
  term: z.string().describe("A key term used in the lesson."),
  definition: z.string().describe("A one-sentence definition of the term."),
});

export const modelLessonSchema = z.object({
  slot: z.number().int().describe("The slot number this lesson answers (0 .. number of lessons − 1)."),
  title: z.string().describe("A specific title of 3 to 7 words, different from every title to avoid."),
  content: z
    .string()
    .describe("The lesson text: 80 to 105 words of plain prose teaching one idea, with a concrete example."),
  difficulty: z.enum(difficulties).describe("The difficulty asked for in the context."),
  questions: z.array(modelQuestion).describe("Exactly 3 multiple-choice questions about this lesson."),
  keyTerms: z.array(modelKeyTerm).describe("0 to 6 key terms from the lesson (may be empty)."),
});

/** What one batched call returns: exactly k lessons, each tagged with its slot. */
export const modelBatchSchema = z.object({
  lessons: z.array(modelLessonSchema).describe("Exactly the number of lessons asked for, one per slot, in slot order."),
});

export type ModelLesson = z.infer<typeof modelLessonSchema>;

type JsonSchema = { [key: string]: unknown };

/**
 * Strict-mode compatible JSON Schema: zod 4 emits `$schema`, ±2^53 bounds on integers and leaves optional
 * fields out of `required`; OpenAI strict mode wants every property required and additionalProperties false.
 */
export function toStrictJsonSchema(schema: z.ZodType): JsonSchema {
  const raw = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  delete raw.$schema;
  return strictify(raw) as JsonSchema;
}

function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!node || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node as JsonSchema)) {
    if ((k === "minimum" || k === "maximum") && typeof v === "number" && Math.abs(v) >= Number.MAX_SAFE_INTEGER) continue;
    out[k] = strictify(v);
  }
  if (out.type === "object" && out.properties && typeof out.properties === "object") {
    out.required = Object.keys(out.properties as JsonSchema);
    out.additionalProperties = false;
  }
  return out;
}

/** JSON Schema of the batch tool / response format (`{ lessons: Lesson[] }`). */
export const lessonBatchJsonSchema: JsonSchema = toStrictJsonSchema(modelBatchSchema);

/** A compact, human-readable field list for prompts (prompted JSON modes and the system message). */
export function describeLessonFields(): string {
  const lines: string[] = [];
  const walk = (schema: JsonSchema, prefix: string) => {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, prop] of Object.entries(props)) {
      const path = prefix ? `${prefix}.${name}` : name;
      const type = prop.type === "array" ? `array` : String(prop.enum ? (prop.enum as string[]).join(" | ") : prop.type);
      lines.push(`- ${path} (${type}): ${String(prop.description ?? "")}`.trimEnd());
      const items = prop.items as JsonSchema | undefined;
      if (items?.type === "object") walk(items, `${path}[]`);
    }
  };
  walk(toStrictJsonSchema(modelLessonSchema), "");
  return lines.join("\n");
}

// ---- strict check -------------------------------------------------------------------------------

const trimmed = z.string().trim();

const strictQuestion = z
  .object({
    question: trimmed.min(5, "question is too short"),
    choices: z.array(trimmed.min(1, "empty choice")).length(lessonRules.choices, "must have exactly 4 choices"),
    correctIndex: z.number().int().min(0).max(lessonRules.choices - 1),
    explanation: trimmed
      .min(1, "explanation is empty")
      .max(lessonRules.explanationMaxChars, `explanation must be at most ${lessonRules.explanationMaxChars} characters`),
  })
  .refine((q) => new Set(q.choices.map((c) => c.toLowerCase())).size === q.choices.length, {
    message: "choices must be distinct",
    path: ["choices"],
  });

const wordsBetween = (min: number, max: number, what: string) =>
  trimmed.refine(
    (s) => {
      const n = countWords(s);
      return n >= min && n <= max;
    },
    { message: `${what} must be ${min}–${max} words` },
  );

export const strictLessonSchema = z
  .object({
    slot: z.number().int().min(0).optional(),
    title: z
      .string()
      .transform(cleanTitle)
      .pipe(z.string().max(TITLE_MAX_CHARS, `title must be at most ${TITLE_MAX_CHARS} characters`))
      .pipe(wordsBetween(lessonRules.titleWords.min, lessonRules.titleWords.max, "title")),
    content: wordsBetween(lessonRules.contentWordsAccepted.min, lessonRules.contentWordsAccepted.max, "content"),
    difficulty: z.enum(difficulties),
    questions: z.array(strictQuestion).length(lessonRules.questions, "must have exactly 3 questions"),
    keyTerms: z
      .array(z.object({ term: trimmed.min(1), definition: trimmed.min(1) }))
      .max(lessonRules.keyTermsMax)
      .optional()
      .default([]),
  })
  .transform((l): { slot: number | undefined; lesson: LessonContent } => ({
    slot: l.slot,
    lesson: {
      version: 1,
      title: l.title,
      content: l.content,
      difficulty: l.difficulty,
      questions: l.questions.map((q) => ({
        question: q.question,
        choices: q.choices as [string, string, string, string],
        correctIndex: q.correctIndex as 0 | 1 | 2 | 3,
        explanation: q.explanation,
      })) as LessonContent["questions"],
      keyTerms: l.keyTerms,
    },
  }));

export type CheckedLesson = z.output<typeof strictLessonSchema>;
