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
    // Malformed or cut off: keep every lesson object that closed properly.
    const scanner = new LessonStreamScanner();
    const lessons = scanner.push(text);
    return { lessons, problem: "the answer was not valid JSON" };
  }
}
