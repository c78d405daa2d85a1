// Generation requests: idempotency keys, saving lessons idempotently per (request, slot) with the
// playlist append in one transaction, and the stored replay result.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";
import type { Db } from "@/lib/db/port";
import { rpcUnchecked } from "@/lib/db/contract-db";
import type { LessonContent } from "@/lib/lessons/types";

const A = "00000000-0000-4000-8000-000000000001";

function content(title: string): LessonContent {
  const q = (n: number) => ({
    question: `Question number ${n} about ${title}?`,
    choices: ["One", "Two", "Three", "Four"] as [string, string, string, string],
    correctIndex: (n % 4) as 0 | 1 | 2 | 3,
    explanation: "Because the lesson says so.",
  });
  return { version: 1, title, content: "word ".repeat(90).trim(), difficulty: "easy", questions: [q(0), q(1), q(2)], keyTerms: [] };
}

const kinds = testDbKinds();

describe.each(kinds)("generation on $kind", ({ kind, skip }) => {
  let db: TestDb;
  let service: Db;
  let playlistId: string;
  let topicId: string;

  beforeAll(async () => {
    if (skip) return;
    db = await createTestDb({ kind, seed: true });
    service = db.provider.as({ role: "service_role" });
    const { playlists } = await db.provider.as({ role: "authenticated", userId: A }).rpc("list_playlists");
    playlistId = playlists.find((p) => p.title === "Biology starters")!.id;
    topicId = (await db.sql.query("select id from public.topics where slug = 'cell-biology'"))[0].id as string;
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  const lessons = (titles: string[], offset = 0) =>
    titles.map((title, i) => ({ slot: i + offset, topicId, difficulty: "easy", title, content: content(title), model: "sim-1" }));

  it.skipIf(skip)("gives playlist context for generate-similar", async () => {
    const ctx = await service.rpc(
      "playlist_generation_context", { p_user_id: A, p_playlist_id: playlistId },
    );
    expect(ctx).toMatchObject({ playlistId, topicId, topicName: "Cell Biology", subjectName: "Science", lessonCount: 3 });
    expect(ctx.avoidTitles).toContain("Why Cells Need Membranes");
  });

  it.skipIf(skip)("saving the same generation request twice stores one set of lessons", async () => {
    const begin = await service.rpc("begin_generation", {
      p_user_id: A, p_idempotency_key: "key-1", p_body_hash: "h1", p_feature: "similar", p_playlist_id: playlistId, p_count: 2,
    });
    expect(begin.state).toBe("new");
    const batch = lessons(["Ribosomes Read the Code!", "Golgi   Packs and Ships"]);
    const first = await service.rpc("save_generated_lessons", { p_request_id: begin.requestId, p_lessons: batch });
    const second = await service.rpc("save_generated_lessons", { p_request_id: begin.requestId, p_lessons: batch });
    expect(first.lessons.map((l) => l.id)).toEqual(second.lessons.map((l) => l.id));
    expect(first.lessons.map((l) => l.title)).toEqual(["Ribosomes Read the Code!", "Golgi   Packs and Ships"]);
    expect(first.lessons[0]).toMatchObject({ source: "generated", model: "sim-1", topicSlug: "cell-biology", subjectSlug: "science" });
    expect(first.lessons[0].content.version).toBe(1);

    const stored = await db.sql.query(
      "select normalized_title from public.lessons where generation_request_id = $1 order by generation_slot", [begin.requestId],
    );
    expect(stored.map((r) => r.normalized_title)).toEqual(["ribosomes read the code", "golgi packs and ships"]);

    const playlist = await db.provider.as({ role: "authenticated", userId: A }).rpc(
      "get_playlist", { p_playlist_id: playlistId },
    );
    expect(playlist.lessons).toHaveLength(5);
    expect(playlist.lessons.slice(3).map((l) => l.title)).toEqual(["Ribosomes Read the Code!", "Golgi   Packs and Ships"]);
    expect(playlist.lessons.map((l) => l.position)).toEqual([0, 1, 2, 3, 4]);
  });

  it.skipIf(skip)("answers saved lessons in the caller's order, even when slots arrive out of order", async () => {
    const begin = await service.rpc("begin_generation", {
      p_user_id: A, p_idempotency_key: null, p_body_hash: "h3", p_feature: "similar", p_playlist_id: null, p_count: 3,
    });
    const batch = [...lessons(["Third Slot Lesson Title"], 2), ...lessons(["First Slot Lesson Title"], 0)];
    const out = await service.rpc("save_generated_lessons", { p_request_id: begin.requestId, p_lessons: batch });
    expect(out.lessons.map((l) => l.title)).toEqual(["Third Slot Lesson Title", "First Slot Lesson Title"]);
  });

  it.skipIf(skip)("appends a later slot after earlier ones, in slot order", async () => {
    const begin = await service.rpc("begin_generation", {
      p_user_id: A, p_idempotency_key: null, p_body_hash: "h2", p_feature: "similar", p_playlist_id: playlistId, p_count: 3,
    });
    await service.rpc("save_generated_lessons", { p_request_id: begin.requestId, p_lessons: lessons(["Slot Two Comes Last Here"], 2) });
    await service.rpc("save_generated_lessons", { p_request_id: begin.requestId, p_lessons: lessons(["Slot Zero Comes First Here"], 0) });
    const n = await db.sql.query("select count(*)::int as n from public.lessons where generation_request_id = $1", [begin.requestId]);
    expect(n[0].n).toBe(2);
  });

  it.skipIf(skip)("replays a finished request, flags a changed body and an unfinished one", async () => {
    const args = { p_user_id: A, p_idempotency_key: "key-2", p_body_hash: "hash-a", p_feature: "similar" as const, p_playlist_id: playlistId, p_count: 1 };
    const first = await service.rpc("begin_generation", args);
    expect(first.state).toBe("new");
    expect(await service.rpc("begin_generation", args)).toMatchObject({ requestId: first.requestId, state: "in_progress" });
    expect(await service.rpc("begin_generation", { ...args, p_body_hash: "hash-b" })).toMatchObject({ state: "conflict" });
    const result = { requestId: first.requestId, lessons: [{ id: "x" }], failed: [], usage: { calls: 1 }, quota: { remaining: 3 } };
    expect(await service.rpc("finish_generation", { p_request_id: first.requestId, p_status: "succeeded", p_result: result })).toMatchObject({
      status: "succeeded", succeeded: 1, failed: 0,
    });
    expect(await service.rpc("begin_generation", args)).toEqual({ requestId: first.requestId, state: "replay", result });
  });

  it.skipIf(skip)("lets the cron sweep start requests without a user", async () => {
    const a = await service.rpc("begin_generation", {
      p_user_id: null, p_idempotency_key: null, p_body_hash: null, p_feature: "fyp-sweep", p_playlist_id: null, p_count: 4,
    });
    expect(a.state).toBe("new");
    const saved = await service.rpc("save_generated_lessons", { p_request_id: a.requestId, p_lessons: lessons(["Sweep Lesson About Cells"]) });
    expect(saved.lessons).toHaveLength(1);
  });

  it.skipIf(skip)("rejects malformed lessons and unknown requests", async () => {
    const begin = await service.rpc("begin_generation", {
      p_user_id: A, p_idempotency_key: null, p_body_hash: null, p_feature: "similar", p_playlist_id: null, p_count: 1,
    });
    await expect(rpcUnchecked(service, "save_generated_lessons", { p_request_id: begin.requestId, p_lessons: [{ slot: 0, title: "x" }] })).rejects.toMatchObject({
      code: "P0001", message: "invalid_request",
    });
    await expect(service.rpc("save_generated_lessons", { p_request_id: crypto.randomUUID(), p_lessons: [] })).rejects.toMatchObject({
      code: "P0001", message: "not_found",
    });
    await expect(service.rpc("playlist_generation_context", { p_user_id: A, p_playlist_id: crypto.randomUUID() })).rejects.toMatchObject({
      message: "not_found",
    });
  });

  it.skipIf(skip)("says playlist_empty for a playlist with no lessons", async () => {
    const me = db.provider.as({ role: "authenticated", userId: A });
    const empty = await me.rpc("create_playlist", { p_title: "Empty one" });
    await expect(service.rpc("playlist_generation_context", { p_user_id: A, p_playlist_id: empty.id })).rejects.toMatchObject({
      code: "P0001", message: "playlist_empty",
    });
  });
});
