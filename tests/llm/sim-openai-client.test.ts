// The official openai client against the simulator, in-process (fetch) and over HTTP (server).
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLessonMessages, lessonBatchJsonSchema, LESSON_TOOL_NAME, strictLessonSchema } from "@/lib/lessons";
import { countChatPromptTokens } from "@/lib/llm/tokens";
import { createSimulator, startSimServer, type Simulator } from "@/lib/llm/sim";

type Mode = { name: string; setup(): Promise<{ client: OpenAI; sim: Simulator; close(): Promise<void> }> };

const modes: Mode[] = [
  {
    name: "fetch mode",
    async setup() {
      const sim = createSimulator({ profile: "fast", timeScale: 0.05, seed: 11 });
      const client = new OpenAI({ fetch: sim.fetch, baseURL: "http://sim.local/v1", apiKey: "sim", maxRetries: 0 });
      return { client, sim, close: async () => {} };
    },
  },
  {
    name: "server mode",
    async setup() {
      const server = await startSimServer({ port: 0, profile: "fast", timeScale: 0.05, seed: 11 });
      const client = new OpenAI({ baseURL: server.url, apiKey: "sim", maxRetries: 0 });
      return { client, sim: server.sim, close: () => server.close() };
    },
  },
];

function lessonParams(topic: string, count: number) {
  const messages = buildLessonMessages({ subject: "Biology", topic, difficulty: "medium" }, { count, answerWith: "tool" });
  return {
    model: "sim-standard",
    messages,
    tools: [{ type: "function" as const, function: { name: LESSON_TOOL_NAME, strict: true, parameters: lessonBatchJsonSchema } }],
    tool_choice: { type: "function" as const, function: { name: LESSON_TOOL_NAME } },
  };
}

function toolArgs(c: OpenAI.Chat.ChatCompletion): string {
  const call = c.choices[0].message.tool_calls?.[0];
  if (!call || call.type !== "function") throw new Error("no function tool call");
  return call.function.arguments;
}

describe.each(modes)("openai client against the simulator, $name", (mode) => {
  let ctx: Awaited<ReturnType<Mode["setup"]>>;
  beforeAll(async () => {
    ctx = await mode.setup();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it("answers a forced tool call with schema-valid lessons about the cued topic, with usage", async () => {
    const params = lessonParams("Photosynthesis", 3);
    const res = await ctx.client.chat.completions.create(params);
    const parsed = JSON.parse(toolArgs(res)) as { lessons: unknown[] };
    expect(parsed.lessons).toHaveLength(3);
    const checked = parsed.lessons.map((l) => strictLessonSchema.parse(l));
    expect(checked.map((c) => c.slot)).toEqual([0, 1, 2]);
    for (const c of checked) {
      expect(c.lesson.title).toContain("Photosynthesis");
      expect(c.lesson.difficulty).toBe("medium");
      const words = c.lesson.content.split(/\s+/).length;
      expect(words).toBeGreaterThanOrEqual(80);
      expect(words).toBeLessThanOrEqual(105);
      expect(c.lesson.content).toMatch(/For example/);
      for (const q of c.lesson.questions) expect(q.explanation.length).toBeLessThanOrEqual(280);
    }
    expect(new Set(checked.map((c) => c.lesson.title)).size).toBe(3);
    // A named tool_choice ends with "stop", as OpenAI's API does.
    expect(res.choices[0].finish_reason).toBe("stop");
    expect(res.usage?.prompt_tokens).toBe(countChatPromptTokens(params));
    expect(res.usage?.completion_tokens).toBeGreaterThan(500);
    expect(res.usage?.total_tokens).toBe((res.usage?.prompt_tokens ?? 0) + (res.usage?.completion_tokens ?? 0));
  });

  it("gives new titles on the next call for the same topic", async () => {
    const a = JSON.parse(toolArgs(await ctx.client.chat.completions.create(lessonParams("Cell Division", 2)))) as { lessons: { title: string }[] };
    const b = JSON.parse(toolArgs(await ctx.client.chat.completions.create(lessonParams("Cell Division", 2)))) as { lessons: { title: string }[] };
    const titles = [...a.lessons, ...b.lessons].map((l) => l.title);
    expect(new Set(titles).size).toBe(4);
  });

  it("streams tool-call argument deltas that reassemble into the full arguments, with usage last", async () => {
    const stream = await ctx.client.chat.completions.create({ ...lessonParams("Enzymes", 2), stream: true, stream_options: { include_usage: true } });
    let args = "";
    let deltas = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let name: string | undefined;
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta?.tool_calls?.[0];
      if (d?.function?.name) name = d.function.name;
      if (d?.function?.arguments) {
        args += d.function.arguments;
        deltas++;
      }
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(name).toBe(LESSON_TOOL_NAME);
    expect(deltas).toBeGreaterThan(10);
    const parsed = JSON.parse(args) as { lessons: unknown[] };
    expect(parsed.lessons.map((l) => strictLessonSchema.parse(l).slot)).toEqual([0, 1]);
    expect(finish).toBe("stop");
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
  });

  it("cuts the answer at max_tokens with finish_reason length", async () => {
    const res = await ctx.client.chat.completions.create({ ...lessonParams("Osmosis", 2), max_tokens: 60 });
    expect(res.choices[0].finish_reason).toBe("length");
    expect(res.usage?.completion_tokens).toBe(60);
    expect(() => JSON.parse(toolArgs(res))).toThrow();
  });

  it("truncates on request (x-sim-faults) when streaming too", async () => {
    const stream = await ctx.client.chat.completions.create(
      { ...lessonParams("Osmosis", 2), stream: true, stream_options: { include_usage: true } },
      { headers: { "x-sim-faults": "truncate=1" } },
    );
    let finish: string | null = null;
    for await (const chunk of stream) if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
    expect(finish).toBe("length");
  });

  it("answers json_schema response formats in the message content", async () => {
    const res = await ctx.client.chat.completions.create({
      model: "sim-mini",
      messages: [{ role: "user", content: "Subject: History\nTopic: The Printing Press\nNumber of lessons: 2" }],
      response_format: { type: "json_schema", json_schema: { name: "lessons", strict: true, schema: lessonBatchJsonSchema } },
    });
    const parsed = JSON.parse(res.choices[0].message.content ?? "") as { lessons: unknown[] };
    expect(parsed.lessons.map((l) => strictLessonSchema.parse(l).lesson.title.includes("Printing Press"))).toEqual([true, true]);
  });

  it("rejects json_object without the word json, and an unknown model, like OpenAI", async () => {
    await expect(
      ctx.client.chat.completions.create({ model: "sim-standard", messages: [{ role: "user", content: "hi" }], response_format: { type: "json_object" } }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(ctx.client.chat.completions.create({ model: "gpt-nope", messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({
      status: 404,
      code: "model_not_found",
    });
  });

  it("lists its models", async () => {
    const list = await ctx.client.models.list();
    expect(list.data.map((m) => m.id)).toEqual(["sim-standard", "sim-mini"]);
  });
});

describe("simulator server extras", () => {
  it("serves /sim/stats, honours x-sim-faults over HTTP and drops the connection on reset", async () => {
    const server = await startSimServer({ port: 0, profile: "instant", seed: 3 });
    try {
      const base = server.url.replace(/\/v1$/, "");
      const body = JSON.stringify({ model: "sim-standard", messages: [{ role: "user", content: "Topic: Tides" }] });
      const post = (faults?: string) =>
        fetch(`${server.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...(faults ? { "x-sim-faults": faults } : {}) }, body });
      expect((await post()).status).toBe(200);
      expect((await post("unavailable")).status).toBe(503);
      await expect(post("reset=1")).rejects.toThrow();
      const stats = (await (await fetch(`${base}/sim/stats`)).json()) as { calls: number; byStatus: Record<string, number>; faults: Record<string, number> };
      expect(stats.calls).toBe(3);
      expect(stats.byStatus).toEqual({ "200": 1, "503": 1, none: 1 });
      expect(stats.faults).toEqual({ unavailable: 1, reset: 1 });
    } finally {
      await server.close();
    }
  });
});
