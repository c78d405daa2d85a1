import { describe, expect, it } from "vitest";
import { shuffleLessonChoices, shuffleQuestion } from "@/lib/lessons/shuffle";
import { checkLesson } from "@/lib/lessons/validate";
import { rawLesson } from "./fixtures";

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("shuffleQuestion", () => {
  const q = { question: "Q?", choices: ["right", "w1", "w2", "w3"] as [string, string, string, string], correctIndex: 0 as const, explanation: "e" };

  it("keeps correctIndex on the same choice and keeps all choices", () => {
    const random = seeded(1);
    for (let i = 0; i < 200; i++) {
      const s = shuffleQuestion(q, random);
      expect(s.choices[s.correctIndex]).toBe("right");
      expect([...s.choices].sort()).toEqual([...q.choices].sort());
    }
  });

  it("puts the correct answer on each position about a quarter of the time", () => {
    const random = seeded(7);
    const counts = [0, 0, 0, 0];
    const n = 8000;
    for (let i = 0; i < n; i++) counts[shuffleQuestion(q, random).correctIndex]++;
    for (const c of counts) expect(Math.abs(c / n - 0.25)).toBeLessThan(0.02);
  });

  it("shuffles every question of a lesson", () => {
    const r = checkLesson(rawLesson());
    if (!r.ok) throw new Error(r.message);
    const s = shuffleLessonChoices(r.lesson, seeded(3));
    s.questions.forEach((qq, i) => expect(qq.choices[qq.correctIndex]).toBe(r.lesson.questions[i].choices[r.lesson.questions[i].correctIndex]));
  });
});
