import { describe, expect, it } from "vitest";
import { generateLessonBatch, generateLessonVariants, planLessonBatch, planSummary, type LessonResult } from "@/lib/batch";
import { buildLessonCallParams } from "@/lib/batch/lesson-call";
import { outputBudget } from "@/lib/batch/plan";
import { defaultBatchConfig } from "@/lib/batch/config";
import { isDuplicateTitle } from "@/lib/lessons/dedup";
import { PRICE_VERSION } from "@/lib/usage/prices";
import { collect, createWorld, requests, runBatch } from "./harness";

describe("generateLessonBatch", () => {
  it("returns [] for no requests and makes no call", async () => {
    const w = createWorld();
    expect(await runBatch(w.deps, [])).toEqual([]);
    expect(w.sim.stats().calls).toBe(0);
  });

  it("one request is one single-lesson call", async () => {
    const w = createWorld();
    const [r] = await runBatch(w.deps, requests(1));
    expect(r.ok && r.via).toBe("single");
    expect(w.usage.events.map((e) => [e.mode, e.lessonsAsked, e.counterfactualPromptTokens])).toEqual([["single", 1, null]]);
  });

  it("batches mixed topics per group and answers in request order", async () => {
    const w = createWorld();
    const topics = ["Photosynthesis", "Mitosis", "Photosynthesis", "Mitosis", "Photosynthesis", "Enzymes"];
    const results = await runBatch(
      w.deps,
      topics.map((topic) => ({ subject: "Biology", topic, difficulty: "easy" as const })),
    );
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    results.forEach((r, i) => {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.lesson.topic).toBe(topics[i]);
    });
    // Photosynthesis ×3 and Mitosis ×2 each in one call, Enzymes alone: three calls, not six.
    expect(w.sim.stats().calls).toBe(3);
    const asked = w.usage.events.map((e) => `${e.mode}:${e.lessonsAsked}`).sort();
    expect(asked).toEqual(["single-call:2", "single-call:3", "single:1"]);
    expect(results.filter((r) => r.ok && r.via === "single-call")).toHaveLength(5);
  });

  it("splits 10 into two calls of 5 and shuffles answers so the correct position varies", async () => {
    const w = createWorld();
    const results = await runBatch(w.deps, requests(10));
    expect(w.usage.events.map((e) => e.lessonsAsked)).toEqual([5, 5]);
    const positions = new Set(results.flatMap((r) => (r.ok ? r.lesson.questions.map((q) => q.correctIndex) : [])));
    expect(positions.size).toBeGreaterThan(1);
  });

  it("writes complete usage events with cost and the counterfactual of the real single prompts", async () => {
    // One call of the four (the cost-aware planner may add a lead single-lesson call: tests/batch/planner.test.ts).
    const w = createWorld({ config: { planner: { mode: "fixed" } } });
    await runBatch(w.deps, requests(4), { requestId: "00000000-0000-4000-8000-000000000001", userId: "u1", feature: "similar" });
    const [e] = w.usage.events;
    expect(e).toMatchObject({ mode: "single-call", provider: "sim", model: "sim-standard", attempt: 1, lessonsAsked: 4, lessonsValid: 4, httpStatus: 200, errorCode: null, priceVersion: PRICE_VERSION, circuitOpen: false, requestId: "00000000-0000-4000-8000-000000000001", userId: "u1", feature: "similar" });
    expect(e.promptTokens).toBe(w.sim.stats().promptTokens);
    expect(e.costUsd).toBeGreaterThan(0);
    const target = w.gateway.target("interactive");
    const single = buildLessonCallParams({
      target,
      mode: "tool-strict",
      context: { subject: "Biology", topic: "Photosynthesis", difficulty: "easy", avoidTitles: [] },
      count: 1,
      maxOutputTokens: outputBudget(1, target.capabilities, defaultBatchConfig),
    });
    expect(e.counterfactualPromptTokens).toBe(4 * w.gateway.countPromptTokens(single));
    expect(e.counterfactualPromptTokens!).toBeGreaterThan(3 * e.promptTokens);
    expect(e.counterfactualCostUsd!).toBeGreaterThan(e.costUsd);
  });

  it("the counterfactual equals what the simulator bills for the same lessons as single calls", async () => {
    const batch = createWorld();
    await runBatch(batch.deps, requests(3));
    const single = createWorld();
    await Promise.all([0, 1, 2].map(() => runBatch(single.deps, requests(1))));
    expect(batch.usage.events[0].counterfactualPromptTokens).toBe(single.sim.stats().promptTokens);
  });

  it("uses the background model for background priority", async () => {
    const w = createWorld();
    const results = await runBatch(w.deps, requests(2), { priority: "background" });
    expect(results.every((r) => r.ok && r.model === "sim-mini")).toBe(true);
    expect(w.usage.events.every((e) => e.model === "sim-mini")).toBe(true);
  });

  it("repairs a lesson whose title duplicates a title to avoid, and never returns a duplicate", async () => {
    const w = createWorld();
    // The simulator's first lesson on a topic is "<Topic>: The Core Idea".
    const avoid = ["Photosynthesis: The Core Idea"];
    const results = await runBatch(w.deps, requests(3, { avoidTitles: avoid }));
    expect(results.every((r) => r.ok)).toBe(true);
    const titles = results.flatMap((r) => (r.ok ? [r.lesson.title] : []));
    for (const t of titles) expect(isDuplicateTitle(t, avoid[0])).toBe(false);
    expect(results.filter((r) => r.ok && r.via === "repair")).toHaveLength(1);
    const repair = w.usage.events.find((e) => e.mode === "repair");
    expect(repair?.lessonsValid).toBe(1);
  });

  it("sizes chunks to the model's output limit", async () => {
    const w = createWorld({ caps: { maxOutputTokens: 1800 } }); // (1800 − 200) / 750 → 2 lessons per call
    const results = await runBatch(w.deps, requests(5));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(w.usage.events.map((e) => e.lessonsAsked).sort()).toEqual([1, 2, 2]);
  });

  it("halves the group's chunks after a truncation", async () => {
    const w = createWorld({ config: { planner: { mode: "fixed" } } });
    w.sim.queueFaults("truncate");
    await runBatch(w.deps, requests(4));
    expect(w.usage.events[0]).toMatchObject({ finishReason: "length", lessonsAsked: 4 });
    w.usage.clear();
    const again = await runBatch(w.deps, requests(4));
    expect(again.every((r) => r.ok)).toBe(true);
    expect(w.usage.events.map((e) => e.lessonsAsked)).toEqual([2, 2]);
  });

  it("works in the weakest mode (prompted JSON) for providers without tools or JSON modes", async () => {
    const w = createWorld({ caps: { strictTools: false, forcedToolChoice: false, jsonSchema: false, jsonObject: false, streamingTools: false } });
    const results = await runBatch(w.deps, requests(3), { onResult: () => undefined });
    expect(results.every((r) => r.ok && r.via === "single-call")).toBe(true);
    expect(w.sim.stats().calls).toBe(1);
  });

  it("a failing usage sink never fails generation", async () => {
    const w = createWorld();
    const results = await runBatch({ ...w.deps, usage: { record: async () => Promise.reject(new Error("db down")) } }, requests(2));
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it("returns an explicit failure when a slot's attempts run out", async () => {
    const w = createWorld({ config: { maxAttemptsPerSlot: 2 } });
    // Batch call: lesson 2 invalid; its repair: the answer is prose. Two attempts used up.
    w.sim.queueFaults("invalid_item", "text_instead_of_tool");
    const results = await runBatch(w.deps, requests(3));
    const failed = results.filter((r): r is Extract<LessonResult, { ok: false }> => !r.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ index: 1, attempts: 2, error: { code: "invalid_output" } });
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(w.usage.events).toHaveLength(w.sim.stats().calls);
  });
});

describe("planLessonBatch", () => {
  it("is the plan the engine runs: the calls it lists are the calls made", async () => {
    const w = createWorld({ caps: { maxOutputTokens: 1800 } }); // (1800 − 200) / 750 → 2 lessons per call
    const plan = planLessonBatch(w.deps, requests(5));
    expect(planSummary(plan)).toEqual({ calls: 3, perCall: 2, model: "sim-standard" });
    const results = await collect(generateLessonBatch(w.deps, requests(5), { plan, stream: false }));
    expect(results.every((r) => r.ok)).toBe(true);
    const asked = w.usage.events.map((e) => e.lessonsAsked).sort();
    expect(asked).toEqual(plan.groups.flatMap((g) => g.plan.calls.map((c) => c.slots.length)).sort());
    expect(w.sim.stats().calls).toBe(planSummary(plan).calls);
  });

  it("one request is one call of one lesson", () => {
    const w = createWorld();
    expect(planSummary(planLessonBatch(w.deps, requests(1)))).toEqual({ calls: 1, perCall: 1, model: "sim-standard" });
  });
});

describe("generateLessonVariants", () => {
  it("asks for count lessons on one topic", async () => {
    const w = createWorld();
    const results = await collect(generateLessonVariants(w.deps, "Chemistry", "Acids and Bases", { difficulty: "medium", instructions: "kitchen examples" }, 3, { stream: false }));
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.lesson).toMatchObject({ subject: "Chemistry", topic: "Acids and Bases", difficulty: "medium", version: 1 });
    }
    expect(w.sim.stats().calls).toBe(1);
  });
});
