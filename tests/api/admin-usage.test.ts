// The admin usage API: totals served from the rollup equal the sums over usage_events for the same UTC
// days; CSV downloads have a header row; events list newest first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { GET as usageGET } from "@/app/api/admin/usage/route";
import { GET as eventsGET } from "@/app/api/admin/usage/events/route";
import { POST as similarPOST } from "@/app/api/playlists/[id]/generate-similar/route";
import { call, makeLesson, makePlaylist, makeTopics, makeUser, setupHarness, type Harness, type User } from "./harness";
import type { UsageEvent } from "@/lib/contracts/entities";

let h: Harness;
let admin: User;
const today = new Date().toISOString().slice(0, 10);
const dayMs = 86_400_000;
const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - dayMs).toISOString().slice(0, 10);
const twoDaysAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 2 * dayMs).toISOString().slice(0, 10);

function event(createdAt: string, over: Partial<UsageEvent> = {}): UsageEvent {
  const e: Omit<UsageEvent, "inputUsd" | "cachedUsd" | "outputUsd"> = {
    id: randomUUID(), createdAt, requestId: null, userId: null, feature: "fyp-sweep", mode: "single-call", provider: "sim", model: "sim-mini",
    attempt: 1, lessonsAsked: 5, lessonsValid: 5, promptTokens: 1000, cachedTokens: 200, completionTokens: 3000, latencyMs: 900, ttftMs: 150,
    httpStatus: 200, finishReason: "tool_calls", errorCode: null, costUsd: 0.0012, counterfactualPromptTokens: 4000,
    counterfactualCostUsd: 0.0021, priceVersion: "test-1", circuitOpen: false, ...over,
  };
  // The whole cost as output unless a case says otherwise; these cases check totals, not the split.
  return { ...e, inputUsd: over.inputUsd ?? 0, cachedUsd: over.cachedUsd ?? 0, outputUsd: over.outputUsd ?? e.costUsd };
}

beforeAll(async () => {
  h = await setupHarness();
  admin = await makeUser(h, "root@example.com", { admin: true });
  const learner = await makeUser(h, "spender@example.com");
  const [topic] = await makeTopics(h, 1, "History");
  const playlistId = await makePlaylist(learner, "Rome", [await makeLesson(h, topic.id, "The Roman Republic")]);
  const res = await call(similarPOST, "POST", `/api/playlists/${playlistId}/generate-similar`, { cookie: learner.cookie, json: { count: 4 }, params: { id: playlistId } });
  expect(res.status).toBe(200);
  // Hand-made events on the day boundaries: the last millisecond of two days ago, midnight of yesterday.
  await h.service.rpc("insert_usage_events", {
    p_events: [
      event(`${twoDaysAgo}T23:59:59.999Z`),
      event(`${yesterday}T00:00:00.000Z`, { mode: "repair", lessonsAsked: 1, lessonsValid: 1, counterfactualPromptTokens: null, counterfactualCostUsd: null }),
      event(`${yesterday}T12:00:00.000Z`, { errorCode: "rate_limited", httpStatus: 429, lessonsValid: 0, completionTokens: 0, costUsd: 0.0001, counterfactualPromptTokens: null, counterfactualCostUsd: null }),
    ],
  });
});

afterAll(async () => {
  await h?.cleanup();
});

async function sums(from: string, to: string) {
  const [r] = await h.db.sql.query(
    `select count(*)::int as calls, coalesce(sum(prompt_tokens),0)::int as prompt, coalesce(sum(completion_tokens),0)::int as completion,
            coalesce(sum(cached_tokens),0)::int as cached, coalesce(sum(lessons_valid),0)::int as valid, coalesce(sum(lessons_asked),0)::int as asked,
            coalesce(sum(cost_usd),0)::float8 as cost, count(*) filter (where error_code is not null)::int as failed
       from public.usage_events
      where created_at >= ($1::date)::timestamp at time zone 'UTC' and created_at < ($2::date + 1)::timestamp at time zone 'UTC'`,
    [from, to],
  );
  return r;
}

interface Totals { calls: number; promptTokens: number; completionTokens: number; cachedTokens: number; lessonsValid: number; lessonsAsked: number; costUsd: number; failedCalls: number }

describe("admin usage", () => {
  it.each([
    [yesterday, today, "day"],
    [yesterday, today, "feature"],
    [twoDaysAgo, twoDaysAgo, "model"],
    [twoDaysAgo, today, "user"],
    [twoDaysAgo, today, "mode"],
  ])("totals for %s..%s by %s equal the sums of usage_events", async (from, to, groupBy) => {
    const res = await call(usageGET, "GET", `/api/admin/usage?from=${from}&to=${to}&groupBy=${groupBy}`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: string; to: string; timezone: string; dayBoundaries: string; totals: Totals; groups: Totals[] };
    expect(body).toMatchObject({ from, to, timezone: "UTC" });
    expect(body.dayBoundaries).toMatch(/UTC/);
    const s = await sums(from, to);
    expect(s.calls).toBeGreaterThan(0);
    expect({
      calls: body.totals.calls, prompt: body.totals.promptTokens, completion: body.totals.completionTokens, cached: body.totals.cachedTokens,
      valid: body.totals.lessonsValid, asked: body.totals.lessonsAsked, failed: body.totals.failedCalls,
    }).toEqual({ calls: s.calls, prompt: s.prompt, completion: s.completion, cached: s.cached, valid: s.valid, asked: s.asked, failed: s.failed });
    expect(body.totals.costUsd).toBeCloseTo(Number(s.cost), 6);
    // The groups add up to the totals.
    expect(body.groups.reduce((n, g) => n + g.calls, 0)).toBe(body.totals.calls);
    expect(body.groups.reduce((n, g) => n + g.promptTokens, 0)).toBe(body.totals.promptTokens);
  });

  it("defaults to the last 30 UTC days", async () => {
    const res = await call(usageGET, "GET", "/api/admin/usage", { cookie: admin.cookie });
    const body = (await res.json()) as { from: string; to: string; groupBy: string; totals: Totals };
    expect(body.to).toBe(today);
    expect((Date.parse(body.to) - Date.parse(body.from)) / dayMs).toBe(29);
    expect(body.groupBy).toBe("day");
    expect(body.totals.calls).toBe((await sums(body.from, body.to)).calls);
  });

  it("downloads CSV with a header row and a filename", async () => {
    const res = await call(usageGET, "GET", `/api/admin/usage?from=${twoDaysAgo}&to=${today}&groupBy=day&format=csv`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="lessonloom-usage-${twoDaysAgo}-to-${today}-by-day.csv"`);
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0].split(",").slice(0, 3)).toEqual(["day", "label", "calls"]);
    const days = lines.slice(1).map((l) => l.split(",")[0]);
    expect(days).toEqual([twoDaysAgo, yesterday, today]);
    const calls = lines.slice(1).reduce((n, l) => n + Number(l.split(",")[2]), 0);
    expect(calls).toBe(Number((await sums(twoDaysAgo, today)).calls));
  });

  it("lists events newest first, filtered, as JSON or CSV", async () => {
    const res = await call(eventsGET, "GET", `/api/admin/usage/events?from=${twoDaysAgo}&to=${today}&feature=fyp-sweep`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { events: { createdAt: string; feature: string }[] };
    expect(body.events).toHaveLength(3);
    expect(body.events.every((e) => e.feature === "fyp-sweep")).toBe(true);
    const times = body.events.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const errors = await call(eventsGET, "GET", `/api/admin/usage/events?from=${twoDaysAgo}&to=${today}&errorsOnly=true`, { cookie: admin.cookie });
    expect(((await errors.json()) as { events: unknown[] }).events).toHaveLength(1);

    const csv = await call(eventsGET, "GET", `/api/admin/usage/events?from=${twoDaysAgo}&to=${today}&format=csv&limit=2`, { cookie: admin.cookie });
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0].startsWith("id,createdAt,requestId")).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^[0-9a-f-]{36},\d{4}-\d{2}-\d{2}T/);
  });
});
