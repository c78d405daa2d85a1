// The simulator's own behaviour: faults, determinism, prompt caching, its rate limit, latency, stats.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { buildLessonMessages, lessonBatchJsonSchema, LESSON_TOOL_NAME, strictLessonSchema } from "@/lib/lessons";
import { createSimulator, type FaultKind, type SimOptions } from "@/lib/llm/sim";
import { parsePromptCues } from "@/lib/llm/sim/prompt-cues";

function client(opts: SimOptions = {}) {
  const sim = createSimulator({ profile: "instant", seed: 42, ...opts });
  return { sim, openai: new OpenAI({ fetch: sim.fetch, baseURL: "http://sim.local/v1", apiKey: "sim", maxRetries: 0 }) };
}

function params(topic: string, count: number, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) {
  return {
    model: "sim-standard",
    messages: buildLessonMessages({ subject: "Physics", topic, difficulty: "easy" }, { count, answerWith: "tool" }),
    tools: [{ type: "function" as const, function: { name: LESSON_TOOL_NAME, strict: true, parameters: lessonBatchJsonSchema } }],
    tool_choice: { type: "function" as const, function: { name: LESSON_TOOL_NAME } },
    ...extra,
  };
}

function args(res: OpenAI.Chat.ChatCompletion): string {
  const call = res.choices[0].message.tool_calls?.[0];
  return call && call.type === "function" ? call.function.arguments : "";
}

async function withFault(fault: FaultKind, count = 3) {
  const { sim, openai } = client();
  const res = await openai.chat.completions.create(params("Momentum", count), { headers: { "x-sim-faults": `${fault}=1` } });
  return { sim, res };
}

describe("simulator content", () => {
  it("is deterministic for a seed and differs across seeds", async () => {
    const a = await client({ seed: 1 }).openai.chat.completions.create(params("Friction", 2));
    const b = await client({ seed: 1 }).openai.chat.completions.create(params("Friction", 2));
    const c = await client({ seed: 2 }).openai.chat.completions.create(params("Friction", 2));
    expect(args(a)).toBe(args(b));
    expect(args(a)).not.toBe(args(c));
  });

  it("keeps titles distinct over many successive calls for one topic", async () => {
    const { openai } = client();
    const titles: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await openai.chat.completions.create(params("Gravity", 5));
      for (const l of (JSON.parse(args(res)) as { lessons: { title: string }[] }).lessons) titles.push(l.title);
    }
    expect(titles).toHaveLength(50);
    expect(new Set(titles).size).toBe(50);
  });

  it("fills any schema, including ones it has never seen", async () => {
    const { openai } = client();
    const schema = {
      type: "object",
      additionalProperties: false,
      required: ["name", "count", "ratio", "tags", "kind", "nested", "maybe"],
      properties: {
        name: { type: "string", minLength: 5, maxLength: 40 },
        count: { type: "integer", minimum: 3, maximum: 9 },
        ratio: { type: "number", minimum: 0, maximum: 1 },
        tags: { type: "array", items: { type: "string" }, minItems: 2, maxItems: 4 },
        kind: { type: "string", enum: ["a", "b"] },
        nested: { $ref: "#/$defs/inner" },
        maybe: { anyOf: [{ type: "null" }, { type: "boolean" }] },
      },
      $defs: { inner: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false } },
    };
    const res = await openai.chat.completions.create({
      model: "sim-mini",
      messages: [{ role: "user", content: "Topic: Anything" }],
      response_format: { type: "json_schema", json_schema: { name: "x", strict: true, schema } },
    });
    const v = JSON.parse(res.choices[0].message.content ?? "") as Record<string, unknown>;
    expect(typeof v.name).toBe("string");
    expect((v.name as string).length).toBeGreaterThanOrEqual(5);
    expect((v.name as string).length).toBeLessThanOrEqual(40);
    expect(Number.isInteger(v.count) && (v.count as number) >= 3 && (v.count as number) <= 9).toBe(true);
    expect((v.tags as string[]).length).toBeGreaterThanOrEqual(2);
    expect(["a", "b"]).toContain(v.kind);
    expect(v.nested).toEqual({ ok: expect.any(Boolean) });
    expect(typeof v.maybe).toBe("boolean");
  });

  it("answers prompted JSON with a lessons object (sometimes in a code fence) and plain chat with prose", async () => {
    const { openai } = client();
    const json = await openai.chat.completions.create({
      model: "sim-standard",
      messages: buildLessonMessages({ subject: "Art", topic: "Perspective", difficulty: "intro" }, { count: 2, answerWith: "json" }),
    });
    const text = (json.choices[0].message.content ?? "").replace(/^```json\n|\n```$/g, "");
    const parsed = JSON.parse(text) as { lessons: unknown[] };
    expect(parsed.lessons.map((l) => strictLessonSchema.parse(l).lesson.difficulty)).toEqual(["intro", "intro"]);
    const prose = await openai.chat.completions.create({ model: "sim-standard", messages: [{ role: "user", content: "Topic: Colour Theory\nTell me something." }] });
    expect(prose.choices[0].message.content).toMatch(/Colour Theory/);
    expect(() => JSON.parse(prose.choices[0].message.content ?? "")).toThrow();
  });
});

describe("simulator faults", () => {
  it("fewer_items returns fewer lessons than asked", async () => {
    const { res } = await withFault("fewer_items", 4);
    expect((JSON.parse(args(res)) as { lessons: unknown[] }).lessons.length).toBeLessThan(4);
  });

  it("duplicate_items repeats a lesson", async () => {
    const { res } = await withFault("duplicate_items", 3);
    const titles = (JSON.parse(args(res)) as { lessons: { title: string }[] }).lessons.map((l) => l.title);
    expect(new Set(titles).size).toBe(2);
  });

  it("invalid_item breaks one lesson against the schema and leaves the others valid", async () => {
    const { res } = await withFault("invalid_item", 3);
    const lessons = (JSON.parse(args(res)) as { lessons: unknown[] }).lessons;
    const ok = lessons.map((l) => strictLessonSchema.safeParse(l).success);
    expect(ok.filter((x) => !x)).toHaveLength(1);
  });

  it("malformed_json produces arguments that do not parse", async () => {
    const { res, sim } = await withFault("malformed_json");
    expect(() => JSON.parse(args(res))).toThrow();
    expect(sim.stats().faults).toEqual({ malformed_json: 1 });
  });

  it("text_instead_of_tool answers in prose without a tool call", async () => {
    const { res } = await withFault("text_instead_of_tool");
    expect(res.choices[0].message.tool_calls).toBeUndefined();
    expect(res.choices[0].message.content).toMatch(/Here are the lessons/);
  });

  it("queued faults apply to the next calls, one each, in order", async () => {
    const { sim, openai } = client();
    sim.queueFaults("server_error", "unavailable", "rate_limit");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(await openai.chat.completions.create(params("Waves", 1)).then(() => 200, (e: { status: number }) => e.status));
    }
    expect(statuses).toEqual([500, 503, 429, 200]);
    expect(sim.stats().byStatus).toEqual({ "200": 1, "429": 1, "500": 1, "503": 1 });
  });

  it("reset fails the fetch like a dropped connection", async () => {
    const sim = createSimulator({ profile: "instant" });
    sim.queueFaults("reset");
    await expect(sim.fetch("http://sim.local/v1/chat/completions", { method: "POST", body: JSON.stringify(params("Heat", 1)) })).rejects.toThrow(
      "fetch failed",
    );
  });

  it("the chaos profile injects about 20% faults", async () => {
    const { sim, openai } = client({ profile: "chaos", timeScale: 0.0001 });
    for (let i = 0; i < 100; i++) await openai.chat.completions.create(params("Light", 1)).catch(() => null);
    const injected = Object.values(sim.stats().faults).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThanOrEqual(10);
    expect(injected).toBeLessThanOrEqual(32);
  });
});

describe("simulator accounting", () => {
  it("reports cached prompt tokens for a repeated prefix of 1024+ tokens, in 128-token steps", async () => {
    const { openai } = client();
    const longSystem = Array.from({ length: 120 }, (_, i) => `Rule ${i}: write clearly about the topic and keep each lesson short.`).join("\n");
    const ask = (topic: string) => ({ model: "sim-standard", messages: [{ role: "system" as const, content: longSystem }, { role: "user" as const, content: `Topic: ${topic}` }] });
    const first = await openai.chat.completions.create(ask("Sound"));
    const second = await openai.chat.completions.create(ask("Magnetism"));
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const cached = second.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect((cached - 1024) % 128).toBe(0);
    expect(cached).toBeLessThanOrEqual(second.usage?.prompt_tokens ?? 0);
    expect((second.usage?.prompt_tokens ?? 0) - cached).toBeLessThan(128 + 20);
    // A short prompt is never cached.
    const short = await openai.chat.completions.create({ model: "sim-standard", messages: [{ role: "user", content: "Topic: Sound" }] });
    const again = await openai.chat.completions.create({ model: "sim-standard", messages: [{ role: "user", content: "Topic: Sound" }] });
    expect(short.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(again.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it("answers over its RPM with 429, retry-after in real seconds and x-ratelimit headers", async () => {
    const sim = createSimulator({ profile: "instant", timeScale: 0.5, rpm: 2, tpm: 1_000_000 });
    const send = () => sim.fetch("http://sim.local/v1/chat/completions", { method: "POST", body: JSON.stringify(params("Energy", 1)) });
    const a = await send();
    expect(a.status).toBe(200);
    expect(a.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(a.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    // ~60 simulated seconds until the first call leaves the window = ~30 real seconds at timeScale 0.5.
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(29);
    expect(retryAfter).toBeLessThanOrEqual(30.001);
    expect(Number(limited.headers.get("retry-after-ms"))).toBeCloseTo(retryAfter * 1000, -1);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limit_exceeded");
  });

  it("takes time to first token plus decode time, scaled by timeScale", async () => {
    const { sim, openai } = client({ profile: "typical", timeScale: 0.1 });
    const started = performance.now();
    const res = await openai.chat.completions.create(params("Pressure", 1));
    const realMs = performance.now() - started;
    // typical: ~400 ms TTFT + ~120 tok/s, ±20% jitter; at timeScale 0.1 the real wait is a tenth.
    const expectedSim = 400 + ((res.usage?.completion_tokens ?? 0) / 120) * 1000;
    expect(realMs).toBeGreaterThan(expectedSim * 0.1 * 0.7);
    expect(realMs).toBeLessThan(expectedSim * 0.1 * 1.3 + 150);
    expect(sim.stats().log[0]).toMatchObject({ status: 200, model: "sim-standard", stream: false });
  });

  it("counts calls and tokens, and resets its stats", async () => {
    const { sim, openai } = client();
    const res = await openai.chat.completions.create(params("Density", 2));
    const s = sim.stats();
    expect(s.calls).toBe(1);
    expect(s.promptTokens).toBe(res.usage?.prompt_tokens);
    expect(s.completionTokens).toBe(res.usage?.completion_tokens);
    sim.resetStats();
    expect(sim.stats()).toMatchObject({ calls: 0, promptTokens: 0, log: [] });
  });
});

describe("prompt cues", () => {
  it.each([
    ["Subject: Biology\nTopic: Photosynthesis\nDifficulty: hard\nNumber of lessons: 4", { subject: "Biology", topic: "Photosynthesis", difficulty: "hard", count: 4, slot: null }],
    ["- **Topic:** Tides\n**Subject**: Earth Science\nSlots: 0, 1\nSlot: 2", { subject: "Earth Science", topic: "Tides", difficulty: "easy", count: null, slot: 2 }],
    ["Topic: Old\n...\nTopic: New\nnumber of lessons: 99", { topic: "New", count: 50 }],
    ["no cues here", { subject: "General Studies", topic: "Learning Strategies", count: null }],
  ])("%j", (text, expected) => {
    expect(parsePromptCues(text)).toMatchObject(expected);
  });
});
