// Crash leftovers: a generation request whose server died mid-run holds a lease that expires. After it,
// a retry with the same Idempotency-Key starts afresh (instead of 409 forever), and the cron sweep's
// upkeep settles the dead run's reservation, charging exactly the lessons it saved. A long run that is
// still saving keeps its lease and its reservation. Retention drops what is no longer needed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as cron } from "@/app/api/fyp/generate-pending/route";
import { POST as generateSimilar } from "@/app/api/playlists/[id]/generate-similar/route";
import { rpcUnchecked } from "@/lib/db/contract-db";
import { bodyHash } from "@/lib/generation/generation-request";
import { CRON_SECRET, call, errorCode, makeLesson, makePlaylist, makeTopics, makeUser, quotaOf, setupHarness, type Harness, type User } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness();
});

afterAll(async () => {
  await h?.cleanup();
});

let n = 0;
async function learner(): Promise<{ user: User; playlistId: string; topicId: string }> {
  const i = n++;
  const [topic] = await makeTopics(h, 1, "History", [`Empires ${i}`]);
  const seed = await makeLesson(h, topic.id, `Empires ${i}: how they rose`, "medium");
  const user = await makeUser(h, `crash${i}@example.com`);
  return { user, playlistId: await makePlaylist(user, `Empires ${i}`, [seed]), topicId: topic.id };
}

const content = (title: string) => ({
  title,
  content: `${title} in a few words.`,
  difficulty: "medium",
  questions: [{ question: "Which is right?", choices: ["A", "B", "C", "D"], correctIndex: 0, explanation: "Because A." }],
  keyTerms: [],
});

/** What a server leaves behind when it is killed after saving `saved` of `count` lessons. */
async function crashedRun(l: { user: User; playlistId: string; topicId: string }, key: string, count: number, saved: number): Promise<string> {
  const begun = await h.service.rpc("begin_generation", {
    p_user_id: l.user.userId,
    p_idempotency_key: key,
    p_body_hash: bodyHash({ playlistId: l.playlistId, count, difficulty: null, instructions: null }),
    p_feature: "similar",
    p_playlist_id: l.playlistId,
    p_count: count,
  });
  expect(begun.state).toBe("new");
  const r = await h.service.rpc("reserve_quota", { p_user_id: l.user.userId, p_lessons: count, p_request_id: begun.requestId });
  expect(r.granted).toBe(true);
  const lessons = Array.from({ length: saved }, (_, slot) => ({ slot, topicId: l.topicId, difficulty: "medium", title: `Crashed lesson ${slot} of ${key}`, content: content(`Crashed lesson ${slot}`), model: "sim-standard" }));
  // Stand-in content (the crash is what is under test, not the lesson): sent unchecked.
  if (saved > 0) await rpcUnchecked(h.service, "save_generated_lessons", { p_request_id: begun.requestId, p_lessons: lessons });
  return begun.requestId;
}

/** Moves the request's last sign of life (and its reservation) `minutes` into the past. */
async function age(requestId: string, minutes: number): Promise<void> {
  await h.db.sql.query(`update public.generation_requests set updated_at = now() - make_interval(mins => $2), created_at = now() - make_interval(mins => $2) where id = $1`, [requestId, minutes]);
  await h.db.sql.query(`update public.quota_reservations set created_at = now() - make_interval(mins => $2) where request_id = $1`, [requestId, minutes]);
}

const retry = (l: { user: User; playlistId: string }, key: string, count: number) =>
  call(generateSimilar, "POST", `/api/playlists/${l.playlistId}/generate-similar`, { cookie: l.user.cookie, json: { count }, headers: { "idempotency-key": key }, params: { id: l.playlistId } });

describe("generation leases", () => {
  it("a retry with the same key answers 409 while the lease holds and takes over after it", async () => {
    const l = await learner();
    const requestId = await crashedRun(l, "crash-key-1", 4, 2);

    const early = await retry(l, "crash-key-1", 4);
    expect([early.status, await errorCode(early)]).toEqual([409, "conflict"]);

    await age(requestId, 6); // past the 5-minute lease
    const late = await retry(l, "crash-key-1", 4);
    expect(late.status).toBe(200);
    const body = (await late.json()) as { requestId: string; lessons: unknown[] };
    expect(body.requestId).not.toBe(requestId);
    expect(body.lessons.length).toBeGreaterThan(0);

    // The dead run is charged for its 2 saved lessons, the new one for what it saved; nothing held.
    const q = await quotaOf(l.user);
    expect(q).toMatchObject({ usedToday: 2 + body.lessons.length, reserved: 0 });
    const [old] = await h.db.sql.query("select status, idempotency_key from public.generation_requests where id = $1", [requestId]);
    expect(old).toEqual({ status: "cancelled", idempotency_key: null });
    // And the key now replays the new run.
    const replay = await retry(l, "crash-key-1", 4);
    expect(((await replay.json()) as { requestId: string }).requestId).toBe(body.requestId);
  });

  it("a different body under the expired key is still a conflict", async () => {
    const l = await learner();
    const requestId = await crashedRun(l, "crash-key-2", 3, 0);
    await age(requestId, 6);
    const res = await retry(l, "crash-key-2", 2);
    expect([res.status, await errorCode(res)]).toEqual([409, "conflict"]);
  });
});

describe("the cron sweep's upkeep", () => {
  it("settles dead runs' reservations for what they saved, and leaves live long runs alone", async () => {
    const dead = await learner();
    const empty = await learner();
    const long = await learner();
    const deadId = await crashedRun(dead, "dead", 5, 3);
    const emptyId = await crashedRun(empty, "empty", 5, 0);
    const longId = await crashedRun(long, "long", 5, 1);
    await age(deadId, 10);
    await age(emptyId, 10);
    // Started 40 minutes ago but saved a lesson just now: alive, whatever its age.
    await h.db.sql.query("update public.quota_reservations set created_at = now() - interval '40 minutes' where request_id = $1", [longId]);
    await h.db.sql.query("update public.generation_requests set created_at = now() - interval '40 minutes' where id = $1", [longId]);

    const res = await call(cron, "POST", "/api/fyp/generate-pending", { headers: { authorization: `Bearer ${CRON_SECRET}` }, json: {} });
    expect(res.status).toBe(200);
    const report = ((await res.json()) as { maintenance: { abandonedRequests: number; staleReservations: { settled: number; charged: number } } }).maintenance;
    expect(report.abandonedRequests).toBeGreaterThanOrEqual(2);
    expect(report.staleReservations.settled).toBeGreaterThanOrEqual(2);

    const table = [
      { who: "dead run, 3 saved", user: dead.user, usedToday: 3, reserved: 0 },
      { who: "dead run, none saved", user: empty.user, usedToday: 0, reserved: 0 },
      { who: "long live run", user: long.user, usedToday: 0, reserved: 5 },
    ];
    for (const t of table) {
      const q = await quotaOf(t.user);
      expect({ who: t.who, usedToday: q.usedToday, reserved: q.reserved }).toEqual({ who: t.who, usedToday: t.usedToday, reserved: t.reserved });
    }
    // The long run's own reservation of that learner is not released by their next ask either.
    const again = await h.service.rpc("reserve_quota", { p_user_id: long.user.userId, p_lessons: 1, p_request_id: null });
    expect(again.granted).toBe(true);
    expect((await quotaOf(long.user)).reserved).toBe(6);
  });
});

describe("retention", () => {
  it("drops idle rate-limit buckets, expired claims, old idempotency keys and ledgers; keeps lessons and usage", async () => {
    const l = await learner();
    await h.db.sql.query("insert into public.rate_limit_buckets (key, tokens, updated_at) values ('old:bucket', 1, now() - interval '2 days'), ('new:bucket', 1, now())");
    const [{ id: oldReq }] = await h.db.sql.query(
      `insert into public.generation_requests (user_id, idempotency_key, body_hash, feature, status, result, finished_at, created_at)
       values ($1, 'ancient-key', 'h', 'similar', 'succeeded', '{"lessons": []}', now() - interval '8 days', now() - interval '8 days') returning id`,
      [l.user.userId],
    );
    await h.db.sql.query(
      `insert into public.quota_reservations (user_id, day, lessons, status, used, created_at, settled_at)
       values ($1, current_date - 40, 1, 'settled', 1, now() - interval '40 days', now() - interval '40 days')`,
      [l.user.userId],
    );
    const lessonsBefore = (await h.db.sql.query("select count(*)::int as n from public.lessons"))[0].n;

    const report = await h.service.rpc("cleanup_retention", { p_idempotency_days: 7, p_ledger_days: 35 });
    expect(report).toMatchObject({ rateLimitBuckets: 1, idempotencyKeys: 1, settledReservations: 1 });
    const buckets = await h.db.sql.query("select key from public.rate_limit_buckets where key in ('old:bucket', 'new:bucket')");
    expect(buckets.map((b) => b.key)).toEqual(["new:bucket"]);
    const [req] = await h.db.sql.query("select idempotency_key, result, status from public.generation_requests where id = $1", [oldReq]);
    expect(req).toEqual({ idempotency_key: null, result: null, status: "succeeded" }); // the audit row stays
    expect((await h.db.sql.query("select count(*)::int as n from public.lessons"))[0].n).toBe(lessonsBefore);
  });

  it("has the indexes the hot queries need", async () => {
    const rows = await h.db.sql.query("select indexname from pg_indexes where schemaname = 'public'");
    const names = new Set(rows.map((r) => String(r.indexname)));
    for (const ix of ["generation_requests_playlist_idx", "lessons_created_by_idx", "lessons_topic_recent_idx", "quota_reservations_held_idx", "rate_limit_buckets_updated_idx"]) {
      expect(names.has(ix), ix).toBe(true);
    }
  });
});
