// One benchmark run's world: an in-process simulator (a provider-class profile) on its own
// time-scaled clock, and two gateways over it configured the same way (limiter, concurrency cap):
// `ours` with the app's retry budget, and `naive` with the openai SDK's default of 2 retries.
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator, SIM_PROFILES, type Simulator, type SimProfileName } from "@/lib/llm/sim";
import type { LlmGateway, ModelTarget, OutputMode, Priority } from "@/lib/llm/types";
import { chooseOutputMode } from "@/lib/batch/output-mode";
import type { Clock } from "@/lib/clock";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";

export interface BenchEnv {
  sim: Simulator;
  clock: Clock;
  gateway: LlmGateway; // ours
  naive: LlmGateway; // the baselines: same limiter, the SDK's default retries
  priority: Priority;
  target: ModelTarget;
  mode: OutputMode;
  usage: MemoryUsageSink;
}

export interface BenchEnvOptions {
  profile: SimProfileName;
  timeScale: number;
  seed: number;
  priority: Priority;
  rpm?: number;
  tpm?: number;
  faultRate?: number;
}

export function createBenchEnv(o: BenchEnvOptions): BenchEnv {
  const sim = createSimulator({ profile: o.profile, timeScale: o.timeScale, seed: o.seed, rpm: o.rpm, tpm: o.tpm, faultRate: o.faultRate });
  const [model, backgroundModel] = SIM_PROFILES[o.profile].models;
  const clock: Clock = sim.clock;
  const config = {
    provider: "sim" as const,
    model,
    backgroundModel,
    maxConcurrency: 10,
    rpm: o.rpm,
    tpm: o.tpm,
    timeoutMs: Math.max(1000, 120_000 * o.timeScale), // real ms
    deadlineMs: 45 * 60_000,
  };
  // Retry jitter from the seed, so a run is reproducible.
  let r = o.seed * 7919 + 1;
  const random = () => ((r = (r * 16807) % 2147483647) / 2147483647);
  const gateway = createGateway({ ...config, maxAttempts: 4 }, { fetch: sim.fetch, clock, random });
  const naive = createGateway({ ...config, maxAttempts: 3 }, { fetch: sim.fetch, clock, random });
  const target = gateway.target(o.priority);
  return { sim, clock, gateway, naive, priority: o.priority, target, mode: chooseOutputMode(target.capabilities), usage: new MemoryUsageSink() };
}
