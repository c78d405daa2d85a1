// A valid raw lesson as a model would return it, for tests to break one field at a time.
export function words(n: number, word = "word"): string {
  return Array.from({ length: n }, (_, i) => `${word}${i}`).join(" ");
}

export function rawLesson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const q = (n: number) => ({
    question: `Which statement about idea ${n} is true?`,
    choices: [`Right answer ${n}`, `Wrong answer A${n}`, `Wrong answer B${n}`, `Wrong answer C${n}`],
    correctIndex: 0,
    explanation: `Because the lesson says so for idea ${n}.`,
  });
  return {
    slot: 0,
    title: "How Plants Capture Light",
    content: words(95),
    difficulty: "easy",
    questions: [q(1), q(2), q(3)],
    keyTerms: [{ term: "chlorophyll", definition: "The green pigment that absorbs light." }],
    ...overrides,
  };
}
