// The cron sweep: the shortfall of many learners is batched by (topic, difficulty) across learners, and a
// sweep right after a complete one makes no model call.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache } from "@/lib/env";
import { GET, POST } from "@/app/api/fyp/generate-pending/route";
import { call, CRON_SECRET, makeTopics, makeUser, setupHarness, type Harness } from "../api/harness";

let h: Harness;
// Lesson calls only: every generated lesson is also screened by the moderation endpoint (docs/quality.md),
// whose calls are usage events too but are not the calls the planner packs.
const chatCalls = () => h.sim.stats().log.filter((e) => !e.model.includes("moderation")).length;

beforeAll(async () => {
  h = await setupHarness();
});

afterAll(async () => {
  await h?.cleanup();
});

describe("cron sweep", () => {
  it("a larger cap is packed into calls of at most five lessons per group", async () => {
    vi.stubEnv("FYP_PENDING_PER_TOPIC", "6");
    resetServerEnvCache();
    try {
      const topics = await makeTopics(h, 5, "Oceanography", ["Tides", "Currents", "Reefs", "Trenches", "Waves"]);
      const learners = [];
      for (let i = 0; i < 10; i++) learners.push(await makeUser(h, `diver${i}@example.com`));
      const values = learners.flatMap((u) => topics.map((t) => `('${u.userId}', '${t.id}', 'easy')`));
      await h.db.sql.exec(`insert into public.topic_follows (user_id, topic_id, difficulty) values ${values.join(",")}`);
      const calls = chatCalls();
      const [{ repairsBefore }] = await h.db.sql.query("select count(*)::int as \"repairsBefore\" from public.usage_events where mode = 'repair'");
      const res = await call(POST, "POST", "/api/fyp/generate-pending", { headers: { authorization: `Bearer ${CRON_SECRET}` } });
      const s = (await res.json()) as { groups: number; generated: number; failed: number };
      const [{ repairs }] = await h.db.sql.query("select count(*)::int as repairs from public.usage_events where mode = 'repair'");
      const made = chatCalls() - calls;
      expect(s.groups).toBe(5);
      // 6 lessons per group → 2 calls (3 + 3) per group, plus whatever repairs were needed.
      expect(made).toBeLessThanOrEqual(s.groups * Math.ceil(6 / 5) + Number(repairs) - Number(repairsBefore));
      expect(made).toBeGreaterThanOrEqual(s.groups * 2);
      expect(s.generated + s.failed).toBe(30);
      console.info("[sweep figures, cap 6]", JSON.stringify({ learners: 10, groups: s.groups, calls: made, repairs: Number(repairs) - Number(repairsBefore), generated: s.generated }));
    } finally {
      vi.unstubAllEnvs();
      vi.stubEnv("CRON_SECRET", CRON_SECRET);
      resetServerEnvCache();
    }
  });

  it("50 learners × 5 topics on an empty library: calls ≤ groups × ⌈shortfall/5⌉ + repairs, then nothing", async () => {
    const topics = await makeTopics(h, 5, "Astronomy");
    const learners = [];
    for (let i = 0; i < 50; i++) learners.push(await makeUser(h, `stargazer${i}@example.com`));
    const values = learners.flatMap((u, i) => topics.map((t) => `('${u.userId}', '${t.id}', '${i % 2 === 0 ? "easy" : "medium"}')`));
    await h.db.sql.exec(`insert into public.topic_follows (user_id, topic_id, difficulty) values ${values.join(",")}`);
    const calls = h.simCalls();
    const chatBefore = chatCalls();

    const res = await call(POST, "POST", "/api/fyp/generate-pending", { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(res.status).toBe(200);
    const s = (await res.json()) as { learnersToppedUp: number; fromLibrary: number; generated: number; failed: number; groups: number; calls: number; promptTokens: number; completionTokens: number };
    const made = chatCalls() - chatBefore;
    // 5 topics × 2 difficulties; each group's shortfall is the cap (2), so one call of 2 lessons per group.
    expect(s.groups).toBe(10);
    const [{ repairs }] = await h.db.sql.query("select count(*)::int as repairs from public.usage_events where feature = 'fyp-sweep' and mode = 'repair'");
    expect(made).toBeLessThanOrEqual(s.groups * Math.ceil(2 / 5) + Number(repairs));
    expect(s.calls).toBe(h.simCalls() - calls); // the sweep's usage counts the moderation calls too
    console.info("[sweep figures]", JSON.stringify({ learners: 50, topics: 5, groups: s.groups, calls: made, repairs, generated: s.generated, failed: s.failed, promptTokens: s.promptTokens, completionTokens: s.completionTokens }));
    expect(s.learnersToppedUp).toBeGreaterThanOrEqual(50);
    expect(s.generated).toBe(20 - s.failed);
    expect(s.promptTokens).toBeGreaterThan(0);
    const [{ pending }] = await h.db.sql.query(
      "select count(*)::int as pending from public.feed_items where status = 'pending' and user_id = any($1::uuid[])",
      [learners.map((u) => u.userId)],
    );
    expect(pending).toBe(50 * 5 * 2);
    // Usage rows for the sweep: no user, background model.
    const models = await h.db.sql.query("select distinct model, user_id from public.usage_events where feature = 'fyp-sweep' and mode <> 'moderation'");
    expect(models).toEqual([{ model: "sim-mini", user_id: null }]);

    const again = h.simCalls();
    const second = await call(POST, "POST", "/api/fyp/generate-pending", { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(second.status).toBe(200);
    expect(h.simCalls()).toBe(again);
    expect(((await second.json()) as { generated: number }).generated).toBe(0);

    // Schedulers that can only GET (Vercel Cron) reach the same sweep with the same secret.
    const viaGet = await call(GET, "GET", "/api/fyp/generate-pending", { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(viaGet.status).toBe(200);
    expect(await viaGet.json()).toMatchObject({ generated: 0, calls: 0 });
    expect(h.simCalls()).toBe(again);
  });
});
