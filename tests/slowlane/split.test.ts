import { describe, expect, it } from "vitest";
import { splitLanes } from "@/lib/slowlane/split";

const H = 3600_000;
const policy = { fastHorizonMs: 3 * H, slowAvailable: true };

describe("lane split", () => {
  it("sends what followers read within the horizon fast and the rest slow, due when they reach it", () => {
    // 4 lessons/h, 2 in stock: within 3 h they read 12, so 10 more are needed fast; 10 of 20 wait.
    const s = splitLanes({ need: 20, stock: 2, lessonsPerHour: 4, now: 0 }, policy);
    expect(s).toEqual({ fast: 10, slow: 10, slowDeadlineAt: 3 * H });
  });
  it("a quiet topic waits entirely; a fast-reading one goes entirely fast", () => {
    expect(splitLanes({ need: 5, stock: 0, lessonsPerHour: 0, now: 0 }, policy)).toEqual({ fast: 0, slow: 5, slowDeadlineAt: 24 * H });
    expect(splitLanes({ need: 5, stock: 0, lessonsPerHour: 10, now: 0 }, policy)).toEqual({ fast: 5, slow: 0, slowDeadlineAt: null });
  });
  it("deep stock pushes the deadline out", () => {
    const s = splitLanes({ need: 4, stock: 30, lessonsPerHour: 5, now: 1000 }, policy);
    expect(s).toEqual({ fast: 0, slow: 4, slowDeadlineAt: 1000 + 6 * H });
  });
  it("without a slow lane everything is fast", () => {
    expect(splitLanes({ need: 7, stock: 0, lessonsPerHour: 0, now: 0 }, { ...policy, slowAvailable: false })).toEqual({ fast: 7, slow: 0, slowDeadlineAt: null });
  });
});
