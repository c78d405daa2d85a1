// The simulator's /v1/moderations through the real openai client, its injectable flags and rule
// breaks, and the moderation ports of lib/moderation on top of it.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { buildLessonMessages, lessonBatchJsonSchema, LESSON_TOOL_NAME } from "@/lib/lessons";
import { lessonRuleFailures } from "@/lib/lessons/checks";
import { checkLesson } from "@/lib/lessons/validate";
import { createSimulator } from "@/lib/llm/sim";
import { createGateway } from "@/lib/llm/gateway";
import { SIM_UNSAFE_MARKER } from "@/lib/llm/sim/moderation";
import type { ChatResult, LlmGateway } from "@/lib/llm/types";
import { endpointModeration, localFindings, moderationFor, ModerationFailed, moderationText, moderationUsageEvents, parseRubricAnswer, rubricModeration, type ModerationInput } from "@/lib/moderation";

const BASE = "http://sim.local/v1";

function setup(o: { moderationFlagRate?: number; ruleBreakRate?: number } = {}) {
  const sim = createSimulator({ profile: "instant", seed: 5, ...o });
  const client = new OpenAI({ fetch: sim.fetch, baseURL: BASE, apiKey: "sim", maxRetries: 0 });
  return { sim, client };
}

const lesson = (extra = ""): ModerationInput => ({
  title: "How Leaves Turn Light Into Food",
  content: `Plants make sugar from light, water and carbon dioxide. ${extra}`.trim(),
  questions: [{ question: "What does chlorophyll catch?", choices: ["Light", "Water", "Soil", "Heat"], explanation: "It absorbs light." }],
});

describe("simulator /v1/moderations", () => {
  it("answers the openai client's moderations.create in OpenAI's shape, free and counted as a call", async () => {
    const { sim, client } = setup();
    const res = await client.moderations.create({ model: "omni-moderation-latest", input: "Plants need light." });
    expect(res.results).toHaveLength(1);
    expect(res.results[0].flagged).toBe(false);
    expect(Object.keys(res.results[0].categories)).toContain("self-harm/instructions");
    expect(res.results[0].category_scores.violence).toBeLessThan(0.01);
    const stats = sim.stats();
    expect(stats.calls).toBe(1);
    expect(stats.log[0]).toMatchObject({ status: 200, promptTokens: 0, completionTokens: 0, model: "omni-moderation-latest" });
  });

  it("flags a text carrying the marker, every time, and leaves the same clean text clean every time", async () => {
    const { client } = setup();
    const bad = await client.moderations.create({ model: "omni-moderation-latest", input: ["Plants need light.", `Do this at home ${SIM_UNSAFE_MARKER}`] });
    expect(bad.results.map((r) => r.flagged)).toEqual([false, true]);
    const flagged = bad.results[1];
    expect(Object.values(flagged.category_scores).some((s) => s >= 0.9)).toBe(true);
  });

  it("flags about the configured share of texts (option), overridden by the header, deterministically per text", async () => {
    const { client } = setup({ moderationFlagRate: 0.05 });
    const texts = Array.from({ length: 400 }, (_, i) => `Lesson text number ${i} about plants and light.`);
    const once = await client.moderations.create({ model: "omni-moderation-latest", input: texts });
    const again = await client.moderations.create({ model: "omni-moderation-latest", input: texts });
    const rate = once.results.filter((r) => r.flagged).length / texts.length;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.09);
    expect(again.results.map((r) => r.flagged)).toEqual(once.results.map((r) => r.flagged));
    const all = await client.moderations.create({ model: "omni-moderation-latest", input: texts.slice(0, 20) }, { headers: { "x-sim-moderation-flags": "1" } });
    expect(all.results.every((r) => r.flagged)).toBe(true);
  });

  it("rejects a request without input (400) and an unknown model (404), recording both", async () => {
    const { sim, client } = setup();
    await expect(client.moderations.create({ model: "omni-moderation-latest", input: [] as string[] })).rejects.toMatchObject({ status: 400 });
    await expect(client.moderations.create({ model: "no-such-model", input: "x" })).rejects.toMatchObject({ status: 404 });
    expect(sim.stats().byStatus).toMatchObject({ "400": 1, "404": 1 });
  });
});

describe("simulator rule breaks", () => {
  async function lessons(sim: ReturnType<typeof createSimulator>, client: OpenAI, count: number, headers?: Record<string, string>) {
    const res = await client.chat.completions.create(
      {
        model: "sim-standard",
        messages: buildLessonMessages({ subject: "Biology", topic: "Photosynthesis", difficulty: "medium" }, { count, answerWith: "tool" }),
        tools: [{ type: "function", function: { name: LESSON_TOOL_NAME, strict: true, parameters: lessonBatchJsonSchema } }],
        tool_choice: { type: "function", function: { name: LESSON_TOOL_NAME } },
      },
      { headers },
    );
    const call = res.choices[0].message.tool_calls?.[0];
    if (!call || call.type !== "function") throw new Error("no tool call");
    return (JSON.parse(call.function.arguments) as { lessons: unknown[] }).lessons;
  }

  it("at rate 1 every lesson breaks a rule the checks catch, while still passing the schema", async () => {
    const { sim, client } = setup({ ruleBreakRate: 1 });
    const raw = await lessons(sim, client, 5);
    for (const l of raw) {
      const checked = checkLesson(l);
      expect(checked.ok).toBe(true);
      if (checked.ok) expect(lessonRuleFailures(checked.lesson).length).toBeGreaterThan(0);
    }
    expect(Object.entries(sim.stats().faults).filter(([k]) => k.startsWith("rule_break:")).reduce((s, [, n]) => s + n, 0)).toBe(5);
  });

  it("at rate 0 no lesson breaks a rule, and the header turns breaks on for one request", async () => {
    const { sim, client } = setup();
    for (const l of await lessons(sim, client, 5)) {
      const checked = checkLesson(l);
      expect(checked.ok && lessonRuleFailures(checked.lesson)).toEqual([]);
    }
    const broken = await lessons(sim, client, 5, { "x-sim-rule-breaks": "1" });
    expect(broken.filter((l) => {
      const c = checkLesson(l);
      return c.ok && lessonRuleFailures(c.lesson).length > 0;
    })).toHaveLength(5);
  });
});

describe("moderation ports", () => {
  it("the endpoint port maps the endpoint's flags onto classroom categories and reports one free attempt", async () => {
    const { sim } = setup();
    const port = endpointModeration({ provider: "sim", baseURL: BASE, fetch: sim.fetch, clock: sim.clock });
    const clean = await port.screen(lesson());
    expect(clean.verdict).toEqual({ flagged: false, findings: [], reason: null });
    expect(clean.reports).toHaveLength(1);
    expect(clean.reports[0]).toMatchObject({ status: 200, errorCode: null, usage: { promptTokens: 0, completionTokens: 0 } });
    const unsafe = await port.screen(lesson(SIM_UNSAFE_MARKER));
    expect(unsafe.verdict.flagged).toBe(true);
    expect(unsafe.verdict.findings[0]).toMatchObject({ source: "endpoint", severity: "high" });
    expect(unsafe.verdict.reason).toMatch(/high/);
  });

  it("blocks external links and contact details with a local rule, whatever the provider says", async () => {
    expect(localFindings("See https://example.com/more for details.")[0]).toMatchObject({ category: "external_links", severity: "medium" });
    expect(localFindings("Write to teacher@school.org.")[0]).toMatchObject({ category: "external_links" });
    expect(localFindings("Plants need light, e.g. from the sun.")).toEqual([]);
    const { sim } = setup();
    const port = endpointModeration({ provider: "sim", baseURL: BASE, fetch: sim.fetch, clock: sim.clock });
    expect((await port.screen(lesson("Read more at www.plants-for-kids.com today."))).verdict.flagged).toBe(true);
  });

  it("a screen that cannot run throws with what it cost (the engine then delivers nothing unscreened)", async () => {
    const failing = (async () => new Response(JSON.stringify({ error: { message: "down" } }), { status: 503 })) as typeof fetch;
    const { sim } = setup();
    const port = endpointModeration({ provider: "sim", baseURL: BASE, fetch: failing, clock: sim.clock, maxAttempts: 2 });
    const err = await port.screen(lesson()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModerationFailed);
    expect((err as ModerationFailed).reports.map((r) => r.status)).toEqual([503, 503]);
  });

  it("the rubric port has the model check the classroom rubric and reads its findings", async () => {
    const answers = ['{"findings": [{"category": "dangerous_behaviour", "severity": "medium", "detail": "mixing bleach at home"}]}', '{"findings": [{"category": "upsetting", "severity": "low"}]}'];
    const seen: string[] = [];
    const fake: LlmGateway = {
      provider: "groq",
      target: () => ({ provider: "groq", model: "llama-3.3-70b-versatile", capabilities: { strictTools: false, forcedToolChoice: true, jsonSchema: false, jsonObject: true, streaming: true, streamingTools: false, promptCacheKey: false, maxOutputTokens: 8192, contextWindow: 131072 } }),
      chat: async (params, options) => {
        seen.push(JSON.stringify(params.messages));
        options?.onAttempt?.({ attempt: 1, startedAt: 0, latencyMs: 5, ttftMs: null, status: 200, errorCode: null, finishReason: "stop", usage: { promptTokens: 400, cachedTokens: 0, completionTokens: 30 } });
        return { content: answers.shift() ?? "", toolArguments: null, finishReason: "stop", usage: { promptTokens: 400, cachedTokens: 0, completionTokens: 30 }, latencyMs: 5, ttftMs: null, status: 200 } satisfies ChatResult;
      },
      countTokens: () => 0,
      countPromptTokens: () => 0,
    };
    const port = moderationFor({ llm: fake, provider: "groq", baseURL: "https://api.groq.com/openai/v1", clock: { now: () => 0, sleep: async () => {} } });
    expect(port.kind).toBe("rubric");
    const flagged = await port.screen(lesson());
    expect(flagged.verdict).toMatchObject({ flagged: true, reason: expect.stringMatching(/dangerous behaviour/) });
    expect(flagged.reports[0].usage.promptTokens).toBe(400);
    expect(seen[0]).toContain("imitable dangerous behaviour");
    const low = await rubricModeration(fake).screen(lesson());
    expect(low.verdict.flagged).toBe(false); // a low finding is recorded, not blocking
    expect(low.verdict.findings).toHaveLength(1);
    expect(() => parseRubricAnswer("Sure! Looks fine to me.")).toThrow();
    expect(parseRubricAnswer('{"findings": [{"category": "made_up", "severity": "high"}]}')).toEqual([]);
  });

  it("the simulator's chat models answer the rubric with the endpoint's verdict (LLM_PROVIDER=custom on the simulator)", async () => {
    const { sim, client } = setup({ moderationFlagRate: 0.05 });
    const gateway = createGateway({ provider: "custom", baseURL: BASE, model: "sim-mini", maxConcurrency: 2, timeoutMs: 5_000 }, { fetch: sim.fetch });
    const port = moderationFor({ llm: gateway, provider: "custom", baseURL: BASE, clock: sim.clock });
    expect(port.kind).toBe("rubric");
    const clean = await port.screen(lesson());
    expect(clean.verdict).toMatchObject({ flagged: false, findings: [] });
    expect(clean.reports).toHaveLength(1);
    expect(sim.stats().log.at(-1)).toMatchObject({ model: "sim-mini", status: 200 }); // a chat call, paid in tokens
    // Its usage event carries the attempt's id, so the write-ahead row of the call is cleared, not charged twice.
    const [event] = moderationUsageEvents({ provider: "custom", model: "sim-mini", feature: "similar", requestId: null, userId: null }, clean.reports, null);
    expect(event.id).toBe(clean.reports[0].id);
    expect(event.completionTokens).toBeGreaterThan(0);
    const marked = await port.screen(lesson(SIM_UNSAFE_MARKER));
    expect(marked.verdict.flagged).toBe(true);
    // Same text, same verdict as the endpoint, at the flag rate too.
    const inputs = Array.from({ length: 40 }, (_, i) => lesson(`Fact number ${i}.`));
    const endpoint = await client.moderations.create({ model: "omni-moderation-latest", input: inputs.map(moderationText) });
    const rubric = await Promise.all(inputs.map((l) => port.screen(l)));
    expect(rubric.map((r) => r.verdict.flagged)).toEqual(endpoint.results.map((r) => r.flagged));
  });

  it("OpenAI and the simulator use the endpoint, other presets the rubric", () => {
    const { sim } = setup();
    const llm = {} as LlmGateway;
    expect(moderationFor({ llm, provider: "openai", baseURL: "https://api.openai.com/v1", clock: sim.clock }).kind).toBe("endpoint");
    expect(moderationFor({ llm, provider: "sim", baseURL: BASE, clock: sim.clock }).kind).toBe("endpoint");
    for (const p of ["groq", "cerebras", "deepinfra", "ollama", "custom"] as const) expect(moderationFor({ llm, provider: p, baseURL: "http://x/v1", clock: sim.clock }).kind).toBe("rubric");
  });
});

describe("simulator as the model behind the rubric port", () => {
  const review = async (client: OpenAI, input: ModerationInput) => {
    const { RUBRIC_SYSTEM_PROMPT } = await import("@/lib/moderation");
    const { moderationText } = await import("@/lib/moderation/text");
    const res = await client.chat.completions.create({
      model: "sim-mini",
      messages: [
        { role: "system", content: RUBRIC_SYSTEM_PROMPT },
        { role: "user", content: `Lesson to review (JSON):\n${JSON.stringify(moderationText(input))}` },
      ],
      response_format: { type: "json_object" },
    });
    return parseRubricAnswer(res.choices[0].message.content ?? "");
  };

  it("answers a rubric review with a findings object: empty for a clean lesson, high for a flagged one", async () => {
    const { sim, client } = setup();
    expect(await review(client, lesson())).toEqual([]);
    const flagged = await review(client, lesson(`Try it at home ${SIM_UNSAFE_MARKER}`));
    expect(flagged).toHaveLength(1);
    expect(flagged[0].severity).toBe("high");
    // Reviews are ordinary chat calls: billed tokens, no lesson written.
    expect(sim.stats().log.every((e) => e.promptTokens > 0 && e.completionTokens > 0)).toBe(true);
  });
});
