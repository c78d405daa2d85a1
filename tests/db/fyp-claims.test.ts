// Prefetch job claims (fyp_claims): every shortfall row a sweep plan or a learner's fill reports is
// claimed in Postgres, so no other run (another instance's sweep, the learner's own top-up) pays for the
// same gap; delivery and fyp_release_claims release it, and a claim past its 10-minute TTL is taken over.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";
import type { Db } from "@/lib/db/port";

interface Shortfall {
  userId?: string;
  topicId: string;
  missing: number;
}

const kinds = testDbKinds();

describe.each(kinds)("fyp claims on $kind", ({ kind, skip }) => {
  let db: TestDb;
  let service: Db;
  let fixtures = 0;

  beforeAll(async () => {
    if (skip) return;
    db = await createTestDb({ kind });
    service = db.provider.as({ role: "service_role" });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  /** `learners` new learners each following `topics` new topics (easy), with an empty library. */
  async function fixture(learners: number, topics: number): Promise<{ users: string[]; topics: string[] }> {
    const n = ++fixtures;
    const [subject] = await db.sql.query("insert into public.subjects (slug, name, position) values ($1, $2, $3) returning id", [`claims-${n}`, `Claims ${n}`, n]);
    const topicIds: string[] = [];
    for (let i = 0; i < topics; i++) {
      const [t] = await db.sql.query("insert into public.topics (subject_id, slug, name, position) values ($1, $2, $3, $4) returning id", [subject.id, `claims-${n}-${i}`, `Topic ${n}.${i}`, i]);
      topicIds.push(String(t.id));
    }
    const users: string[] = [];
    for (let i = 0; i < learners; i++) {
      const u = await service.rpc("sign_in_local_user", { p_email: `claims${n}-${i}@example.com` });
      users.push(u.userId);
    }
    await db.sql.query(
      "insert into public.topic_follows (user_id, topic_id) select u, t from unnest($1::uuid[]) u cross join unnest($2::uuid[]) t",
      [users, topicIds],
    );
    return { users, topics: topicIds };
  }

  /** Takes a fixture's learners out of later sweeps (each test's plans see every low feed in the database). */
  async function retire(f: { users: string[] }) {
    await db.sql.query("delete from public.topic_follows where user_id = any($1::uuid[])", [f.users]);
  }

  const plan = () => service.rpc("fyp_sweep_plan", { p_cap: 2, p_max_learners: 1000 });
  const claims = () => db.sql.query("select user_id, topic_id, claim_id::text as claim_id, extract(epoch from claimed_until - now())::float8 as ttl from public.fyp_claims");
  const key = (s: Shortfall) => `${s.userId}|${s.topicId}`;

  it.skipIf(skip)("a sweep plan claims every shortfall row; a concurrent plan and the learner's own fill leave them alone", async () => {
    const f = await fixture(4, 2);
    // Two plans at once (two app instances): together they report each (learner, topic) exactly once,
    // and all of it from one plan, so no group is split between two sweeps either.
    const [a, b] = await Promise.all([plan(), plan()]);
    const rows = [...a.shortfall, ...b.shortfall];
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map(key)).size).toBe(8);
    expect([a.shortfall.length, b.shortfall.length].sort()).toEqual([0, 8]);
    const owner = a.shortfall.length ? a : b;
    expect(owner.claimId).toEqual(expect.any(String));
    expect((a.shortfall.length ? b : a).claimId).toBeNull();

    const held = await claims();
    expect(held).toHaveLength(8);
    expect(held.every((c) => c.claim_id === owner.claimId)).toBe(true);
    // The TTL is ten minutes.
    expect(held.every((c) => Number(c.ttl) > 590 && Number(c.ttl) <= 600)).toBe(true);

    // A later plan skips the claimed learners entirely; the learner's own top-up sees the topics in progress.
    expect(await plan()).toMatchObject({ learnersToppedUp: 0, shortfall: [], claimId: null });
    expect(await service.rpc("fyp_fill_from_library", { p_user_id: f.users[0], p_cap: 2 })).toEqual({
      fromLibrary: 0, shortfall: [], inProgress: 2, claimId: null,
    });
    expect(await service.rpc("fyp_release_claims", { p_claim_id: owner.claimId })).toEqual({ released: 8 });
    await retire(f);
  });

  it.skipIf(skip)("delivery releases the learner's claims in the same call; fyp_release_claims releases the rest", async () => {
    const f = await fixture(3, 2);
    const first = await plan();
    expect(first.shortfall).toHaveLength(6);
    const lessons = await db.sql.query(
      `insert into public.lessons (topic_id, difficulty, title, normalized_title, content, source)
       select $1::uuid, 'easy', 'Delivered ' || g, 'delivered ' || g, '{}'::jsonb, 'generated' from generate_series(1, 2) g returning id`,
      [f.topics[0]],
    );
    const ids = lessons.map((r) => String(r.id));
    // Learner 0 got topic 0; topic 1 failed. Both of learner 0's claims go with the delivery.
    expect(await service.rpc("fyp_deliver", { p_user_id: f.users[0], p_lesson_ids: ids, p_cap: 2, p_claim_id: first.claimId })).toEqual({ delivered: 2, released: 2 });
    const retry = await plan();
    expect(retry.shortfall.map((s) => [s.userId, s.topicId, s.missing])).toEqual([[f.users[0], f.topics[1], 2]]);
    // The first sweep ends: its remaining claims (learners 1 and 2) go, the retry's are untouched.
    expect(await service.rpc("fyp_release_claims", { p_claim_id: first.claimId })).toEqual({ released: 4 });
    expect((await claims()).map((c) => c.claim_id)).toEqual([retry.claimId]);
    expect(await service.rpc("fyp_release_claims", { p_claim_id: retry.claimId })).toEqual({ released: 1 });

    // Now learners 1 and 2 take topic 0 from the library and only topic 1 is still short, for everyone.
    const next = await plan();
    expect(next.fromLibrary).toBe(4);
    expect(next.shortfall.map((s) => [s.userId, s.topicId]).sort()).toEqual(f.users.map((u) => [u, f.topics[1]]).sort());
    await service.rpc("fyp_release_claims", { p_claim_id: next.claimId });
    expect(await service.rpc("fyp_release_claims", { p_claim_id: null })).toEqual({ released: 0 });
    await retire(f);
  });

  it.skipIf(skip)("a claim older than its TTL is taken over, by a sweep or by the learner's own top-up", async () => {
    const f = await fixture(2, 1);
    const crashed = await plan(); // an instance that claimed and died
    expect(crashed.shortfall).toHaveLength(2);
    expect(await plan()).toMatchObject({ shortfall: [], claimId: null });

    // Nine minutes later the claims still hold.
    await db.sql.query("update public.fyp_claims set claimed_until = claimed_until - interval '9 minutes'");
    expect(await plan()).toMatchObject({ shortfall: [], claimId: null });
    // Past ten minutes they are expired: the learner's top-up takes over its own, a sweep the other.
    await db.sql.query("update public.fyp_claims set claimed_until = claimed_until - interval '61 seconds'");
    const own = await service.rpc("fyp_fill_from_library", { p_user_id: f.users[0], p_cap: 2 });
    expect(own.shortfall.map((s) => [s.topicId, s.missing])).toEqual([[f.topics[0], 2]]);
    const sweep = await plan();
    expect(sweep.shortfall.map((s) => [s.userId, s.topicId, s.missing])).toEqual([[f.users[1], f.topics[0], 2]]);
    // The crashed run can no longer release what others took over.
    expect(await service.rpc("fyp_release_claims", { p_claim_id: crashed.claimId })).toEqual({ released: 0 });
    const held = await claims();
    expect(held.map((c) => c.claim_id).sort()).toEqual([own.claimId, sweep.claimId].sort());
    await service.rpc("fyp_release_claims", { p_claim_id: own.claimId });
    await service.rpc("fyp_release_claims", { p_claim_id: sweep.claimId });
    await retire(f);
  });

  it.skipIf(skip)("a sweep plan drops expired claims nobody took over", async () => {
    const f = await fixture(1, 1);
    const p = await plan();
    expect(p.shortfall).toHaveLength(1);
    // The learner unfollows while claimed, and the claim expires: nothing would ever take it over.
    await db.sql.query("delete from public.topic_follows where user_id = $1", [f.users[0]]);
    await db.sql.query("update public.fyp_claims set claimed_until = now() - interval '1 second'");
    expect(await plan()).toMatchObject({ shortfall: [] });
    expect(await claims()).toEqual([]);
  });
});
