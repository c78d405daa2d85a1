// Test world for the batch engine: the simulator in-process, the real gateway over it, an in-memory
// usage sink and fresh batch state, so every test starts with closed circuits.
import { createBatchState } from "@/lib/batch/batch-state";
import { generateLessonBatch } from "@/lib/batch/generate-lesson-batch";
import type { BatchConfig, BatchDeps, BatchOptions, LessonRequest, LessonResult } from "@/lib/batch/types";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator, type SimProfileName } from "@/lib/llm/sim";
import type { Capabilities, LlmGateway } from "@/lib/llm/types";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";

export interface World {
  sim: ReturnType<typeof createSimulator>;
  gateway: LlmGateway;
  usage: MemoryUsageSink;
  deps: BatchDeps;
}

export function createWorld(o: { profile?: SimProfileName; timeScale?: number; config?: Partial<BatchConfig>; caps?: Partial<Capabilities>; timeoutMs?: number; maxConcurrency?: number } = {}): World {
  const sim = createSimulator({ profile: o.profile ?? "instant", timeScale: o.timeScale ?? 1, seed: 7 });
  const base = createGateway(
    { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: o.maxConcurrency ?? 10, timeoutMs: o.timeoutMs ?? 1500, maxAttempts: 3, deadlineMs: 600_000 },
    { fetch: sim.fetch, clock: sim.clock, random: () => 0 }, // no backoff jitter: retries wait the minimum
  );
  // Capability overrides stand in for other providers (smaller output limits, weaker output modes).
  const gateway: LlmGateway = o.caps
    ? {
        provider: base.provider,
        target: (p) => {
          const t = base.target(p);
          return { ...t, capabilities: { ...t.capabilities, ...o.caps } };
        },
        chat: (params, options) => base.chat(params, options),
        countTokens: (t) => base.countTokens(t),
        countPromptTokens: (p) => base.countPromptTokens(p),
      }
    : base;
  const usage = new MemoryUsageSink();
  let seed = 1;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  return { sim, gateway, usage, deps: { llm: gateway, usage, clock: sim.clock, state: createBatchState(), random, config: o.config } };
}

export function requests(n: number, extra: Partial<LessonRequest> = {}): LessonRequest[] {
  return Array.from({ length: n }, () => ({ subject: "Biology", topic: "Photosynthesis", difficulty: "easy" as const, ...extra }));
}

/**
 * Runs a batch to the end: every result in slot order. `onResult` sees each one as it arrives; without
 * it the calls are not streamed, as a caller that only wants the whole batch would ask.
 */
export async function runBatch(
  deps: BatchDeps,
  reqs: readonly LessonRequest[],
  opts: BatchOptions & { onResult?: (r: LessonResult) => void } = {},
): Promise<LessonResult[]> {
  const { onResult, ...rest } = opts;
  return collect(generateLessonBatch(deps, reqs, { stream: onResult !== undefined, ...rest }), onResult);
}

/** Drains a result stream into slot order, showing each result to `each` as it arrives. */
export async function collect(results: AsyncIterable<LessonResult>, each?: (r: LessonResult) => void): Promise<LessonResult[]> {
  const out: LessonResult[] = [];
  for await (const r of results) {
    each?.(r);
    out[r.index] = r;
  }
  return out;
}
