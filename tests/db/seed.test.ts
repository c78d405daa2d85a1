// The demo seed loads into a fresh database, and every lesson in it is a valid LessonContent
// (lib/lessons/types.ts rules: title 3–7 words, content 80–105 words, 3 questions × 4 distinct choices,
// explanation ≤ 280 characters, key terms).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import type { LessonContent } from "@/lib/lessons/types";
import { strictLessonSchema } from "@/lib/lessons/schema";

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb({ seed: true });
});
afterAll(async () => {
  await db?.cleanup();
});

const demo = {
  learner: "00000000-0000-4000-8000-000000000001",
  pro: "00000000-0000-4000-8000-000000000002",
  admin: "00000000-0000-4000-8000-000000000003",
  nearly: "00000000-0000-4000-8000-000000000004",
};

describe("demo seed", () => {
  it("has 6 subjects with 4 topics each", async () => {
    const rows = await db.sql.query(
      "select s.slug, count(t.id)::int as n from public.subjects s left join public.topics t on t.subject_id = s.id group by s.slug",
    );
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.n === 4)).toBe(true);
  });

  it("has 30+ lessons that are each valid LessonContent", async () => {
    const rows = await db.sql.query("select id, title, difficulty, content from public.lessons where source = 'seed'");
    expect(rows.length).toBeGreaterThanOrEqual(30);
    const correct = new Set<number>();
    for (const row of rows) {
      const c = row.content as LessonContent;
      const where = `lesson "${String(row.title)}"`;
      expect(c.version, where).toBe(1);
      expect(c.title, where).toBe(row.title);
      expect(c.difficulty, where).toBe(row.difficulty);
      expect(words(c.title), where).toBeGreaterThanOrEqual(3);
      expect(words(c.title), where).toBeLessThanOrEqual(7);
      expect(words(c.content), where).toBeGreaterThanOrEqual(80);
      expect(words(c.content), where).toBeLessThanOrEqual(105);
      expect(c.questions, where).toHaveLength(3);
      for (const q of c.questions) {
        expect(q.choices, where).toHaveLength(4);
        expect(new Set(q.choices.map((x) => x.toLowerCase())).size, where).toBe(4);
        expect([0, 1, 2, 3], where).toContain(q.correctIndex);
        expect(q.explanation.length, where).toBeLessThanOrEqual(280);
        correct.add(q.correctIndex);
      }
      expect(c.keyTerms.length, where).toBeGreaterThan(0);
      // The app's own strict check must accept every seed lesson too.
      expect(strictLessonSchema.safeParse(c).success, where).toBe(true);
    }
    expect(correct.size).toBe(4); // answers are not always in the same position
  });

  it("creates the demo users with their tiers and roles", async () => {
    const service = db.provider.as({ role: "service_role" });
    const learner = await service.rpc("get_profile", { p_user_id: demo.learner });
    const pro = await service.rpc("get_profile", { p_user_id: demo.pro });
    const admin = await service.rpc("get_profile", { p_user_id: demo.admin });
    expect(learner).toMatchObject({ tier: "free", role: "learner", isAdmin: false, email: "learner@example.com" });
    expect(pro).toMatchObject({ tier: "pro", email: "pro@example.com" });
    expect(admin).toMatchObject({ isAdmin: true, email: "admin@example.com" });
  });

  it("gives every demo user followed topics, a filled feed and two playlists of 3–5 lessons", async () => {
    for (const userId of Object.values(demo)) {
      const me = db.provider.as({ role: "authenticated", userId });
      const { playlists } = await me.rpc("list_playlists");
      expect(playlists).toHaveLength(2);
      for (const p of playlists) {
        expect(p.lessonCount).toBeGreaterThanOrEqual(3);
        expect(p.lessonCount).toBeLessThanOrEqual(5);
        const full = await me.rpc("get_playlist", { p_playlist_id: p.id });
        expect(full.lessons.map((l) => l.source)).toEqual(full.lessons.map(() => "seed"));
      }
      const feed = await me.rpc("get_feed");
      expect(feed.topics.length).toBeGreaterThan(0);
      expect(feed.items.length).toBeGreaterThan(0);
    }
  });

  it("leaves nearly@example.com one lesson short of the free quota today", async () => {
    const quota = await db.provider.as({ role: "authenticated", userId: demo.nearly }).rpc("get_my_quota");
    expect(quota).toMatchObject({ usedToday: 19, remaining: 1, lessonsPerDay: 20 });
  });
});
