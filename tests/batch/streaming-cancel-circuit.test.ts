import { describe, expect, it } from "vitest";
import { generateLessonBatch, type LessonResult } from "@/lib/batch";
import { createWorld, requests, runBatch } from "./harness";

describe("streaming", () => {
  it("emits each lesson once, as its JSON closes, before the call ends", async () => {
    // Typical latency (≈5 ms of real time per lesson at this scale) so the stream has a shape.
    // One call of five (the cost-aware planner may add a lead single-lesson call).
    const w = createWorld({ profile: "typical", timeScale: 0.02, config: { planner: { mode: "fixed" } } });
    const seen: { index: number; at: number }[] = [];
    const results: LessonResult[] = [];
    for await (const r of generateLessonBatch(w.deps, requests(5))) {
      seen.push({ index: r.index, at: w.sim.clock.now() });
      results.push(r);
    }
    expect(results).toHaveLength(5);
    expect(results.every((r) => r.ok && r.via === "single-call")).toBe(true);
    expect(seen.map((s) => s.index).sort()).toEqual([0, 1, 2, 3, 4]);
    const [call] = w.usage.events;
    expect(w.usage.events).toHaveLength(1);
    expect(call.ttftMs).not.toBeNull();
    const end = Date.parse(call.createdAt) + call.latencyMs;
    // Four of five lessons are out well before the call's last token; the first one early on.
    const before = seen.filter((s) => s.at < end - 0.05 * call.latencyMs);
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(seen[0].at - Date.parse(call.createdAt)).toBeLessThan(0.5 * call.latencyMs);
  });
});

describe("cancellation", () => {
  it("stopping the iteration early starts nothing new; the call in flight finishes and is recorded", async () => {
    // One call at a time: the second chunk of 10 waits in the gateway's limiter while the first streams.
    const w = createWorld({ profile: "typical", timeScale: 0.02, maxConcurrency: 1 });
    const got: LessonResult[] = [];
    for await (const r of generateLessonBatch(w.deps, requests(10))) {
      got.push(r);
      break; // the caller went away after the first lesson
    }
    expect(got).toHaveLength(1);
    expect(w.sim.stats().calls).toBe(1);
    // The loop ended only once the call in flight was done and its usage written.
    expect(w.usage.events).toHaveLength(1);
  });

  it("lets the call in flight finish, starts nothing new, and cancels the rest", async () => {
    const w = createWorld({ profile: "typical", timeScale: 0.02, config: { planner: { mode: "fixed" } } });
    w.sim.queueFaults("invalid_item"); // slot 1 would need a repair call
    const ctrl = new AbortController();
    const results = await runBatch(w.deps, requests(5), {
      signal: ctrl.signal,
      onResult: () => ctrl.abort(), // cancel as soon as the first lesson streams in
    });
    expect(w.sim.stats().calls).toBe(1);
    expect(results.filter((r) => r.ok)).toHaveLength(4); // the call in flight finished and was kept
    const cancelled = results.filter((r): r is Extract<LessonResult, { ok: false }> => !r.ok);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ index: 1, error: { code: "cancelled" } });
    expect(w.usage.events).toHaveLength(1);
  });

  it("a chunk still queued behind the concurrency cap never starts once the batch is cancelled", async () => {
    // One call at a time: the second chunk of 10 waits in the gateway's limiter while the first streams.
    const w = createWorld({ profile: "typical", timeScale: 0.02, maxConcurrency: 1 });
    const ctrl = new AbortController();
    const results = await runBatch(w.deps, requests(10), {
      signal: ctrl.signal,
      onResult: () => ctrl.abort(),
    });
    expect(w.sim.stats().calls).toBe(1);
    expect(results.filter((r) => r.ok)).toHaveLength(5); // the first chunk, already on the wire, is kept
    expect(results.slice(5).every((r) => !r.ok && r.error.code === "cancelled")).toBe(true);
    expect(w.usage.events).toHaveLength(1);
  });

  it("cancelled before the start: every slot comes back cancelled, no call", async () => {
    const w = createWorld();
    const ctrl = new AbortController();
    ctrl.abort();
    const results = await runBatch(w.deps, requests(3), { signal: ctrl.signal });
    expect(results.map((r) => !r.ok && r.error.code)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(w.sim.stats().calls).toBe(0);
  });
});

describe("circuit breaker", () => {
  it("after repeated batch failures sends the model's chunks to parallel calls and says so in the log", async () => {
    const w = createWorld({ config: { circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 } } });
    for (let i = 0; i < 2; i++) {
      w.sim.queueFaults("text_instead_of_tool"); // the batch call yields nothing usable
      const r = await runBatch(w.deps, requests(3));
      expect(r.every((x) => x.ok)).toBe(true); // repairs still deliver
    }
    w.usage.clear();
    const before = w.sim.stats().calls;
    const results = await runBatch(w.deps, requests(3));
    expect(results.every((r) => r.ok && r.via === "single")).toBe(true);
    expect(w.sim.stats().calls - before).toBe(3);
    expect(w.usage.events.map((e) => [e.mode, e.circuitOpen])).toEqual([
      ["single", true],
      ["single", true],
      ["single", true],
    ]);
  });

  it("a success closes it again after the cool-down", async () => {
    const w = createWorld({ profile: "instant", timeScale: 0.001, config: { circuitBreaker: { failureThreshold: 1, cooldownMs: 5_000 } } });
    w.sim.queueFaults("server_error", "server_error", "server_error"); // all 3 gateway attempts fail
    await runBatch(w.deps, requests(2));
    await w.sim.clock.sleep(6_000); // 6 ms real
    w.usage.clear();
    await runBatch(w.deps, requests(2));
    expect(w.usage.events.map((e) => e.mode)).toEqual(["single-call"]);
  });
});
