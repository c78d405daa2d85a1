import type { ReportReason } from "@/lib/contracts/reports";

/** How each report reason reads to a learner and in the review queue. */
export const reasonLabels: Record<ReportReason, { label: string; hint: string }> = {
  wrong_answer: { label: "Wrong answer", hint: "A question's marked answer is incorrect." },
  unclear: { label: "Unclear", hint: "The text or a question is confusing." },
  inappropriate: { label: "Inappropriate", hint: "Unsafe, upsetting or not suitable for learners." },
  duplicate: { label: "Duplicate", hint: "The same lesson, or nearly, appears elsewhere." },
  other: { label: "Something else", hint: "Tell us in the note." },
};
