import { describe, expect, it } from "vitest";
import { chunkSizeFor, groupRequests, outputBudget, splitIntoChunks } from "@/lib/batch/plan";
import type { LessonRequest } from "@/lib/batch/types";

const bio = (extra: Partial<LessonRequest> = {}): LessonRequest => ({ subject: "Biology", topic: "Cells", difficulty: "easy", ...extra });

describe("groupRequests", () => {
  it("groups by subject, topic, difficulty and instructions, keeping request positions", () => {
    const groups = groupRequests(
      [bio(), bio({ topic: "Genes" }), bio(), bio({ difficulty: "hard" }), bio({ instructions: "sports examples" }), bio({ avoidTitles: ["A Title Here"] })],
      "m",
    );
    expect(groups.map((g) => g.indices)).toEqual([[0, 2, 5], [1], [3], [4]]);
    expect(groups[0].avoidTitles).toEqual(["A Title Here"]);
    expect(groups[3].instructions).toBe("sports examples");
  });
});

describe("splitIntoChunks", () => {
  it.each([
    [1, 5, [1]],
    [5, 5, [5]],
    [6, 5, [3, 3]],
    [7, 5, [4, 3]],
    [10, 5, [5, 5]],
    [11, 5, [4, 4, 3]],
    [4, 2, [2, 2]],
    [3, 1, [1, 1, 1]],
  ])("%i at %i → %j", (n, size, sizes) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const chunks = splitIntoChunks(items, size);
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(items);
  });
});

describe("chunkSizeFor", () => {
  const limits = { maxPerCall: 5, outputTokensPerLesson: 750, outputMarginTokens: 200, promptTokens: 1200 };
  it.each([
    ["roomy model", { maxOutputTokens: 16_384, contextWindow: 128_000 }, {}, 5],
    ["output budget 3", { maxOutputTokens: 2_500, contextWindow: 128_000 }, {}, 3],
    ["tiny output → still 1", { maxOutputTokens: 500, contextWindow: 128_000 }, {}, 1],
    ["context window", { maxOutputTokens: 16_384, contextWindow: 3_000 }, {}, 2],
    ["after a truncation", { maxOutputTokens: 16_384, contextWindow: 128_000 }, { truncationCap: 2 }, 2],
  ])("%s", (_name, caps, extra, k) => {
    expect(chunkSizeFor(caps, { ...limits, ...extra })).toBe(k);
  });

  it("sizes max_completion_tokens to the chunk", () => {
    expect(outputBudget(5, { maxOutputTokens: 16_384 }, limits)).toBe(3950);
    expect(outputBudget(5, { maxOutputTokens: 2_000 }, limits)).toBe(2000);
  });
});
