import { describe, expect, it } from "vitest";
import { z } from "zod";
import { lessonBatchJsonSchema, modelBatchSchema, strictLessonSchema, toStrictJsonSchema } from "@/lib/lessons/schema";
import { checkLesson } from "@/lib/lessons/validate";
import { rawLesson, words } from "./fixtures";

const q = (rawLesson().questions as Record<string, unknown>[])[0];

const cases: { name: string; overrides: Record<string, unknown>; ok: boolean; path?: string }[] = [
  { name: "valid lesson", overrides: {}, ok: true },
  { name: "title of 2 words", overrides: { title: "Plant Light" }, ok: false, path: "title" },
  { name: "title of 3 words", overrides: { title: "Plants Capture Light" }, ok: true },
  { name: "title of 7 words", overrides: { title: "How Green Plants Capture And Store Light" }, ok: true },
  { name: "title of 8 words", overrides: { title: "How Green Plants Capture And Store Solar Light" }, ok: false, path: "title" },
  { name: "content of 59 words", overrides: { content: words(59) }, ok: false, path: "content" },
  { name: "content of 60 words", overrides: { content: words(60) }, ok: true },
  { name: "content of 140 words", overrides: { content: words(140) }, ok: true },
  { name: "content of 141 words", overrides: { content: words(141) }, ok: false, path: "content" },
  { name: "unknown difficulty", overrides: { difficulty: "expert" }, ok: false, path: "difficulty" },
  { name: "two questions", overrides: { questions: [q, q] }, ok: false, path: "questions" },
  { name: "four questions", overrides: { questions: [q, q, q, q] }, ok: false, path: "questions" },
  { name: "three choices", overrides: { questions: [{ ...q, choices: ["a", "b", "c"] }, q, q] }, ok: false, path: "questions.0.choices" },
  { name: "repeated choices", overrides: { questions: [{ ...q, choices: ["a", "b", "A", "c"] }, q, q] }, ok: false, path: "questions.0.choices" },
  { name: "correctIndex 4", overrides: { questions: [{ ...q, correctIndex: 4 }, q, q] }, ok: false, path: "questions.0.correctIndex" },
  { name: "correctIndex 1.5", overrides: { questions: [{ ...q, correctIndex: 1.5 }, q, q] }, ok: false, path: "questions.0.correctIndex" },
  { name: "explanation of 281 chars", overrides: { questions: [{ ...q, explanation: "x".repeat(281) }, q, q] }, ok: false, path: "questions.0.explanation" },
  { name: "explanation of 280 chars", overrides: { questions: [{ ...q, explanation: "x".repeat(280) }, q, q] }, ok: true },
  { name: "keyTerms missing → []", overrides: { keyTerms: undefined }, ok: true },
  { name: "negative slot", overrides: { slot: -1 }, ok: false, path: "slot" },
];

describe("strict lesson schema", () => {
  it.each(cases)("$name", ({ overrides, ok, path }) => {
    const parsed = strictLessonSchema.safeParse(rawLesson(overrides));
    expect(parsed.success).toBe(ok);
    if (!parsed.success && path) expect(parsed.error.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("outputs LessonContent with version 1 and default key terms", () => {
    const r = checkLesson(rawLesson({ keyTerms: undefined, slot: 2 }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.slot).toBe(2);
    expect(r.lesson.version).toBe(1);
    expect(r.lesson.keyTerms).toEqual([]);
    expect(Object.keys(r.lesson).sort()).toEqual(["content", "difficulty", "keyTerms", "questions", "title", "version"]);
  });

  it("names what is wrong for the repair prompt", () => {
    const r = checkLesson(rawLesson({ title: "Two words" }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/title: title must be 3–7 words/);
    expect(checkLesson("not an object").ok).toBe(false);
  });
});

describe("model-facing JSON Schema", () => {
  const allObjects = (node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] => {
    if (Array.isArray(node)) node.forEach((n) => allObjects(n, out));
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "object") out.push(o);
      Object.values(o).forEach((v) => allObjects(v, out));
    }
    return out;
  };

  it("is strict-mode compatible: every property required, no additional properties, no $schema", () => {
    expect(lessonBatchJsonSchema.$schema).toBeUndefined();
    const objects = allObjects(lessonBatchJsonSchema);
    expect(objects.length).toBeGreaterThanOrEqual(4); // batch, lesson, question, key term
    for (const o of objects) {
      expect(o.additionalProperties).toBe(false);
      expect([...(o.required as string[])].sort()).toEqual(Object.keys(o.properties as object).sort());
    }
    expect(JSON.stringify(lessonBatchJsonSchema)).not.toContain("9007199254740991");
  });

  it("makes optional zod fields required too", () => {
    const s = toStrictJsonSchema(z.object({ a: z.string(), b: z.string().optional() }));
    expect(s.required).toEqual(["a", "b"]);
  });

  it("carries the .describe() field instructions and the slot", () => {
    const lesson = (lessonBatchJsonSchema.properties as Record<string, { items: { properties: Record<string, { description?: string }> } }>).lessons.items;
    expect(lesson.properties.content.description).toMatch(/80 to 105 words/);
    expect(lesson.properties.slot).toBeDefined();
  });

  it("lenient schema accepts what strict rejects (lengths are checked after generation)", () => {
    const raw = { lessons: [rawLesson({ title: "Too short" })] };
    expect(modelBatchSchema.safeParse(raw).success).toBe(true);
    expect(strictLessonSchema.safeParse(raw.lessons[0]).success).toBe(false);
  });
});
