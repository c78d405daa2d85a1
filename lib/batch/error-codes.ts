// Stable per-lesson error codes, and what the model is told when a slot is repaired.
import type { RuleFailure } from "@/lib/lessons/checks";
import { LlmError } from "@/lib/llm/types";

export type LessonErrorCode =
  | "invalid_output" // the lesson failed the strict schema, or the answer could not be read
  | "missing" // the answer had fewer lessons than asked
  | "duplicate" // same or nearly the same title as another lesson or a title to avoid
  | "truncated" // cut off by the output limit
  | "rate_limited"
  | "provider_unavailable" // 5xx, timeouts, connection errors, deadline
  | "provider_error" // the provider rejected the request (4xx)
  | "cancelled"
  // Checks beyond the schema (lib/lessons/checks.ts, docs/quality.md): the slot is repaired.
  | "choice_repeat" // a choice repeats another choice or the question
  | "question_repeat" // a question repeats another of the lesson or of an earlier lesson of the batch
  | "answer_longest" // the correct choice is (too often) clearly the longest
  | "reading_level" // the text's readability is outside its difficulty's band
  // Moderation (lib/moderation): a flagged lesson is regenerated once, then fails with this code.
  | "moderation_flagged"
  | "moderation_unavailable"; // the screen could not be run: the lesson is not delivered unscreened

/** Every code above, for the dashboard and tests. */
export const lessonErrorCodes: readonly LessonErrorCode[] = [
  "invalid_output", "missing", "duplicate", "truncated", "rate_limited", "provider_unavailable", "provider_error", "cancelled",
  "choice_repeat", "question_repeat", "answer_longest", "reading_level", "moderation_flagged", "moderation_unavailable",
];

/** Codes of the quality rules: a call that lost a lesson to one of them carries it in its usage event. */
export const qualityCodes: ReadonlySet<string> = new Set(["choice_repeat", "question_repeat", "answer_longest", "reading_level"]);

export interface SlotError {
  code: LessonErrorCode;
  message: string; // for the caller and the usage log
  feedback: string | null; // for the repair prompt; null when the model was not at fault
}

export function errorFromThrown(err: unknown): SlotError {
  if (LlmError.is(err)) {
    switch (err.code) {
      case "rate_limited":
        return { code: "rate_limited", message: "The model provider is rate limiting requests.", feedback: null };
      case "bad_request":
        return { code: "provider_error", message: "The model provider rejected the request.", feedback: null };
      case "aborted":
        return { code: "cancelled", message: "Cancelled.", feedback: null };
      default:
        return { code: "provider_unavailable", message: "The model provider is unavailable.", feedback: null };
    }
  }
  return { code: "provider_unavailable", message: "The model call failed.", feedback: null };
}

export const slotErrors = {
  invalid: (detail: string): SlotError => ({
    code: "invalid_output",
    message: `The lesson failed validation: ${detail}`,
    feedback: `it failed validation (${detail}).`,
  }),
  unreadable: (problem: string): SlotError => ({
    code: "invalid_output",
    message: `The answer could not be read: ${problem}`,
    feedback: `${problem}; reply with the JSON object only.`,
  }),
  missing: (): SlotError => ({
    code: "missing",
    message: "The answer had fewer lessons than asked.",
    feedback: null,
  }),
  duplicate: (title: string, other: string): SlotError => ({
    code: "duplicate",
    message: `"${title}" duplicates "${other}".`,
    feedback: `its title "${title}" repeats "${other}"; teach a different idea under a clearly different title.`,
  }),
  truncated: (): SlotError => ({
    code: "truncated",
    message: "The answer was cut off by the output limit.",
    feedback: "the answer was cut off before the lesson was complete; stay within the word limits.",
  }),
  cancelled: (): SlotError => ({ code: "cancelled", message: "Cancelled before it started.", feedback: null }),
  rule: (failure: RuleFailure): SlotError => ({
    code: failure.code as LessonErrorCode,
    message: `The lesson broke a quality rule (${failure.code}): ${failure.message}`,
    feedback: `it broke a quality rule: ${failure.message}.`,
  }),
  flagged: (reason: string): SlotError => ({
    code: "moderation_flagged",
    message: `The lesson was flagged by moderation: ${reason}`,
    feedback: `it was flagged as unsuitable for a classroom (${reason}); write a lesson on a different, safe idea with nothing of that kind.`,
  }),
  moderationUnavailable: (): SlotError => ({
    code: "moderation_unavailable",
    message: "The lesson could not be screened, so it was not delivered.",
    feedback: null,
  }),
};
