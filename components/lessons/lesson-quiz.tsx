"use client";

import { useState } from "react";
import type { LessonQuestion } from "@/lib/contracts";

const letters = ["A", "B", "C", "D"];

// Three multiple-choice questions. Picking an answer locks the question and shows right or wrong with
// the explanation; the score appears once all are answered.
export function LessonQuiz({ questions }: { questions: LessonQuestion[] }) {
  const [answers, setAnswers] = useState<(number | null)[]>(() => questions.map(() => null));
  const answered = answers.filter((a) => a !== null).length;
  const correct = answers.filter((a, i) => a === questions[i].correctIndex).length;

  return (
    <section aria-labelledby="quiz-heading" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-7">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="quiz-heading" className="text-lg font-semibold text-slate-900">
          Check yourself
        </h2>
        <p className="text-sm text-slate-600" aria-live="polite" data-testid="quiz-score">
          {answered === questions.length ? `You got ${correct} of ${questions.length} right.` : `${answered} of ${questions.length} answered`}
        </p>
      </div>
      <ol className="mt-4 space-y-6">
        {questions.map((q, qi) => {
          const picked = answers[qi];
          const done = picked !== null;
          const right = picked === q.correctIndex;
          return (
            <li key={qi} data-testid="quiz-question">
              <fieldset>
                <legend className="font-medium text-slate-900">
                  <span className="mr-1 text-slate-600">{qi + 1}.</span> {q.question}
                </legend>
                <div className="mt-3 grid gap-2">
                  {q.choices.map((choice, ci) => {
                    const isPicked = picked === ci;
                    const isAnswer = ci === q.correctIndex;
                    const tone = !done
                      ? "border-slate-300 hover:border-brand-600 hover:bg-brand-50"
                      : isAnswer
                        ? "border-emerald-600 bg-emerald-50"
                        : isPicked
                          ? "border-red-600 bg-red-50"
                          : "border-slate-200 opacity-75";
                    return (
                      <label key={ci} className={`flex cursor-pointer items-start gap-3 rounded-lg border px-3 py-2.5 text-sm transition-colors has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500 ${tone} ${done ? "cursor-default" : ""}`}>
                        <input
                          type="radio"
                          name={`q-${qi}`}
                          value={ci}
                          checked={isPicked}
                          disabled={done && !isPicked}
                          onChange={() => setAnswers((a) => a.map((v, i) => (i === qi && v === null ? ci : v)))}
                          className="mt-0.5 h-4 w-4 shrink-0 accent-brand-600"
                        />
                        <span className="font-semibold text-slate-600" aria-hidden>
                          {letters[ci]}
                        </span>
                        <span className="text-slate-900">{choice}</span>
                        {done && isAnswer ? <span className="ml-auto shrink-0 text-xs font-semibold text-emerald-800">Correct answer</span> : null}
                      </label>
                    );
                  })}
                </div>
                <div aria-live="polite">
                  {done ? (
                    <div
                      className={`mt-3 rounded-lg border-l-4 px-3 py-2 text-sm ${right ? "border-emerald-600 bg-emerald-50 text-emerald-950" : "border-red-600 bg-red-50 text-red-950"}`}
                      data-testid="quiz-feedback"
                      data-correct={right}
                    >
                      <p className="font-semibold">{right ? "Right!" : `Not quite — the answer is ${letters[q.correctIndex]}.`}</p>
                      <p className="mt-0.5">{q.explanation}</p>
                    </div>
                  ) : null}
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      {answered === questions.length ? (
        <button type="button" className="mt-6 text-sm font-medium text-brand-700 underline-offset-2 hover:underline" onClick={() => setAnswers(questions.map(() => null))}>
          Try again
        </button>
      ) : null}
    </section>
  );
}
