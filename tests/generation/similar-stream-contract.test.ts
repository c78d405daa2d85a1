// The generate-similar wire contract (lib/contracts/generation-stream.ts) against the real route
// handler: every event kind the stream can carry is produced by the route and parsed with the shared
// schema, and the browser client reads both the stream and the plain-JSON answer through it.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/playlists/[id]/generate-similar/route";
import { defaultBatchConfig } from "@/lib/batch/config";
import { generationEventSchema, similarResponseSchema, type GenerationEvent, type SimilarEvent } from "@/lib/contracts/generation-stream";
import { finalStatus } from "@/lib/generation/pipeline";
import { ApiError } from "@/lib/ui/api-client";
import { streamGenerateSimilar } from "@/lib/ui/generate-similar-stream";
import { call, makeGateway, makeLesson, makePlaylist, makeTopics, makeUser, quotaOf, readNdjson, setupHarness, type Harness, type User } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness();
});

afterAll(async () => {
  await h?.cleanup();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const topicNames = ["Tectonics", "Erosion", "Volcanoes", "Minerals", "Fossils", "Glaciers"];
let n = 0;
async function learnerWithPlaylist(): Promise<{ user: User; playlistId: string; seedLessons: string[] }> {
  const i = n++;
  const [topic] = await makeTopics(h, 1, "Geology", [topicNames[i % topicNames.length]]);
  const seedLessons = [await makeLesson(h, topic.id, `${topic.name}: the basics`, "easy"), await makeLesson(h, topic.id, `Where ${topic.name.toLowerCase()} happen`, "easy")];
  const user = await makeUser(h, `geologist${i}@example.com`);
  return { user, playlistId: await makePlaylist(user, topic.name, seedLessons), seedLessons };
}

function generate(user: User, playlistId: string, json: unknown, headers: Record<string, string> = {}) {
  return call(POST, "POST", `/api/playlists/${playlistId}/generate-similar`, { cookie: user.cookie, json, headers, params: { id: playlistId } });
}

/** Each raw NDJSON line of the route's answer, parsed with the shared schema (a line it rejects fails the test). */
async function streamedEvents(res: Response): Promise<GenerationEvent[]> {
  return (await readNdjson(res)).map((line) => generationEventSchema.parse(line));
}

/** The browser's fetch, answered by the real route handler as this user. */
function routeFetch(user: User, playlistId: string, opts: { forceJson?: boolean } = {}) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    if (opts.forceJson) headers.delete("accept"); // a server or proxy that answers with one JSON body
    return call(POST, "POST", String(input), {
      cookie: user.cookie,
      body: init?.body as BodyInit,
      headers: Object.fromEntries(headers.entries()),
      params: { id: playlistId },
    });
  });
}

/** Slot 1 of a batch comes back invalid, and every one of its repairs answers with prose: it fails for good. */
function failSlotOne() {
  const repairs = defaultBatchConfig.maxAttemptsPerSlot - 1;
  h.sim.queueFaults("invalid_item", ...Array.from({ length: repairs }, () => "text_instead_of_tool" as const));
}

describe("generate-similar stream contract", () => {
  it("the route sends started, lesson, lesson_failed and done, each a valid event, and the failed slot leaves no gap", async () => {
    const { user, playlistId, seedLessons } = await learnerWithPlaylist();
    failSlotOne();
    const events = await streamedEvents(await generate(user, playlistId, { count: 3 }, { accept: "application/x-ndjson" }));

    expect(new Set(events.map((e) => e.type))).toEqual(new Set(["started", "lesson", "lesson_failed", "done"]));
    expect(events[0]).toMatchObject({ type: "started", count: 3, plan: { calls: 1, perCall: 3, model: "sim-standard" } });
    expect(events.at(-1)).toMatchObject({ type: "done", succeeded: 2, failed: 1 });
    const failed = events.filter((e) => e.type === "lesson_failed");
    expect(failed).toEqual([{ type: "lesson_failed", index: 1, error: { code: "invalid_output", message: expect.any(String) } }]);
    const lessons = events.filter((e) => e.type === "lesson");
    expect(lessons.map((e) => e.index).sort()).toEqual([0, 2]);

    // Slots 0 and 2 landed where they were reserved; slot 1's position was closed when the request finished.
    const p = await user.db.rpc("get_playlist", { p_playlist_id: playlistId });
    const bySlot = [...lessons].sort((a, b) => a.index - b.index).map((e) => e.lesson.id);
    expect(p.lessons.map((l) => l.id)).toEqual([...seedLessons, ...bySlot]);
    expect(p.lessons.map((l) => l.position)).toEqual([0, 1, 2, 3]);
    const [req] = await h.db.sql.query("select status from public.generation_requests where id = $1", [events[0].type === "started" ? events[0].requestId : ""]);
    expect(req.status).toBe(finalStatus(3, 2, [{ error: { code: "invalid_output", message: "" } }]));
    expect(req.status).toBe("partial");
    expect((await quotaOf(user)).usedToday).toBe(2);
  });

  it("a damaged stored result is replayed as the stream's error line, itself a valid event", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    const headers = { "idempotency-key": "damaged-1" };
    const first = await generate(user, playlistId, { count: 1 }, headers);
    expect(first.status).toBe(200);
    const { requestId } = similarResponseSchema.parse(await first.json());
    await h.db.sql.query(`update public.generation_requests set result = result - 'usage' where id = $1`, [requestId]);

    const events = await streamedEvents(await generate(user, playlistId, { count: 1 }, { ...headers, accept: "application/x-ndjson" }));
    expect(events).toEqual([{ type: "error", error: { code: "internal", message: expect.any(String) } }]);
    // The plain-JSON replay of the same damage is a 500 with the standard body, not a malformed answer.
    const json = await generate(user, playlistId, { count: 1 }, headers);
    expect(json.status).toBe(500);
  });

  it("the browser client reads the real stream through the schema, in the order the route sent it", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    failSlotOne();
    vi.stubGlobal("fetch", routeFetch(user, playlistId));
    const seen: SimilarEvent[] = [];
    const done = await streamGenerateSimilar(playlistId, { count: 3 }, (e) => seen.push(e));
    expect(seen[0].type).toBe("started");
    expect(seen.at(-1)).toEqual(done);
    expect(done).toMatchObject({ succeeded: 2, failed: 1 });
    expect(seen.filter((e) => e.type === "lesson_failed").map((e) => e.index)).toEqual([1]);
  });

  it("the browser client's JSON fallback gives each lesson its own slot and a valid via", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    failSlotOne();
    const fetch = routeFetch(user, playlistId, { forceJson: true });
    vi.stubGlobal("fetch", fetch);
    const seen: SimilarEvent[] = [];
    const done = await streamGenerateSimilar(playlistId, { count: 3 }, (e) => seen.push(e));
    const answer = await fetch.mock.results[0].value;
    expect(answer.headers.get("content-type")).toContain("application/json");
    // Every event the fallback produced is one the stream could have carried.
    for (const e of seen) expect(generationEventSchema.parse(e)).toEqual(e);
    expect(seen.filter((e) => e.type !== "started" && e.type !== "done").map((e) => [e.type, "index" in e ? e.index : null])).toEqual([
      ["lesson", 0],
      ["lesson_failed", 1],
      ["lesson", 2],
    ]);
    expect(done).toMatchObject({ type: "done", succeeded: 2, failed: 1 });
  });

  it("the browser client turns the stream's error line into an ApiError", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    const key = "damaged-2";
    vi.stubGlobal("fetch", routeFetch(user, playlistId));
    await streamGenerateSimilar(playlistId, { count: 1 }, () => undefined, { idempotencyKey: key });
    await h.db.sql.query(`update public.generation_requests set result = jsonb_set(result, '{lessons}', '"not a list"') where idempotency_key = $1`, [key]);
    const err = await streamGenerateSimilar(playlistId, { count: 1 }, () => undefined, { idempotencyKey: key }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: "internal" });
  });
});

describe("final status", () => {
  const failed = (...codes: string[]) => codes.map((code) => ({ error: { code, message: "" } }));
  it.each([
    ["every slot saved", 3, 3, failed(), "succeeded"],
    ["some saved, the rest failed", 3, 1, failed("invalid_output", "missing"), "partial"],
    ["nothing saved", 2, 0, failed("provider_unavailable", "provider_unavailable"), "failed"],
    ["cancelled before the rest started", 3, 1, failed("cancelled", "invalid_output"), "cancelled"],
    ["cancelled before anything was saved", 2, 0, failed("cancelled", "cancelled"), "cancelled"],
  ] as const)("%s", (_name, asked, saved, fails, status) => {
    expect(finalStatus(asked, saved, fails)).toBe(status);
  });

  it("a provider outage finishes the request as failed and refunds every reserved lesson", async () => {
    const { user, playlistId } = await learnerWithPlaylist();
    h.sim.queueFaults(...Array.from({ length: 40 }, () => "unavailable" as const));
    try {
      const res = await generate(user, playlistId, { count: 2 });
      expect(res.status).toBe(503);
      const [req] = await h.db.sql.query("select status from public.generation_requests where user_id = $1", [user.userId]);
      expect(req.status).toBe("failed");
      expect(await quotaOf(user)).toMatchObject({ usedToday: 0, reserved: 0 });
    } finally {
      h.sim = makeGateway().sim;
    }
  });
});
