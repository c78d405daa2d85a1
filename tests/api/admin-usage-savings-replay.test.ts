// The dashboard's "Saved by batching" figure matches the saving measured by replay: generate-similar
// requests run through the real route on a fault-free simulator, then the same asks (the same playlist
// context, for the lessons each request delivered) are replayed one call per lesson, all at once per
// request, on a twin simulator with the same profile and seed. The admin usage API's savedUsd must be
// within 5% of (the replay's bill − what the requests were billed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as usageGET } from "@/app/api/admin/usage/route";
import { POST as similarPOST } from "@/app/api/playlists/[id]/generate-similar/route";
import { generateLessonBatch } from "@/lib/batch";
import { createBatchState } from "@/lib/batch/batch-state";
import type { LessonRequest } from "@/lib/batch/types";
import { createGateway } from "@/lib/llm/gateway";
import { createSimulator } from "@/lib/llm/sim";
import { savingsAgree } from "@/lib/usage/counterfactual";
import { MemoryUsageSink } from "@/lib/usage/memory-sink";
import { collect } from "../batch/harness";
import { call, makeLesson, makePlaylist, makeTopics, makeUser, readNdjson, setupHarness, type Harness, type User } from "./harness";

// The harness's simulator, twinned below: same profile, speed and limits, and the profile's own cache
// hit rate (0.9): the honest saving prices each one-call-per-lesson call at the expected hit rate on the
// prefix its world would have cached (the earlier requests' single prompts), while the replay's calls
// hit or miss one by one. 1/20 speed, so calls sent together really arrive before each other's prefill
// on a busy machine (at 1/100 a few ms of CPU were enough to warm the cache for siblings).
const SIM = { profile: "typical" as const, timeScale: 0.05, seed: 7 };
const REPLAY_SEEDS = [SIM.seed, 101, 102, 103, 104, 105, 106, 107];
const today = new Date().toISOString().slice(0, 10);

let h: Harness;
let admin: User;
let learner: User;
let playlistId: string;

interface Routed {
  asks: LessonRequest;
  delivered: number;
}
const routed: Routed[] = [];

beforeAll(async () => {
  h = await setupHarness(SIM);
  admin = await makeUser(h, "root@example.com", { admin: true });
  learner = await makeUser(h, "replay@example.com");
  const [topic] = await makeTopics(h, 1, "History");
  playlistId = await makePlaylist(learner, "Rome", [await makeLesson(h, topic.id, "The Roman Republic")]);
  for (const count of [5, 4, 3, 2]) {
    // The context the route builds its asks from, read just before the request (avoid-titles grow).
    const ctx = await h.service.rpc("playlist_generation_context", { p_user_id: learner.userId, p_playlist_id: playlistId });
    const res = await call(similarPOST, "POST", `/api/playlists/${playlistId}/generate-similar`, {
      cookie: learner.cookie,
      json: { count },
      params: { id: playlistId },
      headers: { accept: "application/x-ndjson" },
    });
    expect(res.status).toBe(200);
    const events = await readNdjson(res);
    const delivered = events.filter((e) => e.type === "lesson").length;
    expect(delivered).toBeGreaterThan(0);
    routed.push({ asks: { subject: ctx.subjectName, topic: ctx.topicName, difficulty: ctx.difficulty, avoidTitles: ctx.avoidTitles }, delivered });
  }
}, 120_000);

afterAll(async () => {
  await h?.cleanup();
});

/** One call per delivered lesson, all at once per request, on a twin simulator; returns the bill. */
async function naiveReplay(seed: number): Promise<number> {
  const sim = createSimulator({ ...SIM, seed, rpm: 100_000, tpm: 100_000_000 });
  const gateway = createGateway(
    { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 10, timeoutMs: 30_000 },
    { fetch: sim.fetch, clock: sim.clock },
  );
  const usage = new MemoryUsageSink();
  const deps = { llm: gateway, usage, clock: sim.clock, state: createBatchState() };
  for (const r of routed) {
    const results = await Promise.all(
      Array.from({ length: r.delivered }, () => collect(generateLessonBatch(deps, [{ ...r.asks }], { priority: "interactive" }))),
    );
    // Fault-free: every single call delivers its lesson, so the replay bills exactly the delivered lessons.
    expect(results.flat().filter((x) => x.ok).length).toBe(r.delivered);
  }
  return usage.events.reduce((a, e) => a + e.costUsd, 0);
}

describe("Saved by batching, replayed", () => {
  it("the admin API's savedUsd is within 5% of the naive replay's bill − the routed requests' bill", async () => {
    expect(routed.map((r) => r.delivered).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    const res = await call(usageGET, "GET", `/api/admin/usage?from=${today}&to=${today}&groupBy=day`, { cookie: admin.cookie });
    expect(res.status).toBe(200);
    const { totals } = (await res.json()) as { totals: { savedUsd: number; costUsd: number } };
    // Every usage event of the day is one of the routed requests': the API's cost is what they were billed.
    expect(totals.costUsd).toBeGreaterThan(0);

    // The replay's own cache draws are random (one miss moves its bill by ~12% of the saving), so the
    // measured bill is the mean over twins with the same profile and seeds of their own.
    const bills: number[] = [];
    for (const seed of REPLAY_SEEDS) bills.push(await naiveReplay(seed));
    const naive = bills.reduce((a, b) => a + b, 0) / bills.length;
    const measured = naive - totals.costUsd;
    expect(measured).toBeGreaterThan(0);
    expect(
      savingsAgree(totals.savedUsd, measured),
      `reported ${totals.savedUsd.toFixed(6)} vs measured ${measured.toFixed(6)} (naive ${naive.toFixed(6)}, ours ${totals.costUsd.toFixed(6)})`,
    ).toBe(true);
  });
});
