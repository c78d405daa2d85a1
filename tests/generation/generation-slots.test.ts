// Playlist slots reserved when a generation begins (supabase/migrations/20261129000200_generation_slots.sql):
// each lesson lands in its own slot whatever order it arrives in, a lesson added by hand meanwhile goes
// after the reserved slots, and finishing closes the gaps failed slots left.
import type { z } from "zod";
import type { lessonContent } from "@/lib/contracts/entities";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeLesson, makePlaylist, makeTopics, makeUser, setupHarness, type Harness, type User } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness();
});

afterAll(async () => {
  await h?.cleanup();
});

type LessonContent = z.input<typeof lessonContent>;

function content(title: string): LessonContent {
  const q = { question: `What about ${title}?`, choices: ["A", "B", "C", "D"] as [string, string, string, string], correctIndex: 0 as const, explanation: "Because A." };
  return { version: 1, title, content: `${title} in a few words.`, difficulty: "easy", questions: [q, q, q], keyTerms: [] };
}

async function playlistOf(user: User, playlistId: string) {
  const p = await user.db.rpc("get_playlist", { p_playlist_id: playlistId });
  return p.lessons;
}

it("saves each lesson into its reserved slot; a hand-added lesson goes after them; finishing closes gaps", async () => {
  const [topic] = await makeTopics(h, 1, "Art", ["Perspective"]);
  const user = await makeUser(h, "painter@example.com");
  const seed = await makeLesson(h, topic.id, "Vanishing points");
  const playlistId = await makePlaylist(user, "Perspective", [seed]);
  const begun = await h.service.rpc("begin_generation", {
    p_user_id: user.userId, p_idempotency_key: null, p_body_hash: "slots", p_feature: "similar", p_playlist_id: playlistId, p_count: 3,
  });
  const save = (slot: number, title: string) =>
    h.service.rpc("save_generated_lessons", {
      p_request_id: begun.requestId,
      p_lessons: [{ slot, topicId: topic.id, difficulty: "easy", title, content: content(title), model: "sim-standard" }],
    });

  await save(2, "Slot two arrives first");
  const byHand = await makeLesson(h, topic.id, "Added while generating");
  await user.db.rpc("add_playlist_lesson", { p_playlist_id: playlistId, p_lesson_id: byHand });
  await save(0, "Slot zero arrives second");
  // Slot 1 fails: it is never saved.
  expect((await playlistOf(user, playlistId)).map((l) => l.title)).toEqual([
    "Vanishing points",
    "Slot zero arrives second",
    "Slot two arrives first",
    "Added while generating",
  ]);

  await h.service.rpc("finish_generation", { p_request_id: begun.requestId, p_status: "partial", p_result: null });
  const after = await playlistOf(user, playlistId);
  expect(after.map((l) => l.title)).toEqual(["Vanishing points", "Slot zero arrives second", "Slot two arrives first", "Added while generating"]);
  expect(after.map((l) => l.position)).toEqual([0, 1, 2, 3]);
});

it("two generations running on one playlist reserve disjoint slots", async () => {
  const [topic] = await makeTopics(h, 1, "Art", ["Colour"]);
  const user = await makeUser(h, "colourist@example.com");
  const playlistId = await makePlaylist(user, "Colour", [await makeLesson(h, topic.id, "Primary colours")]);
  const begin = (hash: string) =>
    h.service.rpc("begin_generation", {
      p_user_id: user.userId, p_idempotency_key: null, p_body_hash: hash, p_feature: "similar", p_playlist_id: playlistId, p_count: 2,
    });
  const a = await begin("a");
  const b = await begin("b");
  const save = (requestId: string, slot: number, title: string) =>
    h.service.rpc("save_generated_lessons", {
      p_request_id: requestId,
      p_lessons: [{ slot, topicId: topic.id, difficulty: "easy", title, content: content(title), model: "sim-standard" }],
    });
  await save(b.requestId, 0, "Second request, slot zero");
  await save(a.requestId, 1, "First request, slot one");
  await save(a.requestId, 0, "First request, slot zero");
  expect((await playlistOf(user, playlistId)).map((l) => l.title)).toEqual([
    "Primary colours",
    "First request, slot zero",
    "First request, slot one",
    "Second request, slot zero",
  ]);
});
