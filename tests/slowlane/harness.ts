// The slow lane's test world: the simulator in-process (chat, files, batches), the real openai client
// and the real gateway over it, batches recorded in a migrated test database, usage in memory, and a
// delivery that records every slot it is handed (so a slot delivered twice is seen).
import OpenAI from "openai";
import { createGateway } from "@/lib/llm/gateway";
import { SIM_BASE_URL } from "@/lib/llm/presets";
import { createSimulator, type SimOptions } from "@/lib/llm/sim";
import type { TestDb } from "@/lib/db/testing";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";
import { createDbSlowLaneStore } from "@/lib/slowlane/store";
import type { DeliveredLesson, SlowGroup, SlowLaneConfig, SlowLaneDeps, SlowLaneDelivery } from "@/lib/slowlane/types";

export interface RecordingDelivery extends SlowLaneDelivery {
  bySlot: Map<string, DeliveredLesson[]>;
  finished: string[];
}

export function recordingDelivery(): RecordingDelivery {
  const bySlot = new Map<string, DeliveredLesson[]>();
  const finished: string[] = [];
  return {
    bySlot,
    finished,
    async deliver(group, lessons) {
      for (const l of lessons) {
        const k = `${group.key.split("~")[0]}/${l.slot}`;
        bySlot.set(k, [...(bySlot.get(k) ?? []), l]);
      }
    },
    async finish(group) {
      finished.push(group.key);
    },
  };
}

export function slowWorld(db: TestDb, simOpts: SimOptions, config: Partial<SlowLaneConfig> = {}) {
  const sim = createSimulator({ profile: "instant", seed: 11, faultRate: 0, batchLineErrorRate: 0, ...simOpts });
  const llm = createGateway(
    { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 10, timeoutMs: 5000, maxAttempts: 3, deadlineMs: 1e13 }, // deadline in simulated ms: the clock runs up to 10⁶× fast
    { fetch: sim.fetch, clock: sim.clock, random: () => 0 },
  );
  const client = new OpenAI({ apiKey: "sim", baseURL: SIM_BASE_URL, fetch: sim.fetch, maxRetries: 0 });
  const usage = new MemoryUsageSink();
  const delivery = recordingDelivery();
  const store = createDbSlowLaneStore(async () => db.provider.as({ role: "service_role" }));
  let seed = 3;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const deps: SlowLaneDeps = { client, store, llm, usage, clock: sim.clock, delivery, random, config: { minLeadMs: 0, deadlineMarginMs: 0, recoverAfterMs: 0, maxPerLine: 5, flex: false, ...config } };
  const batchStats = async () =>
    (await (await sim.fetch("http://sim.local/v1/sim/batch-stats")).json()) as { batchesCreated: number; linesCompleted: number; linesExpired: number; promptTokens: number; completionTokens: number; flexCalls: number; flex429: number };
  return { sim, llm, client, usage, delivery, store, deps, batchStats };
}

export function group(key: string, need: number, deadlineAt: number, extra: Partial<SlowGroup> = {}): SlowGroup {
  return {
    key,
    topicId: "00000000-0000-4000-8000-000000000001",
    subject: "Biology",
    topic: "Photosynthesis",
    difficulty: "easy",
    need,
    avoidTitles: [],
    learners: [],
    requestId: null,
    deadlineAt,
    ...extra,
  };
}

/** Polls on the simulator's clock until nothing is open (or the real-time budget runs out). */
export async function pollUntilDone(deps: SlowLaneDeps, poll: typeof import("@/lib/slowlane/engine").pollSlowLane, realBudgetMs = 20_000) {
  const started = Date.now();
  const summaries = [];
  for (;;) {
    const p = await poll(deps);
    summaries.push(...p.summaries);
    if (p.open === 0 || (p.open === p.settled && p.inFlight === 0 && p.settled > 0 && (await deps.store.open()).length === 0)) return summaries;
    if (Date.now() - started > realBudgetMs) throw new Error("the slow lane did not finish in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
