// The sweep as the job engine runs it: the planner's groups (one per topic × difficulty, as the
// fyp-generate jobs carry them) generated one by one by the real handler through the pipeline fill
// every feed to the cap; a job retried after it completed generates and delivers nothing more; a job
// whose first attempt saved its lessons and died before delivering pays for nothing on its retry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverEnv } from "@/lib/env";
import { defaultGenerationDeps } from "@/lib/generation/deps";
import { generateAndSave } from "@/lib/generation/generate-and-save";
import { generateGroup, planSweepGroups } from "@/lib/generation/fyp-sweep";
import { generateGroupJobSchema } from "@/lib/jobs";
import { makeTopics, makeUser, setupHarness, type Harness } from "../api/harness";

let h: Harness;
beforeAll(async () => {
  h = await setupHarness();
});
afterAll(async () => {
  await h?.cleanup();
});

describe("sweep on jobs: plan, then one job per group", () => {
  it("12 learners × 3 topics × 2 difficulties: 6 groups, each generated once, every feed at the cap", async () => {
    const cap = serverEnv().FYP_PENDING_PER_TOPIC;
    const topics = await makeTopics(h, 3, "Geology");
    const learners = [];
    for (let i = 0; i < 12; i++) learners.push(await makeUser(h, `rockhound${i}@example.com`));
    const values = learners.flatMap((u, i) => topics.map((t) => `('${u.userId}', '${t.id}', '${i % 2 === 0 ? "easy" : "hard"}')`));
    await h.db.sql.exec(`insert into public.topic_follows (user_id, topic_id, difficulty) values ${values.join(",")}`);
    const deps = defaultGenerationDeps();

    const { groups } = await planSweepGroups(deps, { cap, maxLearners: 1000 });
    expect(groups).toHaveLength(6);
    // A second plan while the jobs wait finds the same groups (the engine's singleton keys drop them: tests/jobs).
    expect((await planSweepGroups(deps, { cap, maxLearners: 1000 })).groups).toHaveLength(6);

    let generated = 0;
    let delivered = 0;
    for (const g of groups) {
      const job = generateGroupJobSchema.parse(g); // what a worker receives from the queue
      const s = await generateGroup(deps, job, { cap });
      expect(s.failed).toBe(0);
      generated += s.generated;
      delivered += s.delivered;
    }
    expect(generated).toBe(6 * cap);
    expect(delivered).toBe(12 * 3 * cap);
    const [{ pending }] = await h.db.sql.query(
      "select count(*)::int as pending from public.feed_items where status = 'pending' and user_id = any($1::uuid[])",
      [learners.map((u) => u.userId)],
    );
    expect(pending).toBe(12 * 3 * cap);

    // A retried job (its worker died after delivering) generates nothing and no feed goes over its cap.
    const calls = h.simCalls();
    const again = await generateGroup(deps, generateGroupJobSchema.parse(groups[0]), { cap });
    expect(again).toMatchObject({ generated: 0, delivered: 0, fromLibrary: 0 });
    expect(h.simCalls()).toBe(calls);
    expect((await planSweepGroups(deps, { cap, maxLearners: 1000 })).groups).toHaveLength(0);
  }, 120_000);

  it("a retry after the first attempt saved its lessons but died before delivering delivers them and pays for nothing", async () => {
    const cap = serverEnv().FYP_PENDING_PER_TOPIC;
    const [topic] = await makeTopics(h, 1, "Oceanography");
    const learners = [];
    for (let i = 0; i < 5; i++) learners.push(await makeUser(h, `diver${i}@example.com`));
    await h.db.sql.exec(`insert into public.topic_follows (user_id, topic_id, difficulty) values ${learners.map((u) => `('${u.userId}', '${topic.id}', 'easy')`).join(",")}`);
    const deps = defaultGenerationDeps();
    const { groups } = await planSweepGroups(deps, { cap, maxLearners: 1000 });
    const job = generateGroupJobSchema.parse(groups.find((g) => g.topicId === topic.id));
    // The first attempt: its lessons are generated and saved to the library, then the worker dies.
    const request = { subject: job.subject!, topic: job.topic!, difficulty: "easy" as const, avoidTitles: [] };
    const first = await generateAndSave(deps, await deps.service(), Array.from({ length: job.need }, () => ({ topicId: topic.id, request })), { feature: "fyp-sweep", userId: null, priority: "background" });
    expect(first.lessonIds.every((id) => id !== null)).toBe(true);
    const calls = h.simCalls();

    const retry = await generateGroup(deps, job, { cap });
    expect(retry).toMatchObject({ fromLibrary: 5 * cap, generated: 0, failed: 0 });
    expect(h.simCalls()).toBe(calls); // nothing paid twice
    const rows = await h.db.sql.query(
      "select lesson_id from public.feed_items where status = 'pending' and topic_id = $1 and user_id = any($2::uuid[])",
      [topic.id, learners.map((u) => u.userId)],
    );
    expect(rows).toHaveLength(5 * cap); // no lesson lost, no feed over its cap
    expect(new Set(rows.map((r) => r.lesson_id))).toEqual(new Set(first.lessonIds));
  }, 120_000);

  it("a job without subject/topic fails loudly instead of generating something else", async () => {
    await expect(generateGroup(defaultGenerationDeps(), generateGroupJobSchema.parse({ topicId: "x", difficulty: "easy", need: 1 }), { cap: 2 })).rejects.toThrow(/no subject\/topic/);
  });
});
