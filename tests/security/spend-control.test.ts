// Spend control through the route handlers, on a real database and the simulator: the top-up loop
// (mark everything seen, top up, repeat) stops at the learner's daily top-up allowance; marking seen
// is rate limited; the deployment's daily spend cap stops generation for everyone, and nothing is lost.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as topUp } from "@/app/api/fyp/generate-pending/route";
import { POST as markSeen } from "@/app/api/fyp/seen/route";
import { POST as generateSimilar } from "@/app/api/playlists/[id]/generate-similar/route";
import { resetServerEnvCache } from "@/lib/env";
import { CRON_SECRET, call, errorCode, makeLesson, makePlaylist, makeTopics, makeUser, quotaOf, setupHarness, type Harness, type User } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness({ maxConcurrency: 1 });
});

afterAll(async () => {
  await h?.cleanup();
});

function setEnv(vars: Record<string, string>) {
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  resetServerEnvCache();
}

beforeEach(() => setEnv({ TOPUP_LESSONS_DAILY: "120", SPEND_CAP_DAILY_USD: "50", FEED_SEEN_PER_MINUTE: "1000", BACKGROUND_LESSONS_DAILY: "2000" }));

async function pendingLessons(user: User): Promise<string[]> {
  const rows = await h.db.sql.query("select lesson_id from public.feed_items where user_id = $1 and status = 'pending'", [user.userId]);
  return rows.map((r) => String(r.lesson_id));
}

async function lessonsBy(user: User): Promise<number> {
  const [{ n }] = await h.db.sql.query("select count(*)::int as n from public.lessons where created_by = $1", [user.userId]);
  return Number(n);
}

async function usageEventCount(): Promise<number> {
  const [{ n }] = await h.db.sql.query("select count(*)::int as n from public.usage_events");
  return Number(n);
}

async function spentToday(): Promise<number> {
  const [{ s }] = await h.db.sql.query("select coalesce(sum(cost_usd), 0)::float8 as s from public.spend_days where day = (now() at time zone 'UTC')::date");
  return Number(s);
}

describe("top-up loop", () => {
  it("stops at the daily top-up allowance with 429 topup_limit_reached, and the provider sees no more calls", async () => {
    setEnv({ TOPUP_LESSONS_DAILY: "10" });
    const topics = await makeTopics(h, 3, "Botany", ["Roots", "Leaves", "Flowers"]);
    const user = await makeUser(h, "looper@example.com");
    for (const t of topics) await user.db.rpc("set_topic_follow", { p_topic_id: t.id, p_follow: true, p_difficulty: "easy" });

    const rounds: { status: number; code: string | null; generated: number; calls: number }[] = [];
    for (let round = 0; round < 5; round++) {
      for (const lessonId of await pendingLessons(user)) {
        const seen = await call(markSeen, "POST", "/api/fyp/seen", { cookie: user.cookie, json: { lessonId } });
        expect(seen.status).toBe(200);
      }
      const before = h.simCalls();
      const res = await call(topUp, "POST", "/api/fyp/generate-pending", { cookie: user.cookie });
      const body = res.status === 200 ? ((await res.clone().json()) as { generated: number }) : { generated: 0 };
      rounds.push({ status: res.status, code: await errorCode(res), generated: body.generated, calls: h.simCalls() - before });
    }
    // 3 topics × cap 2 = 6 a round: 6, then the 4 left of 10, then refused with no model call.
    expect(rounds.slice(0, 2).map((r) => r.status)).toEqual([200, 200]);
    expect(rounds.slice(2)).toEqual([
      { status: 429, code: "topup_limit_reached", generated: 0, calls: 0 },
      { status: 429, code: "topup_limit_reached", generated: 0, calls: 0 },
      { status: 429, code: "topup_limit_reached", generated: 0, calls: 0 },
    ]);
    expect(await lessonsBy(user)).toBeLessThanOrEqual(10);
    const [{ used }] = await h.db.sql.query(
      "select used from public.generation_allowances where scope = 'topup' and subject = $1",
      [user.userId],
    );
    // The allowance counts lessons generated (failed ones are refunded), never more than the limit.
    expect(Number(used)).toBe(await lessonsBy(user));
    const q = await quotaOf(user);
    expect(q.usedToday).toBe(0); // top-ups never touch the learner's own quota
  });

  it("refused top-up answers with Retry-After and the reset time", async () => {
    setEnv({ TOPUP_LESSONS_DAILY: "1" });
    const [topic] = await makeTopics(h, 1, "Mycology", ["Spores"]);
    const user = await makeUser(h, "tiny-allowance@example.com");
    await user.db.rpc("set_topic_follow", { p_topic_id: topic.id, p_follow: true, p_difficulty: "easy" });
    expect((await call(topUp, "POST", "/api/fyp/generate-pending", { cookie: user.cookie })).status).toBe(200);
    for (const lessonId of await pendingLessons(user)) await call(markSeen, "POST", "/api/fyp/seen", { cookie: user.cookie, json: { lessonId } });
    const res = await call(topUp, "POST", "/api/fyp/generate-pending", { cookie: user.cookie });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: { code: string; details: { limit: number; resetsAt: string } } };
    expect(body.error.code).toBe("topup_limit_reached");
    expect(body.error.details.limit).toBe(1);
    expect(Date.parse(body.error.details.resetsAt)).toBeGreaterThan(Date.now());
  });
});

describe("mark seen", () => {
  it("is rate limited per learner", async () => {
    setEnv({ FEED_SEEN_PER_MINUTE: "3" });
    const [topic] = await makeTopics(h, 1, "Zoology", ["Otters"]);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await makeLesson(h, topic.id, `Otters and their habits ${i}`, "easy"));
    const user = await makeUser(h, "fast-reader@example.com");
    await h.db.sql.query("insert into public.feed_items (user_id, lesson_id, topic_id) select $1, unnest($2::uuid[]), $3", [user.userId, ids, topic.id]);
    const statuses = [];
    for (const lessonId of ids) statuses.push((await call(markSeen, "POST", "/api/fyp/seen", { cookie: user.cookie, json: { lessonId } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const [{ n }] = await h.db.sql.query("select count(*)::int as n from public.feed_items where user_id = $1 and status = 'seen'", [user.userId]);
    expect(Number(n)).toBe(3); // the refused ones changed nothing
  });
});

describe("deployment spend cap", () => {
  async function learnerWithPlaylist(email: string, topicName: string): Promise<{ user: User; playlistId: string }> {
    const [topic] = await makeTopics(h, 1, "Chemistry", [topicName]);
    const ids = [await makeLesson(h, topic.id, `${topicName}: a first look`, "medium"), await makeLesson(h, topic.id, `${topicName} at home`, "medium")];
    const user = await makeUser(h, email);
    return { user, playlistId: await makePlaylist(user, topicName, ids) };
  }

  it("stops all generation at the cap (± one call in flight) with 503 budget_exhausted, and loses nothing", async () => {
    const a = await learnerWithPlaylist("cap-a@example.com", "Acids");
    const b = await learnerWithPlaylist("cap-b@example.com", "Bases");
    const c = await learnerWithPlaylist("cap-c@example.com", "Salts");
    await c.user.db.rpc("set_topic_follow", { p_topic_id: String((await h.db.sql.query("select id from public.topics where name = 'Salts'"))[0].id), p_follow: true, p_difficulty: "easy" });

    // Price one call, then set the cap two calls above today's spend.
    const spent0 = await spentToday();
    const lessonCalls = () => h.sim.stats().log.filter((e) => !e.model.includes("moderation")).length;
    const calls0 = lessonCalls();
    const first = await call(generateSimilar, "POST", `/api/playlists/${a.playlistId}/generate-similar`, { cookie: a.user.cookie, json: { count: 1 }, params: { id: a.playlistId } });
    expect(first.status).toBe(200);
    // Lesson calls only: the moderation screen of each lesson is free (docs/quality.md) and not capped.
    const perCall = ((await spentToday()) - spent0) / (lessonCalls() - calls0);
    expect(perCall).toBeGreaterThan(0);
    const cap = (await spentToday()) + perCall * 2;
    setEnv({ SPEND_CAP_DAILY_USD: String(cap) });

    // A 10-lesson ask (two 5-lesson calls, run one at a time): the cap is crossed mid-run.
    const callsBefore = h.simCalls();
    const big = await call(generateSimilar, "POST", `/api/playlists/${b.playlistId}/generate-similar`, { cookie: b.user.cookie, json: { count: 10 }, params: { id: b.playlistId } });
    expect(big.status).toBe(200);
    const bigBody = (await big.json()) as { lessons: unknown[]; failed: unknown[] };
    const spent = await spentToday();
    // Calls that started when the spend before them had already reached the cap: at most one (in flight).
    const events = await h.db.sql.query(
      "select cost_usd::float8 as cost from public.usage_events where user_id = $1 and mode <> 'moderation' order by created_at, id",
      [b.user.userId],
    );
    let running = cap - perCall * 2;
    let pastCap = 0;
    for (const e of events) {
      if (running >= cap) pastCap++;
      running += Number(e.cost);
    }
    expect(events.length).toBeGreaterThan(0);
    expect(pastCap).toBeLessThanOrEqual(1);
    expect(spent).toBeGreaterThanOrEqual(cap); // the run did reach the cap, so the stop below is real

    // Now everyone is stopped, before any quota or model call.
    const stopped = [
      { name: "generate similar (another learner)", res: () => call(generateSimilar, "POST", `/api/playlists/${a.playlistId}/generate-similar`, { cookie: a.user.cookie, json: { count: 2 }, params: { id: a.playlistId } }) },
      { name: "learner top-up", res: () => call(topUp, "POST", "/api/fyp/generate-pending", { cookie: c.user.cookie }) },
    ];
    {
      for (const s of stopped) {
        const callsAt = h.simCalls();
        const quotaA = await quotaOf(a.user);
        const res = await s.res();
        expect({ name: s.name, status: res.status, code: await errorCode(res) }).toEqual({ name: s.name, status: 503, code: "budget_exhausted" });
        expect(h.simCalls()).toBe(callsAt);
        expect((await quotaOf(a.user)).usedToday).toBe(quotaA.usedToday);
      }
      const sweepCalls = h.simCalls();
      const sweep = await call(topUp, "POST", "/api/fyp/generate-pending", { headers: { authorization: `Bearer ${CRON_SECRET}` }, json: {} });
      expect(sweep.status).toBe(200);
      expect(((await sweep.json()) as { generated: number }).generated).toBe(0);
      expect(h.simCalls()).toBe(sweepCalls);
    }

    // Nothing lost: every provider call has its usage event, the quota charged equals lessons saved.
    expect(await usageEventCount()).toBe(h.simCalls());
    expect((await quotaOf(b.user)).usedToday).toBe(bigBody.lessons.length);
    expect(await lessonsBy(b.user)).toBe(bigBody.lessons.length);
    expect(h.simCalls() - callsBefore).toBeGreaterThan(0);
  });
});
