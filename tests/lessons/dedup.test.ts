import { describe, expect, it } from "vitest";
import { isDuplicateTitle, normalizeTitle, NEAR_DUPLICATE_JACCARD, TitleRegistry, ignoredWords } from "@/lib/lessons/dedup";

describe("normalizeTitle", () => {
  it.each([
    ["  Photosynthesis:  The Basics! ", "photosynthesis the basics"],
    ["Café Économie", "cafe economie"],
    ["A/B Testing — 101", "a b testing 101"],
  ])("%s → %s", (input, out) => expect(normalizeTitle(input)).toBe(out));
});

describe("isDuplicateTitle", () => {
  const cases: [string, string, boolean][] = [
    ["Light Reactions of Photosynthesis", "Light Reactions of Photosynthesis", true],
    ["Light Reactions of Photosynthesis", "light reactions of photosynthesis!", true],
    ["Light Reactions of Photosynthesis", "Photosynthesis: The Light Reactions", true],
    ["The Light Reaction in Photosynthesis", "Photosynthesis Light Reactions", true], // plural stripped
    ["Photosynthesis Light Reactions", "Photosynthesis Dark Reactions", false], // 2 of 4 = 0.5
    ["How Vaccines Train Immunity", "Why Vaccines Train Your Immunity", true],
    ["Supply Curves Shift Right", "Demand Curves Shift Left", false],
  ];
  it.each(cases)("%s vs %s → %s", (a, b, dup) => expect(isDuplicateTitle(a, b)).toBe(dup));

  it("threshold is documented as 0.6", () => expect(NEAR_DUPLICATE_JACCARD).toBe(0.6));

  it("ignores the topic's own words when asked", () => {
    const ignore = ignoredWords(["Supply and Demand Curves"]);
    const a = "Supply and Demand Curves Step by Step";
    const b = "Supply and Demand Curves: A Compact Review";
    expect(isDuplicateTitle(a, b, ignore)).toBe(false);
    expect(isDuplicateTitle(a, "Supply & Demand Curves, Step by Step", ignore)).toBe(true);
  });
});

describe("TitleRegistry", () => {
  it("rejects duplicates within a batch and against avoid titles", () => {
    const r = new TitleRegistry(["Photosynthesis: The Core Idea"], ["Photosynthesis", "Biology"]);
    expect(r.claim("The Core Idea of Photosynthesis")).toBe("Photosynthesis: The Core Idea");
    expect(r.claim("How Photosynthesis Actually Works")).toBeNull();
    expect(r.claim("Photosynthesis: How It Actually Works")).toBe("How Photosynthesis Actually Works");
    expect(r.claim("Common Mistakes About Photosynthesis", ["Photosynthesis: Common Mistakes"])).toBe("Photosynthesis: Common Mistakes");
    expect(r.claim("Photosynthesis in the Real World")).toBeNull();
    expect(r.titles()).toEqual(["How Photosynthesis Actually Works", "Photosynthesis in the Real World"]);
  });
});
