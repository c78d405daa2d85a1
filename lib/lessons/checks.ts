// Checks beyond the schema (docs/quality.md): what makes a quiz guessable or repetitive even when
// its shape is right. Each rule has a stable code; the engine rejects a lesson that breaks a
// per-lesson rule and repairs its slot with the message fed back, like a schema failure.
//
// Per lesson (repaired):   choice_repeat, question_repeat (within the lesson), reading_level,
//                          answer_longest (the correct choice clearly longest in every question).
// Against the batch so far (repaired; the later lesson loses, as with duplicate titles):
//                          question_repeat (a question of an earlier lesson of the batch),
//                          answer_longest (accepting it would make the correct choice the longest in
//                          more than half of the batch's questions).
// Per batch (fixed, never repaired): answer_position — the engine places each correct answer with
//                          PositionBalancer instead of a free shuffle, so positions stay balanced
//                          across the batch while each one is still drawn at random.
import { normalizeTitle } from "./dedup";
import type { Difficulty, LessonContent, LessonQuestion } from "./types";

export const ruleCodes = ["choice_repeat", "question_repeat", "answer_longest", "reading_level", "answer_position"] as const;
export type RuleCode = (typeof ruleCodes)[number];

export interface RuleFailure {
  code: RuleCode;
  /** Short enough to feed back to the model in a repair prompt. */
  message: string;
}

// ---- text measures ---------------------------------------------------------------------------------

const stopWords = new Set([
  "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "from", "into", "as",
  "is", "are", "was", "were", "be", "been", "do", "does", "did", "how", "what", "which", "who", "whom",
  "why", "when", "where", "that", "this", "these", "those", "it", "its", "s", "your", "you", "can", "about",
]);

const stem = (w: string) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w);

/** Stemmed content words of a text, less the `ignore` words (the topic and subject). */
export function contentWords(text: string, ignore: ReadonlySet<string> = new Set()): Set<string> {
  return new Set(
    normalizeTitle(text)
      .split(" ")
      .filter((w) => w && !stopWords.has(w))
      .map(stem)
      .filter((w) => !ignore.has(w)),
  );
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Questions this close (Jaccard of content words, topic words left out) are one question reworded. */
export const NEAR_DUPLICATE_QUESTION = 0.7;

export function isRepeatedQuestion(a: string, b: string, ignore: ReadonlySet<string> = new Set()): boolean {
  if (normalizeTitle(a) === normalizeTitle(b)) return true;
  return jaccard(contentWords(a, ignore), contentWords(b, ignore)) >= NEAR_DUPLICATE_QUESTION;
}

/** A choice repeats another (or the question) when equal after normalisation or with the same content words. */
function isRepeatedChoice(a: string, b: string): boolean {
  if (normalizeTitle(a) === normalizeTitle(b)) return true;
  const wa = contentWords(a);
  const wb = contentWords(b);
  return wa.size > 0 && wa.size === wb.size && [...wa].every((w) => wb.has(w));
}

/** Syllables of one word, by vowel groups (a silent final "e" dropped): the usual readability heuristic. */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (w === "") return 0;
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, "").replace(/^y/, "");
  const groups = trimmed.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 1);
}

/** Flesch–Kincaid grade level of a text: 0.39 × words per sentence + 11.8 × syllables per word − 15.59. */
export function readingGrade(text: string): number {
  const words = text.split(/\s+/).filter((w) => /[a-z]/i.test(w));
  if (words.length === 0) return 0;
  const sentences = Math.max(1, (text.match(/[.!?]+(?=\s|$)/g) ?? []).length);
  const syl = words.reduce((s, w) => s + syllables(w), 0);
  return 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
}

/**
 * The grade each difficulty is written at, ± READING_TOLERANCE. The prompt asks for everyday words at
 * intro and precise terminology at hard; with ~100 words the measure is noisy, so the band is wide
 * and catches only a lesson clearly pitched at the wrong reader (a hard lesson in primer sentences,
 * an intro lesson in dense jargon).
 */
export const READING_TARGET: Record<Difficulty, number> = { intro: 8, easy: 9.5, medium: 10.5, hard: 12.5 };
export const READING_TOLERANCE = 4.5;

/** Nothing is too simple for an intro lesson ("no prior knowledge; everyday words"). */
export function readingBand(difficulty: Difficulty): { min: number; max: number } {
  const t = READING_TARGET[difficulty];
  return { min: difficulty === "intro" ? Number.NEGATIVE_INFINITY : t - READING_TOLERANCE, max: t + READING_TOLERANCE };
}

/** The correct choice is "clearly" the longest when it beats every other by this share of characters. */
export const LONGEST_MARGIN = 1.1;

export function correctIsLongest(q: Pick<LessonQuestion, "choices" | "correctIndex">): boolean {
  const len = (s: string) => s.trim().length;
  const right = len(q.choices[q.correctIndex]);
  const longestWrong = Math.max(...q.choices.filter((_, i) => i !== q.correctIndex).map(len));
  return right > longestWrong * LONGEST_MARGIN;
}

// ---- per-lesson rules ------------------------------------------------------------------------------

export type CheckableLesson = Pick<LessonContent, "title" | "content" | "difficulty" | "questions">;

/** Every per-lesson rule the lesson breaks (empty when it passes). `ignore`: topic and subject words. */
export function lessonRuleFailures(lesson: CheckableLesson, ignore: ReadonlySet<string> = new Set()): RuleFailure[] {
  const out: RuleFailure[] = [];
  const qs = lesson.questions;
  qs.forEach((q, n) => {
    const c = q.choices;
    for (let i = 0; i < c.length; i++) {
      const j = c.findIndex((other, k) => k > i && isRepeatedChoice(c[i], other));
      if (j !== -1) {
        out.push({ code: "choice_repeat", message: `question ${n + 1}: choices ${i + 1} and ${j + 1} say the same thing ("${c[j]}")` });
        return;
      }
      if (isRepeatedChoice(c[i], q.question)) {
        out.push({ code: "choice_repeat", message: `question ${n + 1}: choice ${i + 1} repeats the question` });
        return;
      }
    }
  });
  for (let i = 0; i < qs.length; i++) {
    const j = qs.findIndex((q, k) => k > i && isRepeatedQuestion(qs[i].question, q.question, ignore));
    if (j !== -1) {
      out.push({ code: "question_repeat", message: `questions ${i + 1} and ${j + 1} ask the same thing; ask about different points` });
      break;
    }
  }
  if (qs.length > 0 && qs.every(correctIsLongest)) {
    out.push({ code: "answer_longest", message: "the correct choice is the longest one in every question; make the wrong choices as long and specific as the right one" });
  }
  const grade = readingGrade(lesson.content);
  const band = readingBand(lesson.difficulty);
  if (grade < band.min || grade > band.max) {
    const dir = grade > band.max ? "too hard" : "too simple";
    out.push({
      code: "reading_level",
      message: `the text reads at grade ${grade.toFixed(1)}, ${dir} for ${lesson.difficulty} (${Number.isFinite(band.min) ? `grade ${band.min.toFixed(1)}–${band.max.toFixed(1)}` : `at most grade ${band.max.toFixed(1)}`}); ${grade > band.max ? "use shorter sentences and everyday words" : "use the precise terms this level expects"}`,
    });
  }
  return out;
}

// ---- against the batch so far ----------------------------------------------------------------------

/** Above this share of a batch's questions with the correct choice clearly longest, length gives answers away. */
export const LONGEST_SHARE_MAX = 0.5;
/** …once the batch has at least this many questions (a few lessons can be unlucky by chance). */
export const LONGEST_SHARE_MIN_QUESTIONS = 6;

/**
 * What a batch has accepted so far, for the rules that look across lessons. `check` is pure; `record`
 * adds an accepted lesson. One per group of a batch (same topic), like the title registry.
 */
export class BatchQuality {
  private readonly questions: string[] = [];
  private longest = 0;

  constructor(private readonly ignore: ReadonlySet<string> = new Set()) {}

  /** The first rule the lesson breaks, alone or against the lessons accepted before it; null if none. */
  check(lesson: CheckableLesson): RuleFailure | null {
    const own = lessonRuleFailures(lesson, this.ignore);
    if (own.length > 0) return own[0];
    for (const [n, q] of lesson.questions.entries()) {
      const hit = this.questions.find((other) => isRepeatedQuestion(q.question, other, this.ignore));
      if (hit !== undefined) return { code: "question_repeat", message: `question ${n + 1} repeats "${hit}" from another lesson of this batch; ask about a different point` };
    }
    const mine = lesson.questions.filter(correctIsLongest).length;
    const total = this.questions.length + lesson.questions.length;
    if (mine > 0 && total >= LONGEST_SHARE_MIN_QUESTIONS && (this.longest + mine) / total > LONGEST_SHARE_MAX) {
      return { code: "answer_longest", message: "the correct choice is the longest one too often; make the wrong choices as long and specific as the right one" };
    }
    return null;
  }

  record(lesson: CheckableLesson): void {
    for (const q of lesson.questions) this.questions.push(q.question);
    this.longest += lesson.questions.filter(correctIsLongest).length;
  }

  /** Takes back a recorded lesson that was not delivered after all (moderation flagged it). */
  forget(lesson: CheckableLesson): void {
    for (const q of lesson.questions) {
      const i = this.questions.lastIndexOf(q.question);
      if (i !== -1) this.questions.splice(i, 1);
    }
    this.longest -= lesson.questions.filter(correctIsLongest).length;
  }
}

// ---- answer positions ------------------------------------------------------------------------------

/**
 * Largest spread (most used − least used position) a batch's correct answers may have. Placing each
 * one uniformly at random lets the spread grow like √n; forbidding only the draws that would push it
 * past 2 keeps a batch balanced while a learner who knows the rule gains almost nothing (starting from
 * a balanced batch, only "all three answers of a lesson at one letter" is ruled out).
 */
export const POSITION_SPREAD_MAX = 2;

/** Places correct answers for one batch: random, but never beyond POSITION_SPREAD_MAX. */
export class PositionBalancer {
  readonly counts = [0, 0, 0, 0];

  constructor(private readonly random: () => number = Math.random) {}

  place(q: LessonQuestion): LessonQuestion {
    const n = q.choices.length;
    const allowed = Array.from({ length: n }, (_, i) => i).filter((i) => {
      const next = this.counts.map((c, k) => (k === i ? c + 1 : c)).slice(0, n);
      return Math.max(...next) - Math.min(...next) <= POSITION_SPREAD_MAX;
    });
    const target = allowed[Math.min(allowed.length - 1, Math.floor(this.random() * allowed.length))];
    // The wrong choices in random order around the correct one (Fisher–Yates).
    const wrong = q.choices.filter((_, i) => i !== q.correctIndex);
    for (let i = wrong.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [wrong[i], wrong[j]] = [wrong[j], wrong[i]];
    }
    const choices = [...wrong];
    choices.splice(target, 0, q.choices[q.correctIndex]);
    this.counts[target]++;
    return { ...q, choices: choices as LessonQuestion["choices"], correctIndex: target as LessonQuestion["correctIndex"] };
  }

  placeLesson<T extends Pick<LessonContent, "questions">>(lesson: T): T {
    return { ...lesson, questions: lesson.questions.map((q) => this.place(q)) as LessonContent["questions"] };
  }
}

/** Spread of the correct positions over a batch's questions (most used − least used). */
export function positionSpread(lessons: readonly Pick<LessonContent, "questions">[]): number {
  const counts = [0, 0, 0, 0];
  for (const l of lessons) for (const q of l.questions) counts[q.correctIndex]++;
  return Math.max(...counts) - Math.min(...counts);
}

// ---- counting, for the bench -----------------------------------------------------------------------

export interface RuleFailureCount {
  total: number;
  byCode: Record<RuleCode, number>;
}

/**
 * Rule failures among delivered lessons: each lesson counts once, with its first per-lesson failure or
 * else a question repeated from a lesson before it; then one `answer_longest` when more than half of
 * the batch's questions have the correct choice clearly longest, and one `answer_position` when its
 * correct positions spread more than POSITION_SPREAD_MAX. Pass the lessons of one batch (one topic).
 */
export function countRuleFailures(lessons: readonly CheckableLesson[], ignorePhrases: readonly string[] = []): RuleFailureCount {
  const ignore = new Set<string>();
  for (const p of ignorePhrases) for (const w of contentWords(p)) ignore.add(w);
  const byCode = Object.fromEntries(ruleCodes.map((c) => [c, 0])) as Record<RuleCode, number>;
  const seen: string[] = [];
  let longest = 0;
  for (const l of lessons) {
    const own = lessonRuleFailures(l, ignore)[0];
    if (own) byCode[own.code]++;
    else if (l.questions.some((q) => seen.some((other) => isRepeatedQuestion(q.question, other, ignore)))) byCode.question_repeat++;
    for (const q of l.questions) seen.push(q.question);
    longest += l.questions.filter(correctIsLongest).length;
  }
  if (seen.length >= LONGEST_SHARE_MIN_QUESTIONS && longest / seen.length > LONGEST_SHARE_MAX) byCode.answer_longest++;
  if (positionSpread(lessons) > POSITION_SPREAD_MAX) byCode.answer_position++;
  return { total: Object.values(byCode).reduce((s, n) => s + n, 0), byCode };
}
