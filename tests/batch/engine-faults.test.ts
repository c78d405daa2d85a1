// Every fault of the simulator, for batch sizes 1, 2, 5 and 10: all lessons delivered (or an explicit
// per-lesson failure), one usage event per simulator call, and no valid lesson generated twice.
import { describe, expect, it } from "vitest";
import { FAULT_KINDS } from "@/lib/llm/sim";
import { checkLesson } from "@/lib/lessons/validate";
import { createWorld, requests, runBatch } from "./harness";

const sizes = [1, 2, 5, 10];

// For one chunk of 5: lessons kept from the batch call, and total calls (batch + retries + repairs).
const fiveExpected: Record<string, { viaBatch: number; calls: number } | "partial"> = {
  rate_limit: { viaBatch: 5, calls: 2 },
  server_error: { viaBatch: 5, calls: 2 },
  unavailable: { viaBatch: 5, calls: 2 },
  hang: { viaBatch: 5, calls: 2 },
  reset: { viaBatch: 5, calls: 2 },
  truncate: { viaBatch: 3, calls: 3 },
  fewer_items: { viaBatch: 3, calls: 3 },
  duplicate_items: { viaBatch: 4, calls: 2 },
  invalid_item: { viaBatch: 4, calls: 2 },
  text_instead_of_tool: { viaBatch: 0, calls: 6 },
  malformed_json: "partial",
};

describe.each(FAULT_KINDS.map((f) => [f]))("fault %s", (fault) => {
  it.each(sizes.map((n) => [n]))("batch of %i", async (n) => {
    // Chunks of the cap, all at once: the expectations are for one chunk of 5 (the cost-aware planner
    // may add a lead single-lesson call, which would take the queued fault instead).
    const w = createWorld({ timeoutMs: fault === "hang" ? 400 : 1500, config: { planner: { mode: "fixed" } } });
    w.sim.queueFaults(fault);
    const results = await runBatch(w.deps, requests(n));

    // Every slot answered, in request order; here the repair budget always suffices.
    expect(results.map((r) => r.index)).toEqual([...Array(n).keys()]);
    for (const r of results) {
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) {
        expect(checkLesson(r.lesson).ok).toBe(true);
        expect(r.lesson.topic).toBe("Photosynthesis");
      }
    }
    const titles = results.flatMap((r) => (r.ok ? [r.lesson.title] : []));
    expect(new Set(titles).size).toBe(titles.length);

    // One usage event per call the simulator saw (failed attempts included).
    const stats = w.sim.stats();
    expect(w.usage.events).toHaveLength(stats.calls);
    expect(stats.faults[fault] ?? 0).toBeGreaterThanOrEqual(fault === "text_instead_of_tool" || fault === "duplicate_items" ? 0 : 1);

    // Lessons from a partial batch are kept: the only extra calls are for slots that came back bad,
    // one successful repair call per repaired slot, never a call for a lesson we already had.
    const viaBatch = results.filter((r) => r.ok && r.via === "single-call").length;
    const viaRepair = results.filter((r) => r.ok && r.via === "repair").length;
    const batchEvents = w.usage.events.filter((e) => e.mode === "single-call");
    const repairEvents = w.usage.events.filter((e) => e.mode === "repair");
    expect(batchEvents.reduce((a, e) => a + e.lessonsValid, 0)).toBe(viaBatch);
    expect(repairEvents.filter((e) => e.lessonsValid === 1)).toHaveLength(viaRepair);
    expect(repairEvents.reduce((a, e) => a + e.lessonsAsked, 0)).toBe(repairEvents.length);
    const answeredRepairs = repairEvents.filter((e) => e.httpStatus === 200);
    expect(answeredRepairs.length).toBeLessThanOrEqual(n - viaBatch + 1); // at most one retry after a fault
    if (n === 1) expect(batchEvents).toHaveLength(0);
    if (n === 5) {
      const want = fiveExpected[fault];
      if (want === "partial") {
        expect(viaBatch).toBeGreaterThan(0);
        expect(viaBatch).toBeLessThan(5);
        expect(stats.calls).toBe(1 + (5 - viaBatch));
      } else {
        expect(viaBatch).toBe(want.viaBatch);
        expect(stats.calls).toBe(want.calls);
      }
    }
    if (n >= 2) expect(viaBatch + viaRepair).toBe(n);
  });
});
