// Builds a value that satisfies a JSON Schema (the subset structured outputs use: object, array,
// string, number, integer, boolean, null, enum, const, anyOf/oneOf, $ref, min/max constraints).
// Fields whose names the simulator knows (title, content, questions, choices, correctIndex, slot, ...)
// are filled from lesson drafts; anything else gets a plausible generic value.
import type { LessonDraft } from "./lesson-writer";

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
  [key: string]: unknown;
};

export interface ValueContext {
  root: JsonSchema;
  /** Lesson draft for a slot, created on first use. */
  lesson(slot: number): LessonDraft;
  /** Lessons the prompt asked for ("Number of lessons:"), or null. */
  count: number | null;
  /** Slot for a lone lesson object (a repair call), from the "Slot:" cue. */
  loneSlot: number;
  difficulty: string;
  topic: string;
  rng: () => number;
}

// Alternative spellings models and schemas use for the fields the simulator knows.
const SYNONYMS: Record<string, string> = {
  body: "content", text: "content", lessontext: "content", explanationtext: "content",
  options: "choices", answers: "choices",
  answerindex: "correctIndex", correctanswer: "correctIndex", correctanswerindex: "correctIndex", correctoption: "correctIndex", answer: "correctIndex",
  prompt: "question", stem: "question",
  terms: "keyTerms", glossary: "keyTerms", vocabulary: "keyTerms",
  items: "lessons", results: "lessons",
  meaning: "definition",
  heading: "title", name: "title",
};

const normalise = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, "");
const LESSON_ARRAY_KEYS = new Set(["lessons", "items", "results", "data"]);

function lookup(source: unknown, key: string): unknown {
  if (!source || typeof source !== "object" || Array.isArray(source)) return undefined;
  const rec = source as Record<string, unknown>;
  if (key in rec) return rec[key];
  const n = normalise(key);
  for (const k of Object.keys(rec)) if (normalise(k) === n) return rec[k];
  const syn = SYNONYMS[n];
  return syn && syn in rec ? rec[syn] : undefined;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 16 && s && s.$ref; i++) {
    const path = s.$ref.replace(/^#\/?/, "").split("/").filter(Boolean).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    let target: unknown = root;
    for (const p of path) target = target && typeof target === "object" ? (target as Record<string, unknown>)[p] : undefined;
    const { $ref: _ref, ...rest } = s;
    s = { ...(target as JsonSchema), ...rest };
  }
  if (s.allOf) {
    const merged: JsonSchema = { ...s, allOf: undefined };
    for (const part of s.allOf) {
      const r = resolve(part, root);
      merged.type ??= r.type;
      merged.properties = { ...(merged.properties ?? {}), ...(r.properties ?? {}) };
      merged.required = [...(merged.required ?? []), ...(r.required ?? [])];
    }
    s = merged;
  }
  return s;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null") ?? "null";
  if (schema.type) return schema.type;
  if (schema.properties) return "object";
  if (schema.items) return "array";
  return undefined;
}

function looksLikeLesson(schema: JsonSchema): boolean {
  const keys = Object.keys(schema.properties ?? {}).map(normalise);
  return keys.includes("title") && (keys.includes("content") || keys.includes("questions") || keys.includes("body"));
}

function fitString(text: string, schema: JsonSchema, filler: string): string {
  let s = text;
  const min = schema.minLength ?? 0;
  const max = schema.maxLength;
  while (s.length < min) s = `${s} ${filler}`.trim();
  if (max !== undefined && s.length > max) {
    const cut = s.slice(0, max);
    const space = cut.lastIndexOf(" ");
    s = space > Math.max(min, max * 0.6) ? cut.slice(0, space) : cut;
  }
  return s;
}

function genericString(key: string | null, ctx: ValueContext): string {
  const k = normalise(key ?? "");
  if (k.includes("summary") || k.includes("description")) return `A short overview of ${ctx.topic}.`;
  if (k.includes("url") || k.includes("link")) return "https://example.com/lessons";
  if (k.includes("id")) return `sim-${Math.floor(ctx.rng() * 1e9).toString(36)}`;
  if (k.includes("date")) return "2025-01-01";
  return `${ctx.topic} ${key ? key.replace(/([A-Z])/g, " $1").toLowerCase().trim() : "note"}`;
}

function clampNumber(n: number, schema: JsonSchema, integer: boolean): number {
  let v = n;
  const lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-6) : undefined);
  const hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-6) : undefined);
  if (lo !== undefined && v < lo) v = lo;
  if (hi !== undefined && v > hi) v = hi;
  return integer ? Math.round(v) : v;
}

function arrayLength(schema: JsonSchema, key: string | null, source: unknown, ctx: ValueContext, lessonItems: boolean): number {
  const k = normalise(key ?? "");
  let n: number;
  if (Array.isArray(source)) n = source.length;
  else if (lessonItems || LESSON_ARRAY_KEYS.has(k)) n = ctx.count ?? schema.minItems ?? 3;
  else if (k === "questions") n = 3;
  else if (k === "choices" || k === "options" || k === "answers") n = 4;
  else n = schema.minItems ?? 2;
  if (schema.minItems !== undefined) n = Math.max(n, schema.minItems);
  if (schema.maxItems !== undefined) n = Math.min(n, schema.maxItems);
  return n;
}

/** A value valid against `schema`. `source` is the draft data for this position, when known. */
export function valueFor(schemaIn: JsonSchema, source: unknown, key: string | null, index: number, ctx: ValueContext): unknown {
  const schema = resolve(schemaIn ?? {}, ctx.root);
  if (schema.const !== undefined) return schema.const;
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) {
    const nonNull = branches.map((b) => resolve(b, ctx.root)).filter((b) => typeOf(b) !== "null");
    const wanted = Array.isArray(source) ? "array" : source === null ? "null" : typeof source === "object" ? "object" : typeof source;
    const branch = nonNull.find((b) => typeOf(b) === wanted || (wanted === "number" && typeOf(b) === "integer")) ?? nonNull[0] ?? branches[0];
    return valueFor(branch, source, key, index, ctx);
  }
  if (schema.enum && schema.enum.length > 0) {
    if (source !== undefined && schema.enum.includes(source)) return source;
    if (normalise(key ?? "") === "difficulty" && schema.enum.includes(ctx.difficulty)) return ctx.difficulty;
    return schema.enum[Math.floor(ctx.rng() * schema.enum.length)];
  }

  switch (typeOf(schema)) {
    case "object": {
      let src = source;
      // A lesson object outside a lesson array is a single-lesson call: it fills the cued slot.
      if ((src === undefined || typeof src !== "object") && looksLikeLesson(schema)) src = ctx.lesson(ctx.loneSlot);
      const out: Record<string, unknown> = {};
      for (const [prop, propSchema] of Object.entries(schema.properties ?? {})) {
        out[prop] = valueFor(propSchema, lookup(src, prop), prop, index, ctx);
      }
      return out;
    }
    case "array": {
      const itemSchema = resolve((Array.isArray(schema.items) ? schema.items[0] : schema.items) ?? {}, ctx.root);
      const lessonItems = looksLikeLesson(itemSchema);
      const n = arrayLength(schema, key, source, ctx, lessonItems);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const itemSource = Array.isArray(source) ? source[i % Math.max(1, source.length)] : lessonItems ? ctx.lesson(i) : undefined;
        out.push(valueFor(itemSchema, itemSource, key ? singular(key) : null, lessonItems ? i : index, ctx));
      }
      return out;
    }
    case "string": {
      const base = typeof source === "string" ? source : source !== undefined && source !== null && typeof source !== "object" ? String(source) : genericString(key, ctx);
      return fitString(base, schema, `More about ${ctx.topic}.`);
    }
    case "integer":
    case "number": {
      const integer = typeOf(schema) === "integer";
      const k = normalise(key ?? "");
      let n: number;
      if (k === "slot" || k === "index" || k === "position") n = typeof source === "number" ? source : index;
      else if (typeof source === "number") n = source;
      else n = (schema.minimum ?? 0) + Math.floor(ctx.rng() * 5);
      return clampNumber(n, schema, integer);
    }
    case "boolean":
      return typeof source === "boolean" ? source : ctx.rng() < 0.5;
    case "null":
      return null;
    default:
      // No type: anything is valid; echo the draft data or a short string.
      return source !== undefined ? source : genericString(key, ctx);
  }
}

function singular(key: string): string {
  return key.endsWith("s") ? key.slice(0, -1) : key;
}

/** The root source for a whole response: lesson arrays under their usual names, plus a lone lesson's fields. */
export function rootSource(ctx: ValueContext, schema: JsonSchema): unknown {
  const root = resolve(schema, ctx.root);
  if (looksLikeLesson(root)) return ctx.lesson(ctx.loneSlot);
  return undefined;
}

/** The lesson-batch schema used when the request asks for JSON without giving a schema (prompted JSON). */
export const PROMPTED_LESSONS_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    lessons: {
      type: "array",
      items: {
        type: "object",
        properties: {
          slot: { type: "integer" },
          title: { type: "string" },
          content: { type: "string" },
          difficulty: { type: "string" },
          questions: {
            type: "array",
            items: {
              type: "object",
              properties: {
                question: { type: "string" },
                choices: { type: "array", items: { type: "string" } },
                correctIndex: { type: "integer" },
                explanation: { type: "string" },
              },
            },
          },
          keyTerms: { type: "array", items: { type: "object", properties: { term: { type: "string" }, definition: { type: "string" } } } },
        },
      },
    },
  },
};
