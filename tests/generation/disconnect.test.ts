// A client that goes away mid-stream: the call in flight finishes and its lessons are saved, no new call
// (here: the repair a bad lesson would need) starts, and the quota for lessons never generated is refunded.
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST } from "@/app/api/playlists/[id]/generate-similar/route";
import { call, makeLesson, makePlaylist, makeTopics, makeUser, quotaOf, readNdjson, setupHarness, type Harness } from "../api/harness";

let h: Harness;
// Lesson calls: each lesson saved is also screened first by the (free) moderation endpoint (docs/quality.md).
const lessonCalls = () => h.sim.stats().log.filter((e) => !e.model.includes("moderation")).length;

beforeAll(async () => {
  // A latency model, so the client can leave while the call is still streaming.
  h = await setupHarness({ profile: "typical", timeScale: 0.02 });
});

afterAll(async () => {
  await h?.cleanup();
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("saves what was in flight, starts nothing new and refunds the rest", async () => {
  const [topic] = await makeTopics(h, 1, "Chemistry");
  const user = await makeUser(h, "leaver@example.com");
  const playlistId = await makePlaylist(user, "Bonds", [await makeLesson(h, topic.id, "Covalent bonds explained")]);

  h.sim.queueFaults("invalid_item"); // one lesson of the call comes back invalid and would need a repair
  const res = await call(POST, "POST", `/api/playlists/${playlistId}/generate-similar`, {
    cookie: user.cookie,
    json: { count: 3 }, // one call of three (the planner may split five for latency)
    headers: { accept: "application/x-ndjson" },
    params: { id: playlistId },
  });
  expect(res.status).toBe(200);
  const events = await readNdjson(res, (e) => e.type === "lesson");
  const requestId = (events[0] as { requestId: string }).requestId;
  expect(events.at(-1)!.type).toBe("lesson");

  const status = await waitFor(async () => {
    const [r] = await h.db.sql.query("select status from public.generation_requests where id = $1", [requestId]);
    return r.status === "running" ? null : String(r.status);
  });
  expect(status).toBe("cancelled");

  const saved = await h.db.sql.query("select generation_slot as slot from public.lessons where generation_request_id = $1 order by 1", [requestId]);
  const [{ calls }] = await h.db.sql.query("select count(*)::int as calls from public.usage_events where request_id = $1 and mode <> 'moderation'", [requestId]);
  const [{ screens }] = await h.db.sql.query("select count(*)::int as screens from public.usage_events where request_id = $1 and mode = 'moderation'", [requestId]);
  // The call in flight finished: its two good lessons are screened and kept; the repair for the third never started.
  expect(saved).toHaveLength(2);
  expect(calls).toBe(1);
  expect(screens).toBe(2);
  expect(lessonCalls()).toBe(1);
  const q = await quotaOf(user);
  expect(q.usedToday).toBe(2);
  expect(q.reserved).toBe(0);
  const [stored] = await h.db.sql.query("select result from public.generation_requests where id = $1", [requestId]);
  const result = stored.result as { failed: { error: { code: string } }[]; quota: { remaining: number } };
  expect(result.failed.map((f) => f.error.code)).toEqual(["cancelled"]);
  expect(result.quota.remaining).toBe(q.remaining);
  // And they are in the playlist, after the original lesson, in slot order.
  const p = await user.db.rpc("get_playlist", { p_playlist_id: playlistId });
  expect(p.lessons).toHaveLength(1 + 2);
});

it("treats an aborted non-streaming request the same way", async () => {
  const [topic] = await makeTopics(h, 1, "Chemistry", ["Acids"]);
  const user = await makeUser(h, "hangup@example.com");
  const playlistId = await makePlaylist(user, "Acids", [await makeLesson(h, topic.id, "What makes an acid")]);
  const callsBefore = lessonCalls();
  h.sim.queueFaults("invalid_item");
  const ctrl = new AbortController();
  const pending = call(POST, "POST", `/api/playlists/${playlistId}/generate-similar`, {
    cookie: user.cookie,
    json: { count: 3 }, // one call of three (the planner may split five for latency)
    params: { id: playlistId },
    signal: ctrl.signal,
  });
  // Hang up while the model call is in flight.
  await waitFor(async () => (lessonCalls() > callsBefore ? true : null));
  ctrl.abort();
  const res = await pending;
  expect(res.status).toBe(200);
  const body = (await res.json()) as { lessons: unknown[]; failed: { error: { code: string } }[] };
  expect(body.lessons).toHaveLength(2);
  expect(body.failed.map((f) => f.error.code)).toEqual(["cancelled"]);
  expect(lessonCalls()).toBe(callsBefore + 1);
  expect((await quotaOf(user)).usedToday).toBe(2);
});
