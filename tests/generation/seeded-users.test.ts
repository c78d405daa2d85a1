// The demo users through the real routes: nearly@example.com (19 of 20 lessons used today) can get one
// more lesson and no more; learner@example.com sees their seeded playlists.
import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as listPlaylists } from "@/app/api/playlists/route";
import { POST as generateSimilar } from "@/app/api/playlists/[id]/generate-similar/route";
import { call, errorCode, makeUser, quotaOf, setupHarness, type Harness } from "../api/harness";

let h: Harness;

beforeAll(async () => {
  h = await setupHarness({ demoData: true });
});

afterAll(async () => {
  await h?.cleanup();
});

interface Playlists {
  playlists: { id: string; title: string; lessonCount: number }[];
}

it("learner@example.com lists their seeded playlists", async () => {
  const learner = await makeUser(h, "learner@example.com");
  const res = await call(listPlaylists, "GET", "/api/playlists", { cookie: learner.cookie });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Playlists;
  expect(body.playlists.map((p) => [p.title, p.lessonCount]).sort()).toEqual([
    ["Biology starters", 3],
    ["Thinking in numbers", 4],
  ]);
});

it("nearly@example.com: 2 lessons is one too many, 1 is fine, then the quota is spent", async () => {
  const nearly = await makeUser(h, "nearly@example.com");
  expect((await quotaOf(nearly)).remaining).toBe(1);
  const { playlists } = (await (await call(listPlaylists, "GET", "/api/playlists", { cookie: nearly.cookie })).json()) as Playlists;
  const words = playlists.find((p) => p.title === "Words and verse")!;
  const generate = (count: number) =>
    call(generateSimilar, "POST", `/api/playlists/${words.id}/generate-similar`, { cookie: nearly.cookie, json: { count }, params: { id: words.id } });

  const calls = h.simCalls();
  const refused = await generate(2);
  expect(refused.status).toBe(429);
  expect(await errorCode(refused)).toBe("quota_exceeded");
  expect(((await refused.json()) as { error: { details: { remaining: number } } }).error.details.remaining).toBe(1);
  expect(h.simCalls()).toBe(calls);

  const ok = await generate(1);
  expect(ok.status).toBe(200);
  const body = (await ok.json()) as { lessons: { topicName: string }[]; quota: { remaining: number } };
  expect(body.lessons).toHaveLength(1);
  expect(body.quota.remaining).toBe(0);

  const after = h.simCalls();
  expect((await generate(1)).status).toBe(429);
  expect(h.simCalls()).toBe(after);
});
