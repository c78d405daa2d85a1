// One benchmark run's world: an in-process simulator on its own time-scaled clock, the real gateway
// (limiter, retries) over it for `ours`, and a bare openai client over it for the naive baselines.
import OpenAI from "openai";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator, type Simulator, type SimProfileName } from "@/lib/llm/sim";
import type { LlmGateway, ModelTarget, OutputMode, Priority } from "@/lib/llm/types";
import { chooseOutputMode } from "@/lib/batch/output-mode";
import type { Clock } from "@/lib/clock";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";

export interface BenchEnv {
  sim: Simulator;
  clock: Clock;
  gateway: LlmGateway;
  client: OpenAI;
  priority: Priority;
  target: ModelTarget;
  mode: OutputMode;
  usage: MemoryUsageSink;
  /** Cached prompt tokens the baselines saw in their responses (the simulator's stats omit them). */
  baselineCachedTokens: { value: number };
}

export interface BenchEnvOptions {
  profile: SimProfileName;
  timeScale: number;
  seed: number;
  priority: Priority;
  /** Provider limits of the simulator; the gateway is configured with the same, as a deployment would be. */
  rpm?: number;
  tpm?: number;
}

export function createBenchEnv(o: BenchEnvOptions): BenchEnv {
  const sim = createSimulator({ profile: o.profile, timeScale: o.timeScale, seed: o.seed, rpm: o.rpm, tpm: o.tpm });
  // The simulator's clock carries its timeScale, so the gateway converts header durations right.
  const clock: Clock = sim.clock;
  const gateway = createGateway(
    {
      provider: "sim",
      model: "sim-standard",
      backgroundModel: "sim-mini",
      maxConcurrency: 10,
      rpm: o.rpm,
      tpm: o.tpm,
      timeoutMs: Math.max(1000, 120_000 * o.timeScale), // real ms
      maxAttempts: 4,
      deadlineMs: 45 * 60_000,
    },
    { fetch: sim.fetch, clock },
  );
  const client = new OpenAI({
    apiKey: "sim",
    baseURL: "http://sim.local/v1",
    fetch: sim.fetch,
    maxRetries: 0, // naive: no retries
    timeout: Math.max(1000, 120_000 * o.timeScale),
  });
  const target = gateway.target(o.priority);
  return {
    sim,
    clock,
    gateway,
    client,
    priority: o.priority,
    target,
    mode: chooseOutputMode(target.capabilities),
    usage: new MemoryUsageSink(),
    baselineCachedTokens: { value: 0 },
  };
}
