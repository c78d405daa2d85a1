// Learner functions behave as docs/database.md says: catalogue, follows, playlists, lessons, feed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import type { Db } from "@/lib/db/port";
import { rpcUnchecked } from "@/lib/db/contract-db";

const A = "00000000-0000-4000-8000-000000000001";

let db: TestDb;
let me: Db;
beforeAll(async () => {
  db = await createTestDb({ seed: true });
  me = db.provider.as({ role: "authenticated", userId: A, email: "learner@example.com" });
});
afterAll(async () => {
  await db?.cleanup();
});


describe("learner functions", () => {
  it("me() answers the caller's profile", async () => {
    expect(await me.rpc("me")).toEqual({
      id: A, email: "learner@example.com", displayName: "Lena Learner", tier: "free", role: "learner", isAdmin: false,
    });
  });

  it("list_catalog shows subjects, topics, follows and lesson counts", async () => {
    const c = await me.rpc("list_catalog");
    expect(c.subjects.map((s) => s.slug)).toEqual(["science", "history", "mathematics", "computing", "economics", "language"]);
    const cells = c.subjects[0].topics.find((t) => t.slug === "cell-biology")!;
    expect(cells).toMatchObject({ followed: true, difficulty: "easy", lessonCount: 3 });
    const chem = c.subjects[0].topics.find((t) => t.slug === "chemistry-basics")!;
    expect(chem).toMatchObject({ followed: false, difficulty: null });
  });

  it("set_topic_follow follows, changes difficulty, unfollows, and rejects bad input", async () => {
    const c = await me.rpc("list_catalog");
    const chem = c.subjects[0].topics.find((t) => t.slug === "chemistry-basics")!;
    expect(await me.rpc("set_topic_follow", { p_topic_id: chem.id, p_follow: true })).toEqual({ topicId: chem.id, followed: true, difficulty: "easy" });
    expect(await me.rpc("set_topic_follow", { p_topic_id: chem.id, p_follow: true, p_difficulty: "medium" })).toMatchObject({ difficulty: "medium" });
    expect(await me.rpc("set_topic_follow", { p_topic_id: chem.id, p_follow: false })).toEqual({ topicId: chem.id, followed: false, difficulty: null });
    await expect(me.rpc("set_topic_follow", { p_topic_id: crypto.randomUUID(), p_follow: true })).rejects.toMatchObject({ message: "not_found" });
    await expect(rpcUnchecked(me, "set_topic_follow", { p_topic_id: chem.id, p_follow: true, p_difficulty: "expert" })).rejects.toMatchObject({ message: "invalid_request" });
  });

  it("manages playlists end to end", async () => {
    const created = await me.rpc("create_playlist", { p_title: "  Revision  ", p_description: "for Friday" });
    expect(created).toMatchObject({ title: "Revision", description: "for Friday", lessonCount: 0, topicName: null });
    await expect(me.rpc("create_playlist", { p_title: "" })).rejects.toMatchObject({ message: "invalid_request" });
    await expect(me.rpc("create_playlist", { p_title: "x".repeat(81) })).rejects.toMatchObject({ message: "invalid_request" });

    const ids = (await db.sql.query("select id from public.lessons where source = 'seed' order by created_at limit 3")).map((r) => r.id as string);
    for (const id of ids) await me.rpc("add_playlist_lesson", { p_playlist_id: created.id, p_lesson_id: id });
    const again = await me.rpc("add_playlist_lesson", { p_playlist_id: created.id, p_lesson_id: ids[0] });
    expect(again.lessonCount).toBe(3); // no-op when already there
    expect(again.topicName).toBe("Cell Biology");

    const reordered = [ids[2], ids[0], ids[1]];
    await me.rpc("reorder_playlist", { p_playlist_id: created.id, p_lesson_ids: reordered });
    const full = await me.rpc("get_playlist", { p_playlist_id: created.id });
    expect(full.lessons.map((l) => l.id)).toEqual(reordered);
    expect(full.lessons.map((l) => l.position)).toEqual([0, 1, 2]);
    await expect(me.rpc("reorder_playlist", { p_playlist_id: created.id, p_lesson_ids: [ids[0], ids[1]] })).rejects.toMatchObject({ message: "invalid_request" });
    await expect(me.rpc("reorder_playlist", { p_playlist_id: created.id, p_lesson_ids: [ids[0], ids[0], ids[1]] })).rejects.toMatchObject({ message: "invalid_request" });

    const removed = await me.rpc("remove_playlist_lesson", { p_playlist_id: created.id, p_lesson_id: ids[0] });
    expect(removed.lessonCount).toBe(2);
    const after = await me.rpc("get_playlist", { p_playlist_id: created.id });
    expect(after.lessons.map((l) => [l.id, l.position])).toEqual([[ids[2], 0], [ids[1], 1]]);

    const updated = await me.rpc("update_playlist", { p_playlist_id: created.id, p_title: "Renamed" });
    expect(updated).toMatchObject({ title: "Renamed", description: "for Friday" });
    expect((await me.rpc("list_playlists")).playlists[0].id).toBe(created.id); // most recently updated first
    expect(await me.rpc("delete_playlist", { p_playlist_id: created.id })).toEqual({ deleted: true });
    await expect(me.rpc("get_playlist", { p_playlist_id: created.id })).rejects.toMatchObject({ message: "not_found" });
  });

  it("get_lesson returns a LessonRecord, not_found otherwise", async () => {
    const id = (await db.sql.query("select id from public.lessons limit 1"))[0].id as string;
    const lesson = await me.rpc("get_lesson", { p_lesson_id: id });
    expect(Object.keys(lesson).sort()).toEqual(
      ["content", "createdAt", "difficulty", "id", "model", "source", "subjectName", "subjectSlug", "title", "topicId", "topicName", "topicSlug"],
    );
    expect(lesson.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await expect(me.rpc("get_lesson", { p_lesson_id: crypto.randomUUID() })).rejects.toMatchObject({ code: "P0001", message: "not_found" });
  });

  it("get_feed lists pending items oldest first; mark_feed_seen removes one", async () => {
    const feed = await me.rpc("get_feed");
    expect(feed.items.length).toBe(8); // 4 followed topics × 2 from the library
    expect(feed.items.every((i) => i.status === "pending")).toBe(true);
    expect(feed.topics.map((t) => t.pending)).toEqual([2, 2, 2, 2]);
    const first = feed.items[0].lessonId;
    expect(await me.rpc("mark_feed_seen", { p_lesson_id: first })).toEqual({ lessonId: first, status: "seen" });
    const after = await me.rpc("get_feed");
    expect(after.items.map((i) => i.lessonId)).not.toContain(first);
    await expect(me.rpc("mark_feed_seen", { p_lesson_id: crypto.randomUUID() })).rejects.toMatchObject({ message: "not_found" });
  });
});
