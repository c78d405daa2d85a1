// The simulator's Files and Batch API and its flex tier, through the real openai client over HTTP
// (npm run sim's server) and in fetch mode.
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, startSimServer } from "@/lib/llm/sim";

const HOUR = 3600_000;
const line = (i: number, model = "sim-mini") =>
  JSON.stringify({ custom_id: `chunk-${i}`, method: "POST", url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content: "Write 2 lessons about tides as JSON." }] } });
const jsonl = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join("\n");
const terminal = ["completed", "failed", "expired", "cancelled"];

async function waitFor(client: OpenAI, id: string, budgetMs = 15_000) {
  const started = Date.now();
  for (;;) {
    const b = await client.batches.retrieve(id);
    if (terminal.includes(b.status)) return b;
    if (Date.now() - started > budgetMs) throw new Error(`batch ${id} still ${b.status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("simulator Batch API over HTTP with the openai client", () => {
  let server: Awaited<ReturnType<typeof startSimServer>>;
  let client: OpenAI;
  beforeAll(async () => {
    // 1 h simulated = 36 ms real.
    server = await startSimServer({ port: 0, profile: "instant", timeScale: 1e-5, seed: 5, batchExpireRate: 0, batchLineErrorRate: 0 });
    client = new OpenAI({ apiKey: "sim", baseURL: server.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("uploads a JSONL file, creates a batch with metadata, completes it and serves the output with usage per line", async () => {
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl(4)), "in.jsonl"), purpose: "batch" });
    expect(file).toMatchObject({ object: "file", purpose: "batch", filename: "in.jsonl" });
    expect(await (await client.files.content(file.id)).text()).toBe(jsonl(4));
    const created = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { lessonloom_key: "k1" } });
    expect(created.status === "validating" || created.status === "in_progress").toBe(true);
    expect(created.metadata).toEqual({ lessonloom_key: "k1" });
    expect(created.expires_at! - created.created_at).toBe(24 * 3600);
    const done = await waitFor(client, created.id);
    expect(done.status).toBe("completed");
    expect(done.request_counts).toEqual({ total: 4, completed: 4, failed: 0 });
    expect(done.error_file_id).toBeNull();
    const out = (await (await client.files.content(done.output_file_id!)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(out.map((l) => l.custom_id).sort()).toEqual(["chunk-0", "chunk-1", "chunk-2", "chunk-3"]);
    for (const l of out) {
      expect(l.error).toBeNull();
      expect(l.response.status_code).toBe(200);
      expect(l.response.body.usage.completion_tokens).toBeGreaterThan(0);
      expect(l.response.body.choices[0].message.content).toContain("lessons");
    }
    expect(done.usage?.output_tokens).toBe(out.reduce((s, l) => s + l.response.body.usage.completion_tokens, 0));
    // Batch lines are not chat calls: the rate windows and the chat log did not see them.
    expect(server.sim.stats().calls).toBe(0);
  });

  it("lists batches newest first with pagination and finds one by its metadata", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const f = await client.files.create({ file: await toFile(Buffer.from(jsonl(1)), `l${i}.jsonl`), purpose: "batch" });
      ids.push((await client.batches.create({ input_file_id: f.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { lessonloom_key: `list-${i}` } })).id);
    }
    const page = await client.batches.list({ limit: 2 });
    expect(page.data.map((b) => b.id)).toEqual([ids[2], ids[1]]);
    expect(page.hasNextPage()).toBe(true);
    const seen: string[] = [];
    for await (const b of client.batches.list({ limit: 2 })) seen.push(b.metadata?.lessonloom_key ?? "");
    expect(seen).toEqual(expect.arrayContaining(["list-0", "list-1", "list-2", "k1"]));
  });

  it("fails a batch whose input is invalid (duplicate custom_id, mixed models) and names the lines", async () => {
    const bad = [line(0), line(0), line(1, "sim-standard")].join("\n");
    const f = await client.files.create({ file: await toFile(Buffer.from(bad), "bad.jsonl"), purpose: "batch" });
    const b = await waitFor(client, (await client.batches.create({ input_file_id: f.id, endpoint: "/v1/chat/completions", completion_window: "24h" })).id);
    expect(b.status).toBe("failed");
    expect(b.errors?.data?.map((e) => [e.code, e.line])).toEqual([
      ["duplicate_custom_id", 2],
      ["mismatched_model", 3],
    ]);
  });

  it("rejects a batch on a file not uploaded for batch, and an unknown file", async () => {
    const f = await client.files.create({ file: await toFile(Buffer.from(jsonl(1)), "x.jsonl"), purpose: "user_data" });
    await expect(client.batches.create({ input_file_id: f.id, endpoint: "/v1/chat/completions", completion_window: "24h" })).rejects.toMatchObject({ status: 400 });
    await expect(client.batches.create({ input_file_id: "file_nope", endpoint: "/v1/chat/completions", completion_window: "24h" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("simulator Batch API: time, expiry, cancel, line errors, flex (fetch mode)", () => {
  const clientFor = (sim: ReturnType<typeof createSimulator>) => new OpenAI({ apiKey: "sim", baseURL: "http://sim.local/v1", fetch: sim.fetch, maxRetries: 0 });

  it("an expired batch keeps its partial results; the rest is in the error file as batch_expired", async () => {
    const sim = createSimulator({ profile: "instant", timeScale: 1e-6, batchExpireRate: 1, batchExpireDoneFraction: 0.5, batchLineErrorRate: 0 });
    const c = clientFor(sim);
    const f = await c.files.create({ file: await toFile(Buffer.from(jsonl(6)), "e.jsonl"), purpose: "batch" });
    const b = await waitFor(c, (await c.batches.create({ input_file_id: f.id, endpoint: "/v1/chat/completions", completion_window: "24h" })).id);
    expect(b.status).toBe("expired");
    expect(b.expired_at! - b.created_at).toBe(24 * 3600);
    expect(b.request_counts).toEqual({ total: 6, completed: 3, failed: 3 });
    const errors = (await (await c.files.content(b.error_file_id!)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(errors.map((e) => e.error.code)).toEqual(["batch_expired", "batch_expired", "batch_expired"]);
  });

  it("a cancelled batch keeps what was done by then", async () => {
    const sim = createSimulator({ profile: "instant", timeScale: 1, batchMedianMs: 10 * HOUR, batchSigma: 0, batchExpireRate: 0, batchLineErrorRate: 0 });
    const c = clientFor(sim);
    const f = await c.files.create({ file: await toFile(Buffer.from(jsonl(3)), "c.jsonl"), purpose: "batch" });
    const created = await c.batches.create({ input_file_id: f.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const cancelled = await c.batches.cancel(created.id);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.request_counts).toEqual({ total: 3, completed: 0, failed: 3 });
    expect(cancelled.output_file_id).toBeNull();
  });

  it("completion times follow the configured log-normal: median near 1 h, most within a few hours, a long tail", async () => {
    // 24 h simulated = 86 ms real.
    const sim = createSimulator({ profile: "instant", timeScale: 1e-6, batchExpireRate: 0, batchLineErrorRate: 0, seed: 9 });
    const c = clientFor(sim);
    const f = await c.files.create({ file: await toFile(Buffer.from(jsonl(1)), "t.jsonl"), purpose: "batch" });
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) ids.push((await c.batches.create({ input_file_id: f.id, endpoint: "/v1/chat/completions", completion_window: "24h" })).id);
    await new Promise((r) => setTimeout(r, 150));
    const hours: number[] = [];
    let expired = 0;
    for (const id of ids) {
      const b = await c.batches.retrieve(id);
      if (b.status === "expired") expired++;
      else hours.push((b.completed_at! - b.created_at) / 3600);
    }
    hours.sort((a, b) => a - b);
    const median = hours[Math.floor(hours.length / 2)];
    const p90 = hours[Math.floor(hours.length * 0.9)];
    expect(median).toBeGreaterThan(0.7);
    expect(median).toBeLessThan(1.4);
    expect(p90).toBeGreaterThan(2.5); // σ = 1.2: p90 ≈ 4.7 h
    expect(hours[hours.length - 1]).toBeLessThanOrEqual(24);
    // Draws past the 24 h window expire (about 0.4% at σ = 1.2).
    expect(expired).toBeLessThan(6);
  });

  it("line errors go to the error file with their status; flex calls answer 429 at the configured rate", async () => {
    const sim = createSimulator({ profile: "instant", timeScale: 1e-6, batchExpireRate: 0, batchLineErrorRate: 0.5, flex429Rate: 0.3, seed: 4 });
    const c = clientFor(sim);
    const f = await c.files.create({ file: await toFile(Buffer.from(jsonl(40)), "f.jsonl"), purpose: "batch" });
    const b = await waitFor(c, (await c.batches.create({ input_file_id: f.id, endpoint: "/v1/chat/completions", completion_window: "24h" })).id);
    expect(b.status).toBe("completed");
    expect(b.request_counts!.failed).toBeGreaterThan(8);
    expect(b.request_counts!.completed).toBeGreaterThan(8);
    const errors = (await (await c.files.content(b.error_file_id!)).text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(errors).toHaveLength(b.request_counts!.failed);
    expect(errors.every((e) => e.response.status_code === 500 && e.error === null)).toBe(true);

    let limited = 0;
    for (let i = 0; i < 100; i++) {
      try {
        await c.chat.completions.create({ model: "sim-mini", service_tier: "flex", messages: [{ role: "user", content: "Write 1 lesson about tides as JSON." }] });
      } catch (err) {
        expect(err).toMatchObject({ status: 429, code: "resource_unavailable" });
        limited++;
      }
    }
    expect(limited).toBeGreaterThan(15);
    expect(limited).toBeLessThan(45);
  });
});
