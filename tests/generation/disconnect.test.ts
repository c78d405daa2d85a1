// A client that goes away mid-stream: the call in flight finishes and its lessons are saved, no new call
// starts, and the quota for lessons never generated is refunded.
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST } from "@/app/api/playlists/[id]/generate-similar/route";
import { call, makeLesson, makePlaylist, makeTopics, makeUser, quotaOf, readNdjson, setupHarness, type Harness } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  // One call at a time, with a latency model, so the second chunk is still waiting when the client leaves.
  h = await setupHarness({ profile: "typical", timeScale: 0.05, maxConcurrency: 1 });
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

  const res = await call(POST, "POST", `/api/playlists/${playlistId}/generate-similar`, {
    cookie: user.cookie,
    json: { count: 10 },
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
  const slots = saved.map((r) => Number(r.slot));
  const [{ calls }] = await h.db.sql.query("select count(*)::int as calls from public.usage_events where request_id = $1", [requestId]);
  // The first chunk (slots 0..4) was in flight and is kept; the second never started.
  expect(slots.length).toBeGreaterThan(1);
  expect(slots.every((s) => s < 5)).toBe(true);
  expect(h.simCalls()).toBe(calls);
  expect(calls).toBeLessThanOrEqual(1 + (5 - slots.length));
  const q = await quotaOf(user);
  expect(q.usedToday).toBe(slots.length);
  expect(q.reserved).toBe(0);
  // And they are in the playlist, after the original lesson, in slot order.
  const p = await user.db.rpc<{ lessons: { id: string }[] }>("get_playlist", { p_playlist_id: playlistId });
  expect(p.lessons).toHaveLength(1 + slots.length);
});
