// A simulator run where 10% of lessons break a quality rule and 5% of screened texts are flagged by
// moderation (docs/quality.md): every delivered lesson passes every rule, no flagged lesson is ever
// yielded (so none can be saved or shown), and usage events == simulator calls, moderation included.
import { describe, expect, it } from "vitest";
import { createBatchState } from "@/lib/batch/batch-state";
import { qualityCodes } from "@/lib/batch/error-codes";
import { generateLessonBatch } from "@/lib/batch/generate-lesson-batch";
import type { BatchDeps, LessonRequest, LessonResult } from "@/lib/batch/types";
import { countRuleFailures } from "@/lib/lessons/checks";
import { createGateway } from "@/lib/llm/gateway";
import { SIM_BASE_URL } from "@/lib/llm/presets";
import { createSimulator } from "@/lib/llm/sim";
import { simVerdict } from "@/lib/llm/sim/moderation";
import { endpointModeration, ModerationFailed, moderationText, type ModerationPort } from "@/lib/moderation";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";

const SEED = 21;
const RULE_BREAK_RATE = 0.1;
const FLAG_RATE = 0.05;

function world(o: { ruleBreakRate?: number; moderationFlagRate?: number } = { ruleBreakRate: RULE_BREAK_RATE, moderationFlagRate: FLAG_RATE }) {
  const sim = createSimulator({ profile: "instant", seed: SEED, ...o });
  const llm = createGateway(
    { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 10, timeoutMs: 5000, maxAttempts: 3, deadlineMs: 600_000 },
    { fetch: sim.fetch, clock: sim.clock, random: () => 0 },
  );
  const usage = new MemoryUsageSink();
  let s = 7;
  const random = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const moderation = endpointModeration({ provider: "sim", baseURL: SIM_BASE_URL, fetch: sim.fetch, clock: sim.clock });
  const deps: BatchDeps = { llm, usage, clock: sim.clock, state: createBatchState(), random, moderation };
  return { sim, usage, deps };
}

const TOPICS = ["Photosynthesis", "Cell Division", "Enzymes", "Osmosis", "Genetic Drift", "The Water Cycle", "Plate Tectonics", "Volcanoes"];

async function run(deps: BatchDeps, requests: LessonRequest[], stream: boolean): Promise<LessonResult[]> {
  const out: LessonResult[] = [];
  for await (const r of generateLessonBatch(deps, requests, { stream, feature: "bench" })) out[r.index] = r;
  return out;
}

describe("quality run on the simulator (10% rule breaks, 5% moderation flags)", () => {
  it("delivers only lessons that pass every rule and every screen, and logs every call once", async () => {
    const { sim, usage, deps } = world();
    const results: { topic: string; result: LessonResult }[] = [];
    // Eight topics × 10 lessons, streamed and not, at two difficulties: ~80 lessons, ~100 calls.
    for (const [i, topic] of TOPICS.entries()) {
      const requests: LessonRequest[] = Array.from({ length: 10 }, () => ({ subject: "Science", topic, difficulty: i % 2 === 0 ? "easy" : "hard" }));
      for (const r of await run(deps, requests, i % 2 === 0)) results.push({ topic, result: r });
    }
    const delivered = results.filter((r) => r.result.ok);
    const failed = results.filter((r) => !r.result.ok);
    const stats = sim.stats();
    const ruleBreaks = Object.entries(stats.faults).filter(([k]) => k.startsWith("rule_break:")).reduce((n, [, v]) => n + v, 0);
    const moderationCalls = stats.log.filter((e) => e.model.includes("moderation")).length;
    const flaggedCalls = stats.faults.moderation_flag ?? 0;
    const events = usage.events;
    const codes = events.map((e) => e.errorCode).filter((c): c is string => c !== null);

    // The faults really happened, and the engine really repaired them.
    expect(ruleBreaks).toBeGreaterThanOrEqual(4);
    expect(flaggedCalls).toBeGreaterThanOrEqual(1);
    expect(codes.filter((c) => qualityCodes.has(c)).length).toBeGreaterThanOrEqual(4); // counted for the dashboard
    expect(codes.filter((c) => c === "moderation_flagged")).toHaveLength(flaggedCalls);

    // Every delivered lesson passes every rule, within its batch (one topic: positions, repeats, length).
    for (const topic of TOPICS) {
      const lessons = delivered.filter((r) => r.topic === topic).map((r) => (r.result as Extract<LessonResult, { ok: true }>).lesson);
      const counted = countRuleFailures(lessons, [topic, "Science"]);
      expect({ topic, ...counted.byCode }).toEqual({ topic, choice_repeat: 0, question_repeat: 0, answer_longest: 0, reading_level: 0, answer_position: 0 });
    }
    // No flagged lesson is yielded: re-screened, every delivered text is clean (the verdict is per text).
    for (const r of delivered) {
      const lesson = (r.result as Extract<LessonResult, { ok: true }>).lesson;
      expect(simVerdict(moderationText(lesson), SEED, FLAG_RATE).flagged).toBe(false);
    }
    // Failures are explicit, and only for reasons the run can produce.
    for (const f of failed) expect(["moderation_flagged", "choice_repeat", "question_repeat", "answer_longest", "reading_level", "duplicate"]).toContain((f.result as Extract<LessonResult, { ok: false }>).error.code);
    expect(delivered.length).toBeGreaterThanOrEqual(results.length - 4);

    // Usage events == simulator calls, moderation included; a moderation event per screen, at no cost.
    expect(events.length).toBe(stats.calls);
    const modEvents = events.filter((e) => e.mode === "moderation");
    expect(modEvents.length).toBe(moderationCalls);
    expect(modEvents.every((e) => e.costUsd === 0)).toBe(true);
    // Every lesson accepted was screened once: delivered ones, plus the flagged ones regenerated or failed.
    expect(moderationCalls).toBe(delivered.length + flaggedCalls);

    console.log(
      `quality run: ${results.length} slots, ${delivered.length} delivered, ${failed.length} failed; ${stats.calls} sim calls (${moderationCalls} moderation, ${flaggedCalls} flagged); ` +
        `${ruleBreaks} rule breaks injected; failed ${JSON.stringify(failed.map((f) => !f.result.ok && f.result.error))}; event codes ${JSON.stringify(Object.fromEntries([...new Set(codes)].map((c) => [c, codes.filter((x) => x === c).length])))}`,
    );
  }, 60_000);
});

describe("the engine's moderation path", () => {
  function fakePort(decide: (screenNo: number, text: string) => "pass" | "flag" | "throw") {
    let n = 0;
    const screened: string[] = [];
    const port: ModerationPort = {
      kind: "endpoint",
      async screen(input) {
        const text = moderationText(input);
        screened.push(text);
        const report = { attempt: 1, startedAt: 0, latencyMs: 1, ttftMs: null, status: 200, errorCode: null, finishReason: null, usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0 } };
        const d = decide(++n, text);
        if (d === "throw") throw new ModerationFailed("down", "sim", "omni-moderation-latest", [{ ...report, status: 503, errorCode: "provider_error" }]);
        const flagged = d === "flag";
        return { verdict: { flagged, findings: flagged ? [{ category: "dangerous_behaviour", severity: "high", source: "endpoint" }] : [], reason: flagged ? "dangerous behaviour (high)" : null }, provider: "sim", model: "omni-moderation-latest", reports: [report] };
      },
    };
    return { port, screened };
  }

  function engine(port: ModerationPort) {
    const { sim, usage, deps } = world({}); // no rule breaks: every lesson the screen sees is accepted
    const prompts: string[] = [];
    const spy = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (typeof init?.body === "string") prompts.push(init.body);
      return sim.fetch(input, init);
    }) as typeof fetch;
    const llm = createGateway({ provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 10, timeoutMs: 5000, maxAttempts: 3, deadlineMs: 600_000 }, { fetch: spy, clock: sim.clock, random: () => 0 });
    return { sim, usage, prompts, deps: { ...deps, llm, moderation: port } as BatchDeps };
  }
  const asks = (n: number): LessonRequest[] => Array.from({ length: n }, () => ({ subject: "Chemistry", topic: "Acids and Bases", difficulty: "medium" }));

  it("a lesson flagged once is never yielded; its slot is regenerated once with the reason fed back", async () => {
    const firstScreens = new Set<number>([1, 3]);
    const { port, screened } = fakePort((n) => (firstScreens.has(n) ? "flag" : "pass"));
    const { prompts, usage, deps } = engine(port);
    const flaggedTexts: string[] = [];
    const results = await run(deps, asks(4), true);
    for (const n of firstScreens) flaggedTexts.push(screened[n - 1]);
    expect(results.every((r) => r.ok)).toBe(true);
    for (const r of results) if (r.ok) expect(flaggedTexts).not.toContain(moderationText(r.lesson));
    expect(results.filter((r) => r.ok && r.via === "repair")).toHaveLength(2);
    expect(screened).toHaveLength(6); // four lessons, two of them flagged and replaced
    expect(prompts.filter((p) => p.includes("flagged as unsuitable for a classroom"))).toHaveLength(2);
    expect(usage.events.filter((e) => e.mode === "moderation")).toHaveLength(6);
    expect(usage.events.filter((e) => e.errorCode === "moderation_flagged")).toHaveLength(2);
  });

  it("a slot flagged twice fails with moderation_flagged, and nothing flagged is yielded", async () => {
    const { port, screened } = fakePort(() => "flag");
    const { sim, usage, deps } = engine(port);
    const results = await run(deps, asks(3), false);
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["moderation_flagged", "moderation_flagged", "moderation_flagged"]);
    expect(screened).toHaveLength(6);
    // One batch call and three regenerations reach the simulator; the fake port's six screens are usage events too.
    expect(sim.stats().calls).toBe(4);
    expect(usage.events).toHaveLength(4 + 6);
  });

  it("a screen that cannot run fails the slot with moderation_unavailable (nothing unscreened is delivered)", async () => {
    const { port } = fakePort((n) => (n === 2 ? "throw" : "pass"));
    const { usage, deps } = engine(port);
    const results = await run(deps, asks(3), true);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(["moderation_unavailable"]);
    expect(usage.events.filter((e) => e.mode === "moderation").map((e) => e.httpStatus).sort()).toEqual([200, 200, 503]);
  });
});
