// The horizon planner on a seeded database: a topic whose fastest follower reads 4 lessons an hour
// gets the slice beyond the 3-hour fast horizon sent slow, due when that follower will reach it;
// lessons already in open slow batches are not planned again; a topic nobody reads is left alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { planHorizon } from "@/lib/slowlane/horizon";
import { createDbSlowLaneStore } from "@/lib/slowlane/store";
import { group } from "./harness";

const H = 3600_000;
const policy = { fastHorizonMs: 3 * H, sliceMs: H, windowHours: 1, feedCap: 2, slowAvailable: true };

describe("horizon planner", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb({ seed: true });
  }, 120_000);
  afterAll(async () => {
    await db?.cleanup();
  });

  it("plans the slice beyond the fast horizon from the fastest follower's reading rate", async () => {
    const service = db.provider.as({ role: "service_role" });
    const [first] = await db.sql.query(`select id from public.topics order by id limit 1`);
    // Six more easy lessons in the topic's library (copies of a seed lesson's content under new titles).
    await db.sql.query(
      `insert into public.lessons (topic_id, difficulty, title, normalized_title, content, source)
       select $1, 'easy', 'Extra lesson ' || g, 'extra lesson ' || g, (select content from public.lessons limit 1), 'seed' from generate_series(1, 6) g`,
      [first.id],
    );
    const [topic] = await db.sql.query(`select t.id, (select count(*)::int from public.lessons l where l.topic_id = t.id and l.difficulty = 'easy') as lessons from public.topics t where t.id = $1`, [first.id]);
    const [quiet] = await db.sql.query(`select id from public.topics where id <> $1 order by id limit 1`, [topic.id]);
    const fast = await service.rpc("sign_in_local_user", { p_email: "fast-reader@example.com", p_promote_admin: false });
    const slow = await service.rpc("sign_in_local_user", { p_email: "slow-reader@example.com", p_promote_admin: false });
    for (const u of [fast, slow]) await db.provider.as({ role: "authenticated", userId: u.userId }).rpc("set_topic_follow", { p_topic_id: String(topic.id), p_follow: true, p_difficulty: "easy" });
    await db.provider.as({ role: "authenticated", userId: slow.userId }).rpc("set_topic_follow", { p_topic_id: String(quiet.id), p_follow: true, p_difficulty: "easy" });
    // The fast reader saw 4 of the topic's lessons in the last hour; the other follower one.
    await db.sql.query(
      `insert into public.feed_items (user_id, lesson_id, topic_id, status, seen_at)
       select $1, l.id, l.topic_id, 'seen', now() - interval '10 minutes' from public.lessons l where l.topic_id = $2 and l.difficulty = 'easy' order by l.id limit 4`,
      [fast.userId, topic.id],
    );
    await db.sql.query(
      `insert into public.feed_items (user_id, lesson_id, topic_id, status, seen_at)
       select $1, l.id, l.topic_id, 'seen', now() - interval '10 minutes' from public.lessons l where l.topic_id = $2 and l.difficulty = 'easy' order by l.id limit 1`,
      [slow.userId, topic.id],
    );
    const stock = Number(topic.lessons) - 4; // the fast reader's unseen library lessons

    const now = Date.now();
    const plan = await planHorizon(service, now, policy);
    const job = plan.jobs.find((j) => j.topicId === topic.id);
    // 4 lessons/h: within 3 h the reader needs 12 (the sweep's fast lane covers what the stock does
    // not); the next hour's 4 go slow, due when the reader gets through the stock and the fast ones.
    expect(stock).toBeLessThan(12);
    expect(job).toMatchObject({ difficulty: "easy", need: 4, learners: [] });
    expect(job!.deadlineAt).toBe(now + 3 * H);
    expect(job!.avoidTitles.length).toBeGreaterThan(0);
    expect(plan.jobs.find((j) => j.topicId === quiet.id)).toBeUndefined();

    // Once those 4 are in an open batch, the next plan does not send them again.
    const store = createDbSlowLaneStore(async () => service);
    const g = group("slow:planned", 4, job!.deadlineAt, { topicId: String(topic.id) });
    await store.record({ key: g.key, provider: "sim", model: "sim-mini", chunkIds: [`${g.key}#0`], payload: { group: g, chunks: [{ chunkId: `${g.key}#0`, slots: [0, 1, 2, 3] }], attempt: 0 }, deadlineAt: g.deadlineAt });
    const again = await planHorizon(service, now, policy);
    expect(again.jobs.find((j) => j.topicId === topic.id)).toBeUndefined();
  }, 60_000);
});
