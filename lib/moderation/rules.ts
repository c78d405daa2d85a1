// Local rules, run before any provider: cheap and certain. External links are a classroom category no
// provider's endpoint has: a lesson never sends a learner off-site or invites contact.
import type { ModerationFinding } from "./types";

const URL = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:com|org|net|io|co|ly|gg|xyz|info|biz|me|app|dev)(?:\/\S*)?\b/i;
const EMAIL = /\b[\w.+-]+@[\w-]+\.[\w.]+\b/;
const PHONE = /(?:\+\d{1,3}[\s-]?)?\(?\d{3}\)?[\s-]\d{3}[\s-]\d{4}\b/;

export function localFindings(text: string): ModerationFinding[] {
  const out: ModerationFinding[] = [];
  const url = URL.exec(text);
  if (url) out.push({ category: "external_links", severity: "medium", source: "rule", detail: `link "${url[0].slice(0, 60)}"` });
  if (EMAIL.test(text)) out.push({ category: "external_links", severity: "medium", source: "rule", detail: "an e-mail address" });
  if (PHONE.test(text)) out.push({ category: "personal_data", severity: "medium", source: "rule", detail: "a phone number" });
  return out;
}
