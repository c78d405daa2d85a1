// The moderation port (docs/quality.md): every generated lesson is screened before it is saved or shown.
// Categories are classroom categories, not only a provider's generic ones; each finding has a severity,
// and a lesson is blocked when any finding is at least BLOCKING_SEVERITY.
import type { AttemptReport } from "@/lib/llm/types";

export const moderationCategories = [
  "sexual", // any sexual content; anything involving minors is always high
  "hate", // demeaning a group for who they are
  "toxicity", // harassment, insults, threats, profanity
  "violence", // violence described for its own sake, gore
  "self_harm", // self-harm or suicide, above all methods or encouragement
  "dangerous_behaviour", // imitable dangerous behaviour: weapons, drugs, stunts, chemistry "to try at home"
  "upsetting", // upsetting or sensitive content handled without care (abuse, death, disasters in graphic detail)
  "external_links", // URLs, e-mail addresses, phone numbers, handles: learners are never sent off-site
  "personal_data", // real people's private details
] as const;
export type ModerationCategory = (typeof moderationCategories)[number];

export const severities = ["low", "medium", "high"] as const;
export type Severity = (typeof severities)[number];
/** A finding at this severity or above blocks the lesson. */
export const BLOCKING_SEVERITY: Severity = "medium";

export function blocks(severity: Severity): boolean {
  return severities.indexOf(severity) >= severities.indexOf(BLOCKING_SEVERITY);
}

export interface ModerationFinding {
  category: ModerationCategory;
  severity: Severity;
  /** What found it: the provider's endpoint, the model checking the rubric, or a local rule. */
  source: "endpoint" | "rubric" | "rule";
  detail?: string;
}

export interface ModerationVerdict {
  flagged: boolean;
  findings: ModerationFinding[];
  /** One line for the repair prompt and the usage log; null when not flagged. */
  reason: string | null;
}

/** What one screen cost: every HTTP attempt, for the usage log (mode "moderation"). */
export interface ModerationResult {
  verdict: ModerationVerdict;
  provider: string;
  model: string;
  reports: AttemptReport[];
}

export interface ModerationInput {
  title: string;
  content: string;
  questions: readonly { question: string; choices: readonly string[]; explanation: string }[];
  keyTerms?: readonly { term: string; definition: string }[];
  subject?: string;
  topic?: string;
}

export interface ModerationPort {
  /** "endpoint": the provider's moderation endpoint; "rubric": the classroom rubric checked by the model. */
  readonly kind: "endpoint" | "rubric";
  /** Throws when the screen could not be run (the caller then does not deliver the lesson). */
  screen(input: ModerationInput, opts?: { signal?: AbortSignal; userId?: string | null }): Promise<ModerationResult>;
}

export function verdictOf(findings: ModerationFinding[]): ModerationVerdict {
  const blocking = findings.filter((f) => blocks(f.severity));
  const reason = blocking.length === 0 ? null : blocking.map((f) => `${f.category.replace("_", " ")} (${f.severity}${f.detail ? `: ${f.detail}` : ""})`).join("; ");
  return { flagged: blocking.length > 0, findings, reason };
}

/** The screen could not be run (after retries, or its answer was unreadable): carries what it cost. */
export class ModerationFailed extends Error {
  constructor(
    message: string,
    readonly provider: string,
    readonly model: string,
    readonly reports: AttemptReport[],
  ) {
    super(message);
    this.name = "ModerationFailed";
  }
}
