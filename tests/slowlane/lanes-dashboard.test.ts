// The dashboard's lane split from the database: usage events stored with their lane, the split per
// lane with the saving against the fast lane, and batches in flight; admins only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { laneSplit } from "@/lib/slowlane/dashboard";
import { createDbSlowLaneStore } from "@/lib/slowlane/store";
import type { UsageEvent } from "@/lib/usage/types";
import { group } from "./harness";

const event = (lane: UsageEvent["lane"], costUsd: number, lessonsValid: number): UsageEvent => ({
  id: crypto.randomUUID(),
  createdAt: new Date().toISOString(),
  requestId: null,
  userId: null,
  feature: "fyp-sweep",
  mode: "single-call",
  provider: "sim",
  model: "sim-mini",
  attempt: 1,
  lessonsAsked: 5,
  lessonsValid,
  promptTokens: 1000,
  cachedTokens: 0,
  completionTokens: 3000,
  latencyMs: 1,
  ttftMs: null,
  httpStatus: 200,
  finishReason: "stop",
  errorCode: null,
  costUsd,
  inputUsd: costUsd / 2,
  cachedUsd: 0,
  outputUsd: costUsd / 2,
  counterfactualPromptTokens: null,
  counterfactualCostUsd: null,
  priceVersion: "test",
  circuitOpen: false,
  ...(lane ? { lane } : {}),
});

describe("lane split on the dashboard", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  }, 120_000);
  afterAll(async () => {
    await db?.cleanup();
  });

  it("splits spend by lane, prices the saving against the fast lane and lists batches in flight", async () => {
    const service = db.provider.as({ role: "service_role" });
    await service.rpc("insert_usage_events", { p_events: [event(undefined, 0.004, 5), event("fast", 0.002, 1), event("batch", 0.001, 5), event("batch", 0, 0)] });
    const store = createDbSlowLaneStore(async () => service);
    await store.record({ key: "in-flight-1", provider: "sim", model: "sim-mini", chunkIds: ["in-flight-1#0", "in-flight-1#1"], payload: { group: group("in-flight-1", 10, Date.now() + 3600_000), chunks: [], attempt: 0 }, deadlineAt: Date.now() + 3600_000 });

    const admin = await service.rpc("sign_in_local_user", { p_email: "lanes-admin@example.com", p_promote_admin: true });
    const learner = await service.rpc("sign_in_local_user", { p_email: "lanes-learner@example.com", p_promote_admin: false });
    const day = new Date().toISOString().slice(0, 10);
    const view = await laneSplit(db.provider.as({ role: "authenticated", userId: admin.userId }), { from: day, to: day });
    expect(view.lanes.find((l) => l.lane === "fast")).toMatchObject({ calls: 2, lessonsValid: 6 });
    expect(view.lanes.find((l) => l.lane === "fast")!.costUsd).toBeCloseTo(0.006, 9);
    expect(view.lanes.find((l) => l.lane === "batch")).toMatchObject({ calls: 2, lessonsValid: 5 });
    // sim's batch lane is half price: $0.001 of batch lines would have been $0.002 in the fast lane.
    expect(view.savedUsd).toBeCloseTo(0.001, 9);
    expect(view.inFlight).toHaveLength(1);
    expect(view.inFlight[0]).toMatchObject({ submissionKey: "in-flight-1", lines: 2, status: "submitting" });
    await expect(laneSplit(db.provider.as({ role: "authenticated", userId: learner.userId }), { from: day, to: day })).rejects.toMatchObject({ message: "forbidden" });
  }, 60_000);
});
