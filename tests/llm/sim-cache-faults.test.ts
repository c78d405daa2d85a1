// The simulator's provider realism: a prompt is cacheable only after its first carrier's prefill,
// then with a hit rate below 100% and a TTL; provider-class profiles; faults per lesson asked, and
// truncation that loses the last lessons.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { buildLessonMessages, lessonBatchJsonSchema, LESSON_TOOL_NAME } from "@/lib/lessons";
import { parseLessons } from "@/lib/batch/parse";
import { createSimulator, SIM_PROFILES, type SimOptions } from "@/lib/llm/sim";

function client(opts: SimOptions = {}) {
  const sim = createSimulator({ profile: "typical", seed: 42, timeScale: 0.05, ...opts });
  return { sim, openai: new OpenAI({ fetch: sim.fetch, baseURL: "http://sim.local/v1", apiKey: "sim", maxRetries: 0 }) };
}

// The real lesson request in tool mode: ~1200 prompt tokens, most of them a shared prefix.
function params(model: string, topic: string, count: number) {
  return {
    model,
    messages: buildLessonMessages({ subject: "Physics", topic, difficulty: "easy" }, { count, answerWith: "tool" }),
    tools: [{ type: "function" as const, function: { name: LESSON_TOOL_NAME, strict: true, parameters: lessonBatchJsonSchema } }],
    tool_choice: { type: "function" as const, function: { name: LESSON_TOOL_NAME } },
  };
}

const cached = (r: OpenAI.Chat.ChatCompletion) => r.usage?.prompt_tokens_details?.cached_tokens ?? 0;

describe("simulated prompt cache", () => {
  it("siblings sent at the same instant all miss; a request after the first one's prefill hits", async () => {
    const { openai } = client({ cacheHitRate: 1 });
    const burst = await Promise.all([0, 1, 2, 3].map(() => openai.chat.completions.create(params("sim-standard", "Momentum", 1))));
    expect(burst.map(cached)).toEqual([0, 0, 0, 0]);
    const after = await openai.chat.completions.create(params("sim-standard", "Momentum", 1));
    expect(cached(after)).toBeGreaterThanOrEqual(1024);
    expect((cached(after) - 1024) % 128).toBe(0);
  });

  it("a request arriving while the first carrier is still in prefill misses, one arriving after hits", async () => {
    // Prefill of ~1200 tokens at 20 tokens/s: 60 simulated seconds (600 ms real at this time scale).
    const { sim, openai } = client({ cacheHitRate: 1, timeScale: 0.01 });
    const slow = createSimulator({ profile: "typical" });
    void slow;
    const first = openai.chat.completions.create(params("sim-standard", "Waves", 1));
    await sim.clock.sleep(50); // 50 simulated ms: well inside the first one's prefill (≥ 400 ms TTFT)
    const early = await openai.chat.completions.create(params("sim-standard", "Waves", 1));
    await first;
    const late = await openai.chat.completions.create(params("sim-standard", "Waves", 1));
    expect(cached(early)).toBe(0);
    expect(cached(late)).toBeGreaterThan(0);
  });

  it("hits at about the configured rate once warm, and forgets a prefix after its TTL", async () => {
    const { sim, openai } = client({ cacheHitRate: 0.7, cacheTtlMs: 60_000, timeScale: 0.001 });
    await openai.chat.completions.create(params("sim-standard", "Optics", 1));
    let hits = 0;
    for (let i = 0; i < 60; i++) if (cached(await openai.chat.completions.create(params("sim-standard", "Optics", 1))) > 0) hits++;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(55);
    await sim.clock.sleep(61_000 + 5_000);
    const cold = await Promise.all([0, 1, 2].map(() => openai.chat.completions.create(params("sim-standard", "Optics", 1))));
    expect(cold.map(cached)).toEqual([0, 0, 0]);
  });

  it("groq-like has no prompt cache; openai-like and cerebras-like do, and cerebras-like gets faster with it", async () => {
    const groq = client({ profile: "groq-like", cacheHitRate: 1, timeScale: 0.01 });
    await groq.openai.chat.completions.create(params("sim-groq-like", "Heat", 1));
    expect(cached(await groq.openai.chat.completions.create(params("sim-groq-like", "Heat", 1)))).toBe(0);

    const cb = client({ profile: "cerebras-like", cacheHitRate: 1, timeScale: 0.01 });
    const coldRes = await cb.openai.chat.completions.create(params("sim-cerebras-like", "Heat", 1)).withResponse();
    const warmRes = await cb.openai.chat.completions.create(params("sim-cerebras-like", "Heat", 1)).withResponse();
    expect(cached(warmRes.data)).toBeGreaterThan(0);
    expect(SIM_PROFILES["cerebras-like"].cache?.speedsUp).toBe(true);
    expect(SIM_PROFILES["openai-like"].cache?.minTokens).toBe(1024);
    expect(SIM_PROFILES["openai-like"].cache?.blockTokens).toBe(128);
    expect(SIM_PROFILES["openai-like"].cache?.hitRate).toBeLessThan(1);
    // Prefill time is part of the processing time the simulator reports.
    expect(Number(coldRes.response.headers.get("openai-processing-ms"))).toBeGreaterThan(0);
    const profile = SIM_PROFILES["cerebras-like"];
    expect(profile.tokensPerSecond).toBeGreaterThan(SIM_PROFILES["groq-like"].tokensPerSecond);
    expect(SIM_PROFILES["groq-like"].tokensPerSecond).toBeGreaterThan(SIM_PROFILES["openai-like"].tokensPerSecond);
  });
});

describe("simulated faults", () => {
  it("per-lesson faults make a 5-lesson call fail more often than a 1-lesson call", async () => {
    const rate = async (count: number) => {
      const { sim, openai } = client({ profile: "chaos", timeScale: 0.0001, seed: 9 });
      for (let i = 0; i < 120; i++) await openai.chat.completions.create(params("sim-standard", "Light", count)).catch(() => null);
      return Object.values(sim.stats().faults).reduce((a, b) => a + b, 0) / 120;
    };
    const one = await rate(1);
    const five = await rate(5);
    expect(one).toBeGreaterThan(0.08);
    expect(one).toBeLessThan(0.35);
    // 1 − 0.8^5 ≈ 0.67
    expect(five).toBeGreaterThan(0.5);
    expect(five).toBeGreaterThan(one * 2);
  });

  it("truncation cuts the last lessons and keeps the first ones whole", async () => {
    const { openai } = client({ timeScale: 0.001 });
    let kept = 0;
    let lost = 0;
    for (let i = 0; i < 8; i++) {
      const r = await openai.chat.completions.create(params("sim-standard", "Gravity", 5), { headers: { "x-sim-faults": "truncate=1" } });
      expect(r.choices[0].finish_reason).toBe("length");
      const call = r.choices[0].message.tool_calls?.[0];
      const text = call && call.type === "function" ? call.function.arguments : "";
      const lessons = parseLessons(text).lessons as { slot?: number }[];
      // Whatever survived is a prefix of the slots: the cut lessons are always the last ones.
      expect(lessons.map((l) => l.slot)).toEqual(lessons.map((_, s) => s));
      kept += lessons.length;
      lost += 5 - lessons.length;
    }
    expect(lost).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });
});
