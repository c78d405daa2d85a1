// The shared library is not an injection channel: lessons made from one learner's instructions stay
// private to that learner (never served, listed, or quoted as titles to avoid to anyone else), and the
// database refuses titles that are too long or carry control or invisible characters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as topUp } from "@/app/api/fyp/generate-pending/route";
import { GET as lessonGET } from "@/app/api/lessons/[id]/route";
import { POST as generateSimilar } from "@/app/api/playlists/[id]/generate-similar/route";
import { setGatewayForTests } from "@/lib/llm";
import { createGateway } from "@/lib/llm/gateway";
import { call, errorCode, makeLesson, makePlaylist, makeTopics, makeUser, setupHarness, type Harness } from "../api/harness";

let h: Harness;
const prompts: string[] = [];

beforeAll(async () => {
  h = await setupHarness();
  // The same simulator, behind a fetch that keeps every prompt the provider receives.
  const gateway = createGateway(
    { provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 10, timeoutMs: 30_000 },
    {
      fetch: async (input, init) => {
        if (typeof init?.body === "string") prompts.push(init.body);
        return h.sim.fetch(input, init);
      },
      clock: h.sim.clock,
    },
  );
  setGatewayForTests(gateway, h.sim);
});

afterAll(async () => {
  await h?.cleanup();
});

const secret = "Use the codeword PAPAYA-7731 in every example";

describe("lessons from learner instructions", () => {
  it("stay private to their learner and never reach another learner's feed or prompts", async () => {
    const [topic] = await makeTopics(h, 1, "Geography", ["Rivers"]);
    const seed = await makeLesson(h, topic.id, "How rivers shape valleys", "easy");
    const alice = await makeUser(h, "alice-private@example.com");
    const bob = await makeUser(h, "bob-private@example.com");
    const alicePlaylist = await makePlaylist(alice, "Rivers", [seed]);
    const bobPlaylist = await makePlaylist(bob, "Rivers too", [seed]);

    const res = await call(generateSimilar, "POST", `/api/playlists/${alicePlaylist}/generate-similar`, {
      cookie: alice.cookie,
      json: { count: 3, instructions: secret },
      params: { id: alicePlaylist },
    });
    expect(res.status).toBe(200);
    const made = ((await res.json()) as { lessons: { id: string; title: string }[] }).lessons;
    expect(made.length).toBeGreaterThan(0);
    const rows = await h.db.sql.query("select private_to::text as p from public.lessons where id = any($1::uuid[])", [made.map((l) => l.id)]);
    expect(rows.map((r) => r.p)).toEqual(made.map(() => alice.userId));

    // Alice reads her own; Bob cannot read, add, or be served them.
    expect((await call(lessonGET, "GET", `/api/lessons/${made[0].id}`, { cookie: alice.cookie, params: { id: made[0].id } })).status).toBe(200);
    const refused = [
      { name: "read", res: await call(lessonGET, "GET", `/api/lessons/${made[0].id}`, { cookie: bob.cookie, params: { id: made[0].id } }) },
    ];
    for (const r of refused) expect({ name: r.name, status: r.res.status, code: await errorCode(r.res) }).toEqual({ name: r.name, status: 404, code: "not_found" });
    await expect(bob.db.rpc("add_playlist_lesson", { p_playlist_id: bobPlaylist, p_lesson_id: made[0].id })).rejects.toMatchObject({ message: "not_found" });

    await bob.db.rpc("set_topic_follow", { p_topic_id: topic.id, p_follow: true, p_difficulty: "easy" });
    prompts.length = 0;
    const fill = await call(topUp, "POST", "/api/fyp/generate-pending", { cookie: bob.cookie });
    expect(fill.status).toBe(200);
    const [{ n }] = await h.db.sql.query("select count(*)::int as n from public.feed_items where user_id = $1 and lesson_id = any($2::uuid[])", [
      bob.userId,
      made.map((l) => l.id),
    ]);
    expect(Number(n)).toBe(0);

    // Bob's own generation: neither Alice's instructions nor her private titles are in his prompts.
    const bobRes = await call(generateSimilar, "POST", `/api/playlists/${bobPlaylist}/generate-similar`, { cookie: bob.cookie, json: { count: 2 }, params: { id: bobPlaylist } });
    expect(bobRes.status).toBe(200);
    expect(prompts.length).toBeGreaterThan(0);
    for (const p of prompts) {
      expect(p).not.toContain("PAPAYA-7731");
      for (const l of made) expect(p).not.toContain(JSON.stringify(l.title).slice(1, -1));
    }
    const ctx = await h.service.rpc("playlist_generation_context", { p_user_id: bob.userId, p_playlist_id: bobPlaylist });
    for (const l of made) expect(ctx.avoidTitles).not.toContain(l.title);
    // ...while Alice's own context still avoids them.
    const aliceCtx = await h.service.rpc("playlist_generation_context", { p_user_id: alice.userId, p_playlist_id: alicePlaylist });
    for (const l of made) expect(aliceCtx.avoidTitles).toContain(l.title);
  });

  it("without instructions, lessons join the shared library", async () => {
    const [topic] = await makeTopics(h, 1, "Geography", ["Deserts"]);
    const seed = await makeLesson(h, topic.id, "Why deserts are dry", "easy");
    const carol = await makeUser(h, "carol-shared@example.com");
    const playlist = await makePlaylist(carol, "Deserts", [seed]);
    const res = await call(generateSimilar, "POST", `/api/playlists/${playlist}/generate-similar`, { cookie: carol.cookie, json: { count: 1 }, params: { id: playlist } });
    const made = ((await res.json()) as { lessons: { id: string }[] }).lessons;
    const rows = await h.db.sql.query("select private_to from public.lessons where id = any($1::uuid[])", [made.map((l) => l.id)]);
    expect(rows.every((r) => r.private_to === null)).toBe(true);
  });
});

describe("database title check", () => {
  const cases: { name: string; title: string; ok: boolean }[] = [
    { name: "plain", title: "How glaciers carve valleys", ok: true },
    { name: "newline", title: "How glaciers\ncarve valleys", ok: false },
    { name: "tab", title: "How glaciers\tcarve", ok: false },
    { name: "zero-width space", title: "How glac\u200biers carve", ok: false },
    { name: "bidi override", title: "How \u202eglaciers carve", ok: false },
    { name: "byte-order mark", title: "\ufeffHow glaciers carve", ok: false },
    { name: "121 characters", title: "g".repeat(121), ok: false },
    { name: "120 characters", title: "g".repeat(120), ok: true },
  ];
  for (const c of cases) {
    it(`${c.ok ? "accepts" : "refuses"} ${c.name}`, async () => {
      const [topic] = await makeTopics(h, 1, "Glaciology", ["Glaciers"]);
      const insert = makeLesson(h, topic.id, c.title, "easy");
      if (c.ok) await expect(insert).resolves.toBeTruthy();
      else await expect(insert).rejects.toThrow(/lessons_title_clean/);
    });
  }
});
