// What is screened: everything a learner would read, in one text. Choices are listed sorted, so the
// text (and a verdict cached or re-checked on it) does not depend on where the answers are placed.
import type { ModerationInput } from "./types";

export function moderationText(l: ModerationInput): string {
  const parts = [l.title, l.content];
  for (const q of l.questions) parts.push(q.question, ...[...q.choices].sort(), q.explanation);
  for (const k of l.keyTerms ?? []) parts.push(`${k.term}: ${k.definition}`);
  return parts.join("\n");
}
