// What is screened: everything a learner would read, in one text.
import type { ModerationInput } from "./types";

export function moderationText(l: ModerationInput): string {
  const parts = [l.title, l.content];
  for (const q of l.questions) parts.push(q.question, ...q.choices, q.explanation);
  for (const k of l.keyTerms ?? []) parts.push(`${k.term}: ${k.definition}`);
  return parts.join("\n");
}
