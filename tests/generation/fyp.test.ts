// The learner's For You top-up: the library first, then only the shortfall is generated, never past the cap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as feedGET } from "@/app/api/fyp/route";
import { POST } from "@/app/api/fyp/generate-pending/route";
import { call, makeLesson, makeTopics, makeUser, setupHarness, type Harness } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness();
});

afterAll(async () => {
  await h?.cleanup();
});

describe("learner top-up", () => {
  it("serves the library first, generates only the shortfall, and never passes the cap", async () => {
    const topics = await makeTopics(h, 2, "Biology");
    // Topic 0 has one unseen library lesson at the followed difficulty, topic 1 none.
    await makeLesson(h, topics[0].id, "Cells and their parts", "easy");
    await makeLesson(h, topics[0].id, "A hard lesson nobody follows", "hard");
    const user = await makeUser(h, "feedme@example.com");
    for (const t of topics) await user.db.rpc("set_topic_follow", { p_topic_id: t.id, p_follow: true, p_difficulty: "easy" });
    const calls = h.simCalls();

    const res = await call(POST, "POST", "/api/fyp/generate-pending", { cookie: user.cookie });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { fromLibrary: number; generated: number; failed: number; pending: number };
    expect(body.fromLibrary).toBe(1);
    expect(body.generated + body.failed).toBe(3); // cap 2 per topic: 1 missing on topic 0, 2 on topic 1
    expect(body.pending).toBe(1 + body.generated);
    expect(h.simCalls()).toBeGreaterThan(calls);

    const feed = await call(feedGET, "GET", "/api/fyp", { cookie: user.cookie });
    const f = (await feed.json()) as { items: { lesson: { difficulty: string; topicId: string } }[]; topics: { pending: number }[] };
    expect(f.items).toHaveLength(body.pending);
    expect(f.items.every((i) => i.lesson.difficulty === "easy")).toBe(true);
    expect(f.topics.every((t) => t.pending <= 2)).toBe(true);

    // Full feed: a second top-up makes no model call. Not charged to the learner's quota.
    const again = h.simCalls();
    const second = (await (await call(POST, "POST", "/api/fyp/generate-pending", { cookie: user.cookie })).json()) as { generated: number; fromLibrary: number };
    if (body.failed === 0) {
      expect(second).toMatchObject({ generated: 0, fromLibrary: 0 });
      expect(h.simCalls()).toBe(again);
    }
    const q = await user.db.rpc("get_my_quota");
    expect(q.usedToday).toBe(0);
  });

  it("concurrent top-ups never exceed the cap", async () => {
    const [topic] = await makeTopics(h, 1, "Geology");
    const user = await makeUser(h, "twice@example.com");
    await user.db.rpc("set_topic_follow", { p_topic_id: topic.id, p_follow: true, p_difficulty: "easy" });
    const [a, b] = await Promise.all([
      call(POST, "POST", "/api/fyp/generate-pending", { cookie: user.cookie }),
      call(POST, "POST", "/api/fyp/generate-pending", { cookie: user.cookie }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [{ n }] = await h.db.sql.query("select count(*)::int as n from public.feed_items where user_id = $1 and status = 'pending'", [user.userId]);
    expect(n).toBeLessThanOrEqual(2);
    expect(n).toBeGreaterThan(0);
  });
});

