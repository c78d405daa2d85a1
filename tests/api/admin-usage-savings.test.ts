// The dashboard's "Saved by batching" figure is the sum of the per-request savings in usage_events
// for the range (counterfactual − cost over every event that carries one: batch calls, repairs,
// failed attempts), and its dollars split into input, cached and output adds up to the cost.
import type { UsageEvent } from "@/lib/usage/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { GET as usageGET } from "@/app/api/admin/usage/route";
import { POST as similarPOST } from "@/app/api/playlists/[id]/generate-similar/route";
import { savingsByRequest } from "@/lib/usage/counterfactual";
import { call, makeLesson, makePlaylist, makeTopics, makeUser, setupHarness, type Harness, type User } from "./harness";

let h: Harness;
let admin: User;
const today = new Date().toISOString().slice(0, 10);
const R = randomUUID();

function event(over: Partial<UsageEvent>): UsageEvent {
  return {
    id: randomUUID(), createdAt: new Date().toISOString(), requestId: R, userId: null, feature: "similar", mode: "single-call", provider: "sim",
    model: "sim-standard", attempt: 1, lessonsAsked: 5, lessonsValid: 3, promptTokens: 1200, cachedTokens: 0, completionTokens: 1800, latencyMs: 900,
    ttftMs: 150, httpStatus: 200, finishReason: "tool_calls", errorCode: null, costUsd: 0.00336, inputUsd: 0.00048, cachedUsd: 0, outputUsd: 0.00288,
    counterfactualPromptTokens: 3600, counterfactualCostUsd: 0.00432, priceVersion: "test", circuitOpen: false, ...over,
  };
}

beforeAll(async () => {
  h = await setupHarness({ profile: "typical", timeScale: 0.01 });
  admin = await makeUser(h, "root@example.com", { admin: true });
  const learner = await makeUser(h, "saver@example.com");
  const [topic] = await makeTopics(h, 1, "History");
  const playlistId = await makePlaylist(learner, "Rome", [await makeLesson(h, topic.id, "The Roman Republic")]);
  for (const count of [4, 3]) {
    const res = await call(similarPOST, "POST", `/api/playlists/${playlistId}/generate-similar`, { cookie: learner.cookie, json: { count }, params: { id: playlistId } });
    expect(res.status).toBe(200);
    await res.text();
  }
  // A request whose batch delivered 3 of 5, two repairs (one failed attempt first), and a plain
  // single-lesson request without a counterfactual.
  await h.service.rpc("insert_usage_events", {
    p_events: [
      event({}),
      event({ mode: "repair", lessonsAsked: 1, lessonsValid: 0, errorCode: "invalid_output", promptTokens: 1250, completionTokens: 600, costUsd: 0.00146, inputUsd: 0.0005, outputUsd: 0.00096, counterfactualPromptTokens: 0, counterfactualCostUsd: 0 }),
      event({ mode: "repair", lessonsAsked: 1, lessonsValid: 1, promptTokens: 1250, completionTokens: 600, costUsd: 0.00146, inputUsd: 0.0005, outputUsd: 0.00096, counterfactualPromptTokens: 1200, counterfactualCostUsd: 0.00144 }),
      event({ requestId: randomUUID(), mode: "single", lessonsAsked: 1, lessonsValid: 1, promptTokens: 1200, completionTokens: 600, costUsd: 0.00144, inputUsd: 0.00048, outputUsd: 0.00096, counterfactualPromptTokens: null, counterfactualCostUsd: null }),
    ],
  });
});

afterAll(async () => {
  await h?.cleanup();
});

describe("Saved by batching", () => {
  it("equals the sum of per-request savings in usage_events, and the split adds up to the cost", async () => {
    const res = await call(usageGET, "GET", `/api/admin/usage?from=${today}&to=${today}&groupBy=day`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { totals: { savedUsd: number; costUsd: number; inputUsd: number; cachedUsd: number; outputUsd: number; counterfactualCostUsd: number } };

    const rows = await h.db.sql.query(
      `select request_id::text as "requestId", prompt_tokens::int as "promptTokens", cost_usd::float8 as "costUsd",
              counterfactual_prompt_tokens as "counterfactualPromptTokens", counterfactual_cost_usd::float8 as "counterfactualCostUsd"
         from public.usage_events
        where created_at >= ($1::date)::timestamp at time zone 'UTC' and created_at < ($1::date + 1)::timestamp at time zone 'UTC'`,
      [today],
    );
    const perRequest = savingsByRequest(rows as never);
    // Two generate-similar requests, the hand-made batch request and the plain single one.
    expect(perRequest.size).toBeGreaterThanOrEqual(4);
    const sum = [...perRequest.values()].reduce((a, b) => a + b, 0);
    // The API rounds dollars to 6 decimals: equal to that resolution.
    expect(Math.abs(body.totals.savedUsd - sum)).toBeLessThanOrEqual(5e-7 + 1e-12);
    // The hand-made request: 0.00432 − 0.00336 + (0 − 0.00146) + (0.00144 − 0.00146) = −0.00052: repairs netted.
    expect(perRequest.get(R)).toBeCloseTo(-0.00052, 9);
    // Generation through the routes reports a positive saving for batching 4 and 3 lessons.
    const routed = [...perRequest.entries()].filter(([k]) => k !== R && rows.some((r) => (r as { requestId: string }).requestId === k && (r as { counterfactualCostUsd: number | null }).counterfactualCostUsd !== null));
    expect(routed.length).toBe(2);
    for (const [, saved] of routed) expect(saved).toBeGreaterThan(0);

    expect(body.totals.inputUsd + body.totals.cachedUsd + body.totals.outputUsd).toBeCloseTo(body.totals.costUsd, 5);
    expect(body.totals.outputUsd).toBeGreaterThan(body.totals.inputUsd);
    expect(Math.abs(body.totals.counterfactualCostUsd - (body.totals.costUsd + body.totals.savedUsd))).toBeLessThanOrEqual(1e-6 + 1e-12);
  });
});
