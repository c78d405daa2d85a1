// With two calls streaming in parallel, lessons arrive interleaved (0, 4, 1, 5, ...). Each is saved as it
// arrives, yet the playlist ends up in slot order.
import { afterAll, beforeAll, expect, it } from "vitest";
import { POST } from "@/app/api/playlists/[id]/generate-similar/route";
import { call, makeLesson, makePlaylist, makeTopics, makeUser, readNdjson, setupHarness, type Harness } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness({ profile: "typical", timeScale: 0.02 });
});

afterAll(async () => {
  await h?.cleanup();
});

it("keeps the playlist in slot order when lessons arrive out of order", async () => {
  const [topic] = await makeTopics(h, 1, "Music", ["Harmony"]);
  const user = await makeUser(h, "composer@example.com");
  const first = await makeLesson(h, topic.id, "Chords and intervals");
  const playlistId = await makePlaylist(user, "Harmony", [first]);

  const res = await call(POST, "POST", `/api/playlists/${playlistId}/generate-similar`, {
    cookie: user.cookie,
    json: { count: 7 },
    headers: { accept: "application/x-ndjson" },
    params: { id: playlistId },
  });
  const events = await readNdjson(res);
  const lessons = events.filter((e) => e.type === "lesson") as { index: number; lesson: { id: string } }[];
  expect(lessons).toHaveLength(7);
  const arrival = lessons.map((e) => e.index);
  // Two chunks (4 + 3) streaming at once: arrival is interleaved, not slot order.
  expect(arrival).not.toEqual([...arrival].sort((a, b) => a - b));

  const p = await user.db.rpc("get_playlist", { p_playlist_id: playlistId });
  const bySlot = [...lessons].sort((a, b) => a.index - b.index).map((e) => e.lesson.id);
  expect(p.lessons.map((l) => l.id)).toEqual([first, ...bySlot]);
});
