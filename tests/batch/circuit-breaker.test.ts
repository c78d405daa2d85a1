import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "@/lib/batch/circuit-breaker";
import { chooseOutputMode } from "@/lib/batch/output-mode";
import type { Capabilities } from "@/lib/llm/types";

describe("CircuitBreaker", () => {
  it("opens after the threshold, lets one trial through after the cool-down, closes on success", () => {
    const b = new CircuitBreaker(3, 1000);
    b.recordFailure(0);
    b.recordFailure(1);
    expect(b.isOpen(2)).toBe(false);
    b.recordFailure(2);
    expect(b.isOpen(3)).toBe(true);
    expect(b.isOpen(1001)).toBe(true);
    expect(b.isOpen(1002)).toBe(false); // the half-open trial
    expect(b.isOpen(1003)).toBe(true); // others wait for its outcome
    b.recordSuccess();
    expect(b.isOpen(1004)).toBe(false);
    expect(b.state(1004)).toBe("closed");
  });

  it("re-opens when the half-open trial fails", () => {
    const b = new CircuitBreaker(1, 100);
    b.recordFailure(0);
    expect(b.isOpen(150)).toBe(false);
    b.recordFailure(150);
    expect(b.isOpen(200)).toBe(true);
    expect(b.isOpen(251)).toBe(false);
  });
});

describe("chooseOutputMode", () => {
  const none: Capabilities = {
    strictTools: false, forcedToolChoice: false, jsonSchema: false, jsonObject: false,
    streaming: true, streamingTools: false, promptCacheKey: false, maxOutputTokens: 4096, contextWindow: 8192,
  };
  it.each([
    [{ strictTools: true, forcedToolChoice: true, jsonSchema: true }, "tool-strict"],
    [{ strictTools: true, jsonSchema: true }, "json-schema"],
    [{ forcedToolChoice: true, jsonObject: true }, "tool"],
    [{ jsonObject: true }, "json-object"],
    [{}, "prompted-json"],
  ])("%j → %s", (caps, mode) => expect(chooseOutputMode({ ...none, ...caps })).toBe(mode));
});

describe("batchStateFor", () => {
  it("gives per-request wrappers (spend cap, usage journal) the state of the gateway they wrap", async () => {
    const { batchStateFor } = await import("@/lib/batch/batch-state");
    const { spendCappedGateway } = await import("@/lib/budget/spend-cap");
    const { journaledGateway } = await import("@/lib/generation/usage-tally");
    const root = { provider: "sim", target: () => ({}), chat: async () => ({}), countTokens: () => 0, countPromptTokens: () => 0 } as unknown as import("@/lib/llm/types").LlmGateway;
    const sink = { record: () => {}, flush: async () => {}, begin: async () => {} } as unknown as import("@/lib/usage/types").UsageSink;
    const state = batchStateFor(root);
    const capped = spendCappedGateway(root, async () => { throw new Error("unused"); });
    expect(batchStateFor(capped)).toBe(state);
    expect(batchStateFor(spendCappedGateway(root, async () => { throw new Error("unused"); }))).toBe(state);
    expect(batchStateFor(journaledGateway(capped, sink, { requestId: "r", userId: null, feature: "similar" }))).toBe(state);
    const other = { ...root } as typeof root;
    expect(batchStateFor(other)).not.toBe(state);
  });
});
