// The counterfactual's one-call-per-lesson world is paced by the gateway's limits (docs/cost-model.md).
// The app's pipeline hands the engine a per-request wrapper (the usage journal, the spend cap) that has
// no limiter of its own: the world must still see the limits of the gateway it wraps. Before, it saw
// none, sent every single call at once, let none hit the cache, and over-reported the saving of a
// TPM-bound prefetch by ~90% in the bench.
import { describe, expect, it } from "vitest";
import { createBatchState } from "@/lib/batch/batch-state";
import { generateLessonBatch } from "@/lib/batch/generate-lesson-batch";
import type { LessonRequest } from "@/lib/batch/types";
import { journaledGateway } from "@/lib/generation/usage-tally";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator } from "@/lib/llm/sim";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";
import { collect } from "./harness";

const topics = ["Photosynthesis", "Cell Division", "Genetics", "Ecosystems", "Evolution", "Enzymes"];

/** Six groups of two background lessons at once, under a TPM limit that makes their single calls queue. */
async function counterfactualUsd(opts: { tpm?: number; wrapped: boolean }): Promise<number> {
  const sim = createSimulator({ profile: "openai-like", timeScale: 0.02, seed: 5 });
  const gateway = createGateway(
    { provider: "sim", model: "sim-openai-like", backgroundModel: "sim-openai-like-mini", maxConcurrency: 10, tpm: opts.tpm, timeoutMs: 10_000, maxAttempts: 3, deadlineMs: 600_000 },
    { fetch: sim.fetch, clock: sim.clock, random: () => 0 },
  );
  const usage = new MemoryUsageSink();
  const llm = opts.wrapped ? journaledGateway(gateway, usage, { requestId: null, userId: null, feature: "fyp-sweep" }) : gateway;
  const state = createBatchState();
  await Promise.all(
    topics.map((topic) => {
      const group: LessonRequest[] = [0, 1].map(() => ({ subject: "Biology", topic, difficulty: "easy" }));
      return collect(generateLessonBatch({ llm, usage, clock: sim.clock, state }, group, { priority: "background", feature: "fyp-sweep" }));
    }),
  );
  return usage.events.reduce((a, e) => a + (e.counterfactualCostUsd ?? 0), 0);
}

describe("counterfactual world behind a per-request wrapper", () => {
  it("is paced by the wrapped gateway's limits, exactly as without the wrapper", async () => {
    const bound = await counterfactualUsd({ tpm: 12_000, wrapped: false });
    const wrapped = await counterfactualUsd({ tpm: 12_000, wrapped: true });
    const unbound = await counterfactualUsd({ wrapped: false });
    // Paced single calls find earlier ones' prompts cached; sent all at once they miss each other.
    expect(unbound).toBeGreaterThan(bound * 1.02);
    expect(Math.abs(wrapped - bound) / bound).toBeLessThan(0.005);
  }, 60_000);
});
