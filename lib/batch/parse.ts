// Turns a model answer in any output mode into raw lesson objects: tool arguments, JSON content,
// JSON in a code fence, a bare array, a single lesson object, or the complete lessons before a cut.
import type { ChatResult } from "@/lib/llm/types";
import { LessonStreamScanner } from "./stream-lessons";

export interface ParsedAnswer {
  lessons: unknown[];
  /** Why nothing or not everything could be read, for the repair prompt. */
  problem: string | null;
}

export function answerText(result: Pick<ChatResult, "toolArguments" | "content">): string {
  // A model told to call a tool sometimes writes the JSON as text instead; both are read.
  return result.toolArguments ?? result.content ?? "";
}

function stripFence(text: string): string {
  const m = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  return m ? m[1] : text;
}

function lessonsOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.lessons)) return v.lessons;
    if (typeof v.title === "string" && "questions" in v) return [v]; // one lesson without the wrapper
  }
  return null;
}

export function parseLessons(text: string): ParsedAnswer {
  const trimmed = stripFence(text).trim();
  if (trimmed === "") return { lessons: [], problem: "the answer was empty" };
  try {
    const lessons = lessonsOf(JSON.parse(trimmed));
    if (lessons) return { lessons, problem: null };
    return { lessons: [], problem: 'the answer was JSON but not {"lessons": [...]}' };
  } catch {
    // Malformed or cut off: keep every lesson object that closed properly, plus any that can be
    // re-found after the damage (a dropped quote derails a plain scan for the rest of the text).
    const scanner = new LessonStreamScanner();
    const lessons = scanner.push(text);
    const seen = new Set(lessons.map((l) => JSON.stringify(l)));
    for (const l of recoverLessonObjects(text)) {
      const key = JSON.stringify(l);
      if (!seen.has(key)) {
        seen.add(key);
        lessons.push(l);
      }
    }
    return { lessons, problem: "the answer was not valid JSON" };
  }
}

/**
 * Lesson objects found by their opening `{"slot":` (the schema's first field), each read as a
 * balanced, string-aware object on its own, so one broken lesson does not take the others with it.
 */
export function recoverLessonObjects(text: string): unknown[] {
  const out: unknown[] = [];
  const starts = /\{\s*"slot"\s*:/g;
  for (let m = starts.exec(text); m; m = starts.exec(text)) {
    const end = balancedEnd(text, m.index);
    if (end === -1) continue;
    try {
      out.push(JSON.parse(text.slice(m.index, end + 1)));
    } catch {
      // this one is the broken lesson
    }
  }
  return out;
}

function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  let escape = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escape) escape = false;
      else if (ch === "\\") escape = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return ch === "}" ? i : -1;
    }
  }
  return -1;
}
