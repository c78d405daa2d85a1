import { describe, expect, it } from "vitest";
import { parseLessons } from "@/lib/batch/parse";
import { LessonStreamScanner } from "@/lib/batch/stream-lessons";

const lessons = [
  { slot: 0, title: "A {brace} \"quoted\" title", questions: [{ choices: ["[", "]", "{", "}"] }] },
  { slot: 1, title: "Second", questions: [] },
  { slot: 2, title: "Third", questions: [] },
];
const full = JSON.stringify({ lessons });

describe("LessonStreamScanner", () => {
  it("emits each lesson exactly once, as soon as its object closes", () => {
    const scanner = new LessonStreamScanner();
    const seenAt: number[] = [];
    const got: unknown[] = [];
    for (let i = 1; i <= full.length; i++) {
      for (const l of scanner.push(full.slice(0, i))) {
        got.push(l);
        seenAt.push(i);
      }
    }
    expect(got).toEqual(lessons);
    // The first lesson is out long before the answer ends.
    expect(seenAt[0]).toBe(full.indexOf(JSON.stringify(lessons[1])) - 1);
    expect(seenAt[1]).toBe(full.indexOf(JSON.stringify(lessons[2])) - 1);
    expect(seenAt[2]).toBeLessThan(full.length);
  });

  it("ignores arrays nested in a lesson and finds a bare array", () => {
    const single = JSON.stringify({ title: "x", questions: [{ a: 1 }] });
    expect(new LessonStreamScanner().push(single)).toEqual([]);
    expect(new LessonStreamScanner().push(JSON.stringify(lessons))).toEqual(lessons);
  });

  it("keeps complete lessons before a cut, inside a code fence", () => {
    const text = "Here you go:\n```json\n" + full.slice(0, full.indexOf('"Third"'));
    expect(new LessonStreamScanner().push(text)).toEqual(lessons.slice(0, 2));
  });
});

describe("parseLessons", () => {
  it.each([
    ["wrapped", full, 3, null],
    ["code fence", "```json\n" + full + "\n```", 3, null],
    ["bare array", JSON.stringify(lessons), 3, null],
    ["single lesson", JSON.stringify(lessons[0]), 1, null],
    ["truncated", full.slice(0, full.length - 20), 2, "the answer was not valid JSON"],
    ["trailing comma in one lesson", full.replace('"Second","questions":[]', '"Second","questions":[],'), 2, "the answer was not valid JSON"],
    ["dropped quote: the lessons after it are re-found", full.replace('"Second"', 'Second"'), 2, "the answer was not valid JSON"],
    ["prose", "Sorry, I cannot help with that.", 0, "the answer was not valid JSON"],
    ["empty", "", 0, "the answer was empty"],
    ["wrong shape", '{"items": 3}', 0, 'the answer was JSON but not {"lessons": [...]}'],
  ])("%s", (_name, text, count, problem) => {
    const r = parseLessons(text);
    expect(r.lessons).toHaveLength(count);
    expect(r.problem).toBe(problem);
  });
});
