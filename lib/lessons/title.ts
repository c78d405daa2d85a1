// Lesson titles are shown to learners and quoted into other prompts ("titles to avoid"), so they are
// one line of visible text: control characters become spaces, zero-width and bidi controls go, runs of
// whitespace collapse, and the length is capped. The database check `lessons_title_clean` mirrors this.
export const TITLE_MAX_CHARS = 120;

// C0/C1 controls (newlines, tabs, escapes) and DEL.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Zero-width spaces and joiners, direction marks, line/paragraph separators, bidi embeddings,
// overrides and isolates, word joiner and invisible operators, byte-order mark.
const INVISIBLE = /[\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** The title as it may be stored and shown: one line, no invisible characters (length not capped). */
export function cleanTitle(raw: string): string {
  return raw.replace(INVISIBLE, "").replace(CONTROL, " ").replace(/\s+/g, " ").trim();
}

/** For quoting a stored title back into a prompt: cleaned and cut to the cap. */
export function titleForPrompt(raw: string): string {
  return cleanTitle(raw).slice(0, TITLE_MAX_CHARS);
}
