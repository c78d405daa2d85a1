// The sweep as the job engine runs it: the planner's groups (one per topic × difficulty, as the
// fyp-generate jobs carry them) generated one by one by the real handler through the pipeline fill
// every feed to the cap, and a job retried after it completed delivers nothing more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverEnv } from "@/lib/env";
import { defaultGenerationDeps } from "@/lib/generation/deps";
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
    // A second plan while the jobs wait finds nothing new: the first plan's claims hold the gaps.
    expect((await planSweepGroups(deps, { cap, maxLearners: 1000 })).groups).toHaveLength(0);

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

    // A retried job (its worker died after delivering) generates again but no feed goes over its cap.
    const again = await generateGroup(deps, generateGroupJobSchema.parse(groups[0]), { cap });
    expect(again.delivered).toBe(0);
    expect((await planSweepGroups(deps, { cap, maxLearners: 1000 })).groups).toHaveLength(0);
  }, 120_000);

  it("a job without subject/topic fails loudly instead of generating something else", async () => {
    await expect(generateGroup(defaultGenerationDeps(), generateGroupJobSchema.parse({ topicId: "x", difficulty: "easy", need: 1 }), { cap: 2 })).rejects.toThrow(/no subject\/topic/);
  });
});
