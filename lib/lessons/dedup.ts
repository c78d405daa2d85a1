// Duplicate titles: exact after normalisation, or near-duplicates by word overlap.
//
// Normalisation: lower case, accents and punctuation removed, whitespace collapsed. Near-duplicate:
// the Jaccard index of the two titles' content-word sets (stop words removed, simple plural "s"
// stripped) is at least NEAR_DUPLICATE_JACCARD = 0.6. With 3–7 word titles that means "Light Reactions
// of Photosynthesis" ≈ "Photosynthesis: The Light Reactions" (1.0) but "Photosynthesis Light Reactions"
// ≠ "Photosynthesis Dark Reactions" (2 shared of 4 = 0.5). Words of the topic and subject can be
// ignored: every lesson of a topic names it, so with a long topic name they would make all titles
// look alike ("Supply and Demand Curves Step by Step" vs "... in the Real World").

export const NEAR_DUPLICATE_JACCARD = 0.6;

const stopWords = new Set([
  "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "at", "from", "into",
  "is", "are", "how", "what", "why", "when", "your", "you", "its", "it", "vs", "versus", "about",
]);

export function normalizeTitle(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const stem = (w: string) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w);

export function titleWords(title: string, ignore: ReadonlySet<string> = new Set()): Set<string> {
  const words = normalizeTitle(title)
    .split(" ")
    .filter((w) => w && !stopWords.has(w))
    .map(stem)
    .filter((w) => !ignore.has(w));
  return new Set(words);
}

/** Stemmed content words of phrases (topic, subject) to leave out of the comparison. */
export function ignoredWords(phrases: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of phrases) for (const w of titleWords(p)) out.add(w);
  return out;
}

export function titleSimilarity(a: string, b: string, ignore: ReadonlySet<string> = new Set()): number {
  const wa = titleWords(a, ignore);
  const wb = titleWords(b, ignore);
  if (wa.size === 0 && wb.size === 0) return normalizeTitle(a) === normalizeTitle(b) ? 1 : 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared);
}

export function isDuplicateTitle(a: string, b: string, ignore: ReadonlySet<string> = new Set()): boolean {
  return normalizeTitle(a) === normalizeTitle(b) || titleSimilarity(a, b, ignore) >= NEAR_DUPLICATE_JACCARD;
}

/** The first title in `against` that `title` duplicates, or null. */
export function findDuplicate(title: string, against: Iterable<string>, ignore: ReadonlySet<string> = new Set()): string | null {
  for (const other of against) if (isDuplicateTitle(title, other, ignore)) return other;
  return null;
}

/**
 * Keeps titles as they are accepted, so each new lesson is checked against the caller's avoid
 * titles and every lesson accepted before it in the same batch.
 */
export class TitleRegistry {
  private readonly accepted: string[] = [];
  private readonly ignore: Set<string>;
  /** `ignorePhrases`: the topic and subject, whose words every title of the batch may share. */
  constructor(
    private readonly avoid: readonly string[] = [],
    ignorePhrases: readonly string[] = [],
  ) {
    this.ignore = ignoredWords(ignorePhrases);
  }

  /** Returns the title it collides with, or null after recording it. */
  claim(title: string, extraAvoid: readonly string[] = []): string | null {
    const i = this.ignore;
    const hit = findDuplicate(title, this.avoid, i) ?? findDuplicate(title, extraAvoid, i) ?? findDuplicate(title, this.accepted, i);
    if (hit === null) this.accepted.push(title);
    return hit;
  }

  titles(): string[] {
    return [...this.accepted];
  }
}
