// Models put the right answer first far too often; shuffling after generation makes the correct
// position uniform over 0..3 while keeping correctIndex pointing at the same choice.
import type { LessonContent, LessonQuestion } from "./types";

export function shuffleQuestion(q: LessonQuestion, random: () => number = Math.random): LessonQuestion {
  const order = [0, 1, 2, 3];
  // Fisher–Yates: every permutation equally likely, so the correct choice lands on each index with p = 1/4.
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const choices = order.map((from) => q.choices[from]) as LessonQuestion["choices"];
  const correctIndex = order.indexOf(q.correctIndex) as LessonQuestion["correctIndex"];
  return { ...q, choices, correctIndex };
}

export function shuffleLessonChoices(lesson: LessonContent, random: () => number = Math.random): LessonContent {
  return {
    ...lesson,
    questions: lesson.questions.map((q) => shuffleQuestion(q, random)) as LessonContent["questions"],
  };
}
