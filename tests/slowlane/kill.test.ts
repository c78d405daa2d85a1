// A worker process SIGKILLed between "batch created" (at the provider) and "batch id saved" (in our
// table): the batch is never lost or doubled. The poller finds it by the key in its metadata and
// settles it; every lesson is delivered once and the provider holds exactly one batch.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { createGateway } from "@/lib/llm/gateway";
import { startSimServer } from "@/lib/llm/sim";
import { pollSlowLane } from "@/lib/slowlane/engine";
import { createDbSlowLaneStore, type SlowLaneStore } from "@/lib/slowlane/store";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";
import { group, pollUntilDone, recordingDelivery } from "./harness";

const root = path.resolve(__dirname, "../..");

function storeBridge(store: SlowLaneStore): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const op = (req.url ?? "").slice(1) as keyof SlowLaneStore;
    try {
      const args = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown[];
      const out = await (store[op] as (...a: unknown[]) => Promise<unknown>)(...args);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out ?? null));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })));
}

describe("slow lane: a worker killed between 'batch created' and 'batch id saved'", () => {
  let db: TestDb;
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  let bridge: { url: string; server: Server };
  let store: SlowLaneStore;
  beforeAll(async () => {
    db = await createTestDb();
    store = createDbSlowLaneStore(async () => db.provider.as({ role: "service_role" }));
    // 24 h simulated = 86 ms real: the batch completes while the parent polls.
    sim = await startSimServer({ port: 0, profile: "instant", timeScale: 1e-6, seed: 21, faultRate: 0, batchExpireRate: 0, batchLineErrorRate: 0 });
    bridge = await storeBridge(store);
  }, 120_000);
  afterAll(async () => {
    bridge?.server.close();
    await sim?.close();
    await db?.cleanup();
  });

  it("the SIGKILLed worker's batch is recovered from the provider's metadata and settled once", async () => {
    const g = group("killed-worker", 8, Date.now() + 1e5 * 3600_000);
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(__dirname, "fixtures/submit-child.ts")], {
      cwd: root,
      env: { ...process.env, SIM_URL: sim.url, STORE_URL: bridge.url, SLOW_GROUP: JSON.stringify(g) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    expect(exit, out).toEqual({ code: null, signal: "SIGKILL" });
    const createdId = /created (\S+)/.exec(out)?.[1];
    expect(createdId).toBeTruthy();

    // Our table knows the batch is owed but not its id; the provider has it.
    const [row] = await store.open();
    expect(row).toMatchObject({ submissionKey: "killed-worker", status: "submitting", providerBatchId: null });
    const client = new OpenAI({ apiKey: "sim", baseURL: sim.url, maxRetries: 0 });
    const provider = await client.batches.retrieve(createdId!);
    expect(provider.metadata).toMatchObject({ lessonloom_key: "killed-worker", row: row.id });

    // Another worker's poll recovers and settles it.
    const usage = new MemoryUsageSink();
    const delivery = recordingDelivery();
    const llm = createGateway({ provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", baseURL: sim.url, maxConcurrency: 4, timeoutMs: 5000, maxAttempts: 2, deadlineMs: 60_000 });
    const deps = { client, store, llm, usage, delivery, clock: { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) }, config: { recoverAfterMs: 0 } };
    const first = await pollSlowLane(deps);
    expect(first).toMatchObject({ recovered: 1, resubmittedLost: 0 });
    await pollUntilDone(deps, pollSlowLane);
    const rows = await db.sql.query("select provider_batch_id, status from public.slow_lane_batches");
    expect(rows).toEqual([{ provider_batch_id: createdId, status: "done" }]);
    const stats = (await (await fetch(`${sim.url}/sim/batch-stats`)).json()) as { batchesCreated: number; linesCompleted: number };
    expect(stats.batchesCreated).toBe(1);
    expect(delivery.bySlot.size).toBe(8);
    for (const lessons of delivery.bySlot.values()) expect(lessons).toHaveLength(1);
    expect(usage.events.filter((e) => e.lane === "batch")).toHaveLength(stats.linesCompleted);
  }, 90_000);
});
