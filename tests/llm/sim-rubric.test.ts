// The simulator answers the classroom rubric (the moderation port of providers without an endpoint,
// e.g. the simulator run as a `custom` provider) with a findings object, as a model would, and with the
// same verdict its moderation endpoint gives the same text. Before, it answered with a lesson, the
// rubric could not be read, and every lesson failed closed (moderation_unavailable).
import { describe, expect, it } from "vitest";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator } from "@/lib/llm/sim";
import { SIM_UNSAFE_MARKER } from "@/lib/llm/sim/moderation";
import { rubricModeration } from "@/lib/moderation";
import type { LessonContent } from "@/lib/lessons/types";

const lesson = (extra = ""): LessonContent => ({
  version: 1,
  title: "Light Reactions",
  content: `Plants turn light into chemical energy in the thylakoids. ${extra}`.repeat(3),
  difficulty: "easy",
  questions: [
    { question: "Where do the light reactions happen?", choices: ["Thylakoids", "Stroma", "Nucleus", "Cell wall"], correctIndex: 0, explanation: "In the thylakoid membranes." },
    { question: "What do they capture?", choices: ["Light", "Heat", "Sound", "Salt"], correctIndex: 0, explanation: "Light energy." },
    { question: "What gas do they release?", choices: ["Oxygen", "Helium", "Argon", "Neon"], correctIndex: 0, explanation: "Water is split, releasing oxygen." },
  ],
  keyTerms: [],
});

function rubricOn(flagRate: number) {
  const sim = createSimulator({ profile: "instant", timeScale: 1, seed: 3, moderationFlagRate: flagRate });
  const gateway = createGateway({ provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 4, timeoutMs: 5000, maxAttempts: 2, deadlineMs: 60_000 }, { fetch: sim.fetch, clock: sim.clock });
  return { sim, port: rubricModeration(gateway) };
}

describe("simulator: classroom rubric through chat", () => {
  it("passes a clean lesson with a short findings answer", async () => {
    const { sim, port } = rubricOn(0);
    const out = await port.screen(lesson(), {});
    expect(out.verdict.flagged).toBe(false);
    expect(sim.stats().log.at(-1)?.completionTokens).toBeLessThan(20);
  });

  it("flags what the endpoint would flag: the marker, or every text at rate 1", async () => {
    expect((await rubricOn(0).port.screen(lesson(SIM_UNSAFE_MARKER), {})).verdict.flagged).toBe(true);
    expect((await rubricOn(1).port.screen(lesson(), {})).verdict.flagged).toBe(true);
  });
});
