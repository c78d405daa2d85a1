// Row-level security and function grants, as a table of cases run with real claims (the role and
// request.jwt.claims PostgREST would set): what a learner, an admin or anon could do straight through
// the API with their own session.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";
import { DbError, type DbActor } from "@/lib/db/port";
import { rpcUnchecked } from "@/lib/db/contract-db";
import type { UsageEvent } from "@/lib/contracts/entities";

const A = "00000000-0000-4000-8000-000000000001"; // learner@example.com
const B = "00000000-0000-4000-8000-000000000002"; // pro@example.com
const ADMIN = "00000000-0000-4000-8000-000000000003";

const asA: DbActor = { role: "authenticated", userId: A, email: "learner@example.com" };
const asAdmin: DbActor = { role: "authenticated", userId: ADMIN, email: "admin@example.com" };
const anon: DbActor = { role: "anon" };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Fixture {
  bPlaylist: string;
  bLesson: string;
  bFeedLesson: string;
  lesson: string;
}

type Expect = { rows: number } | { error: string; message?: string };
interface Case {
  name: string;
  actor: DbActor;
  sql?: (f: Fixture) => [string, unknown[]?];
  rpc?: (f: Fixture) => [string, Record<string, unknown>];
  expect: Expect;
}

const denied: Expect = { error: "42501" }; // insufficient_privilege: no grant, or RLS WITH CHECK failed
const forbidden: Expect = { error: "P0001", message: "forbidden" };
const notFound: Expect = { error: "P0001", message: "not_found" };

const cases: Case[] = [
  // Learner A against learner B's playlists
  { name: "A cannot read B's playlists", actor: asA, sql: () => ["select id from public.playlists where user_id = $1", [B]], expect: { rows: 0 } },
  { name: "A cannot read B's playlist lessons", actor: asA, sql: (f) => ["select lesson_id from public.playlist_lessons where playlist_id = $1", [f.bPlaylist]], expect: { rows: 0 } },
  { name: "A cannot rename B's playlist", actor: asA, sql: (f) => ["update public.playlists set title = 'mine' where id = $1 returning id", [f.bPlaylist]], expect: { rows: 0 } },
  { name: "A cannot delete B's playlist", actor: asA, sql: (f) => ["delete from public.playlists where id = $1 returning id", [f.bPlaylist]], expect: { rows: 0 } },
  { name: "A cannot empty B's playlist", actor: asA, sql: (f) => ["delete from public.playlist_lessons where playlist_id = $1 returning 1", [f.bPlaylist]], expect: { rows: 0 } },
  { name: "A cannot create a playlist owned by B", actor: asA, sql: () => ["insert into public.playlists (user_id, title) values ($1, 'x') returning id", [B]], expect: denied },
  { name: "A cannot add to B's playlist directly", actor: asA, sql: (f) => ["insert into public.playlist_lessons (playlist_id, lesson_id, position) values ($1, $2, 99)", [f.bPlaylist, f.lesson]], expect: denied },
  { name: "get_playlist on B's playlist is not_found", actor: asA, rpc: (f) => ["get_playlist", { p_playlist_id: f.bPlaylist }], expect: notFound },
  { name: "add_playlist_lesson on B's playlist is not_found", actor: asA, rpc: (f) => ["add_playlist_lesson", { p_playlist_id: f.bPlaylist, p_lesson_id: f.lesson }], expect: notFound },
  { name: "delete_playlist on B's playlist is not_found", actor: asA, rpc: (f) => ["delete_playlist", { p_playlist_id: f.bPlaylist }], expect: notFound },
  { name: "reorder_playlist on B's playlist is not_found", actor: asA, rpc: (f) => ["reorder_playlist", { p_playlist_id: f.bPlaylist, p_lesson_ids: [f.bLesson] }], expect: notFound },
  // Feeds and follows
  { name: "A cannot read B's feed", actor: asA, sql: () => ["select lesson_id from public.feed_items where user_id = $1", [B]], expect: { rows: 0 } },
  { name: "A cannot mark B's feed item seen", actor: asA, sql: (f) => ["update public.feed_items set status = 'seen' where user_id = $1 and lesson_id = $2 returning 1", [B, f.bFeedLesson]], expect: { rows: 0 } },
  { name: "A cannot push items into B's feed", actor: asA, sql: (f) => ["insert into public.feed_items (user_id, lesson_id, topic_id) select $1::uuid, id, topic_id from public.lessons where id = $2", [B, f.lesson]], expect: denied },
  { name: "mark_feed_seen on B's item is not_found", actor: asA, rpc: (f) => ["mark_feed_seen", { p_lesson_id: f.bFeedLesson }], expect: notFound },
  { name: "A cannot read B's follows", actor: asA, sql: () => ["select topic_id from public.topic_follows where user_id = $1", [B]], expect: { rows: 0 } },
  // Usage is for admins only
  { name: "A cannot read usage events", actor: asA, sql: () => ["select id from public.usage_events"], expect: { rows: 0 } },
  { name: "A cannot read the usage rollup", actor: asA, sql: () => ["select day from public.usage_daily"], expect: { rows: 0 } },
  { name: "A cannot write usage events", actor: asA, sql: () => ["insert into public.usage_events (id, created_at, feature, mode, provider, model, price_version) values (gen_random_uuid(), now(), 'similar', 'single', 'x', 'x', 'x')"], expect: denied },
  { name: "A cannot read B's generation requests", actor: asA, sql: () => ["select id from public.generation_requests where user_id = $1", [B]], expect: { rows: 0 } },
  { name: "A cannot read B's quota", actor: asA, sql: () => ["select day from public.quota_days where user_id = $1", [B]], expect: { rows: 0 } },
  { name: "admin reads usage events", actor: asAdmin, sql: () => ["select id from public.usage_events"], expect: { rows: 2 } },
  // Nobody changes their own tier, role or quota
  { name: "A cannot raise own tier", actor: asA, sql: () => ["update public.profiles set tier = 'pro' where id = $1", [A]], expect: denied },
  { name: "A cannot make themselves admin", actor: asA, sql: () => ["update public.profiles set role = 'admin' where id = $1", [A]], expect: denied },
  { name: "A cannot insert a second profile", actor: asA, sql: () => ["insert into public.profiles (id, email) values ($1, 'x@example.com')", [randomUUID()]], expect: denied },
  { name: "A cannot change tier limits", actor: asA, sql: () => ["update public.tier_limits set lessons_per_day = 100000"], expect: denied },
  { name: "A cannot reset own quota", actor: asA, sql: () => ["update public.quota_days set used = 0 where user_id = $1", [A]], expect: denied },
  { name: "A cannot delete own quota row", actor: asA, sql: () => ["delete from public.quota_days where user_id = $1", [A]], expect: denied },
  { name: "A cannot forge a quota row", actor: asA, sql: () => ["insert into public.quota_days (user_id, day, used) values ($1, current_date + 1, 0)", [A]], expect: denied },
  { name: "A cannot cancel own reservations", actor: asA, sql: () => ["update public.quota_reservations set status = 'settled', used = 0 where user_id = $1", [A]], expect: denied },
  { name: "A cannot touch rate-limit buckets", actor: asA, sql: () => ["select key from public.rate_limit_buckets"], expect: denied },
  // Learners cannot call service functions (they would refund or spend quota for anyone)
  { name: "learner cannot reserve quota", actor: asA, rpc: () => ["reserve_quota", { p_user_id: A, p_lessons: 1, p_request_id: null }], expect: denied },
  { name: "learner cannot settle quota", actor: asA, rpc: () => ["settle_quota", { p_reservation_id: randomUUID(), p_used: 0 }], expect: denied },
  { name: "learner cannot seed quota usage", actor: asA, rpc: () => ["seed_quota_usage", { p_user_id: A, p_used: 0 }], expect: denied },
  { name: "learner cannot insert usage events", actor: asA, rpc: () => ["insert_usage_events", { p_events: [] }], expect: denied },
  { name: "learner cannot save generated lessons", actor: asA, rpc: () => ["save_generated_lessons", { p_request_id: randomUUID(), p_lessons: [] }], expect: denied },
  { name: "learner cannot begin a generation", actor: asA, rpc: () => ["begin_generation", { p_user_id: A, p_idempotency_key: null, p_body_hash: "x", p_feature: "similar", p_playlist_id: null, p_count: 1 }], expect: denied },
  { name: "learner cannot sign anyone in", actor: asA, rpc: () => ["sign_in_local_user", { p_email: "x@example.com", p_promote_admin: true }], expect: denied },
  { name: "learner cannot sync a profile to admin", actor: asA, rpc: () => ["sync_profile", { p_user_id: A, p_email: "learner@example.com", p_promote_admin: true }], expect: denied },
  { name: "learner cannot deliver into feeds", actor: asA, rpc: (f) => ["fyp_deliver", { p_user_id: B, p_lesson_ids: [f.lesson], p_cap: 10 }], expect: denied },
  { name: "learner cannot fill a group's feeds", actor: asA, rpc: () => ["fyp_fill_group", { p_topic_id: randomUUID(), p_difficulty: "easy", p_cap: 10 }], expect: denied },
  { name: "learner cannot claim a sweep", actor: asA, rpc: () => ["fyp_sweep_plan", { p_cap: 2, p_max_learners: 10 }], expect: denied },
  { name: "learner cannot take rate-limit tokens", actor: asA, rpc: () => ["take_rate_limit", { p_key: "k", p_capacity: 1, p_refill_per_second: 1, p_cost: 1 }], expect: denied },
  // Non-admins cannot call admin functions
  { name: "learner cannot read admin_usage", actor: asA, rpc: () => ["admin_usage", { p_from: "2020-01-01", p_to: "2020-01-02", p_group_by: "day" }], expect: forbidden },
  { name: "learner cannot read admin_usage_events", actor: asA, rpc: () => ["admin_usage_events", { p_from: "2020-01-01T00:00:00Z", p_to: "2030-01-01T00:00:00Z" }], expect: forbidden },
  { name: "learner cannot read admin_top_users", actor: asA, rpc: () => ["admin_top_users", { p_from: "2020-01-01", p_to: "2020-01-02", p_limit: 5 }], expect: forbidden },
  { name: "admin can read admin_usage", actor: asAdmin, rpc: () => ["admin_usage", { p_from: day(-30), p_to: day(1), p_group_by: "user" }], expect: { rows: 1 } },
  // Anon sees nothing
  { name: "anon cannot read lessons", actor: anon, sql: () => ["select id from public.lessons"], expect: denied },
  { name: "anon cannot read subjects", actor: anon, sql: () => ["select id from public.subjects"], expect: denied },
  { name: "anon cannot read profiles", actor: anon, sql: () => ["select id from public.profiles"], expect: denied },
  { name: "anon cannot read playlists", actor: anon, sql: () => ["select id from public.playlists"], expect: denied },
  { name: "anon cannot read usage", actor: anon, sql: () => ["select id from public.usage_events"], expect: denied },
  { name: "anon cannot call me()", actor: anon, rpc: () => ["me", {}], expect: denied },
  { name: "anon cannot list the catalog", actor: anon, rpc: () => ["list_catalog", {}], expect: denied },
  { name: "anon cannot call admin functions", actor: anon, rpc: () => ["admin_usage", { p_from: "2020-01-01", p_to: "2020-01-02", p_group_by: "day" }], expect: denied },
  { name: "anon cannot call service functions", actor: anon, rpc: () => ["reserve_quota", { p_user_id: A, p_lessons: 1, p_request_id: null }], expect: denied },
];

const kinds = testDbKinds();

describe.each(kinds)("RLS and grants on $kind", ({ kind, skip }) => {
  let db: TestDb;
  let f: Fixture;

  beforeAll(async () => {
    if (skip) return;
    db = await createTestDb({ kind, seed: true });
    const bPlaylist = (await db.sql.query("select id from public.playlists where user_id = $1 limit 1", [B]))[0].id as string;
    const bLesson = (await db.sql.query("select lesson_id from public.playlist_lessons where playlist_id = $1 limit 1", [bPlaylist]))[0].lesson_id as string;
    const bFeedLesson = (await db.sql.query("select lesson_id from public.feed_items where user_id = $1 limit 1", [B]))[0].lesson_id as string;
    const lesson = (await db.sql.query("select id from public.lessons limit 1"))[0].id as string;
    f = { bPlaylist, bLesson, bFeedLesson, lesson };
    const service = db.provider.as({ role: "service_role" });
    const event = (userId: string): UsageEvent => ({
      id: randomUUID(), createdAt: new Date().toISOString(), requestId: null, userId, feature: "similar", mode: "single-call",
      provider: "sim", model: "sim-1", attempt: 1, lessonsAsked: 3, lessonsValid: 3, promptTokens: 900, cachedTokens: 0,
      completionTokens: 1200, latencyMs: 1500, ttftMs: 300, httpStatus: 200, finishReason: "stop", errorCode: null,
      costUsd: 0.002, inputUsd: 0, cachedUsd: 0, outputUsd: 0.002, counterfactualPromptTokens: 2100, counterfactualCostUsd: 0.0032, priceVersion: "test", circuitOpen: false,
    });
    await service.rpc("insert_usage_events", { p_events: [event(A), event(B)] });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it.skipIf(skip).each(cases)("$name", async (c) => {
    const run = async () => {
      if (c.sql) {
        const [text, params] = c.sql(f);
        return db.runAs(c.actor, text, params);
      }
      const [fn, args] = c.rpc!(f);
      const result = await rpcUnchecked(db.provider.as(c.actor), fn, args);
      return result === null ? [] : [result];
    };
    if ("rows" in c.expect) {
      expect(await run()).toHaveLength(c.expect.rows);
    } else {
      const err = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, "expected an error").toBeInstanceOf(DbError);
      expect((err as DbError).code).toBe(c.expect.error);
      if (c.expect.message) expect((err as DbError).message).toBe(c.expect.message);
    }
  });

  it.skipIf(skip)("left B's data and A's tier exactly as they were", async () => {
    const b = await db.sql.query("select title from public.playlists where id = $1", [f.bPlaylist]);
    expect(b).toHaveLength(1);
    expect(b[0].title).not.toBe("mine");
    const a = await db.sql.query("select tier, role from public.profiles where id = $1", [A]);
    expect(a[0]).toEqual({ tier: "free", role: "learner" });
    const feed = await db.sql.query("select status from public.feed_items where user_id = $1 and lesson_id = $2", [B, f.bFeedLesson]);
    expect(feed[0].status).toBe("pending");
  });

  it.skipIf(skip)("lets a learner act on their own rows", async () => {
    const me = db.provider.as(asA);
    expect(await me.rpc("me")).toMatchObject({ id: A, email: "learner@example.com", isAdmin: false });
    const created = await me.rpc("create_playlist", { p_title: "Mine", p_description: null });
    expect(created.lessonCount).toBe(0);
    const added = await me.rpc("add_playlist_lesson", { p_playlist_id: created.id, p_lesson_id: f.lesson });
    expect(added.lessonCount).toBe(1);
    const own = await db.runAs(asA, "select id from public.playlists where user_id = $1", [A]);
    expect(own.length).toBe(3);
  });
});
