// The learner's main journey in real Chromium: sign in, generate similar lessons that stream in one by
// one, find them saved, take a quiz, watch the feed top itself up; then the admin sees that usage.
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./axe";
import { parseShownNumber, prepareUser, presetUsers } from "./users";

test.describe.configure({ mode: "serial" });

// Full-page shots from the top, so the sticky header is drawn where it belongs.
const shot = async (page: Page, name: string, fullPage = true) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage });
};

/** Opens the learner's first playlist that has lessons and returns its URL. */
async function openFirstPlaylist(page: Page): Promise<string> {
  await page.goto("/playlists");
  const link = page.locator('[data-testid="playlist-link"]:not([data-lesson-count="0"])').first();
  await expect(link).toBeVisible();
  await link.click();
  await page.waitForURL(/\/playlists\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Generate similar" })).toBeVisible();
  return page.url();
}

test("a learner signs in, generates 3 similar lessons that appear one at a time, and finds them saved after reload", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await prepareUser(page, "learner", "form");
  await expect(page.getByTestId("viewer-email")).toHaveText(presetUsers.learner);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);

  const url = await openFirstPlaylist(page);
  const rows = page.getByTestId("playlist-lesson");
  const before = await rows.count();
  expect(before).toBeGreaterThan(0);
  await expect(page.getByTestId("quota-left")).toContainText("left today");

  // Watch the slots from inside the page: when each placeholder appears and when each turns into a
  // lesson, plus any layout shift that was not caused by the click itself.
  await page.evaluate((rowsBefore) => {
    const w = window as unknown as { __gen: { pendingAt: number[]; doneAt: number[]; maxPending: number; cls: number } };
    w.__gen = { pendingAt: [], doneAt: [], maxPending: 0, cls: 0 };
    const scan = () => {
      const slots = [...document.querySelectorAll('[data-testid="lesson-slot"]')];
      const pending = slots.filter((s) => s.getAttribute("data-state") === "pending").length;
      // A lesson has arrived when its slot shows it, or once it has joined the playlist's own rows.
      const saved = document.querySelectorAll('[data-testid="playlist-lesson"]').length - rowsBefore;
      const arrived = slots.filter((s) => s.getAttribute("data-state") === "done").length + Math.max(0, saved);
      if (pending > w.__gen.maxPending) {
        for (let i = w.__gen.maxPending; i < pending; i++) w.__gen.pendingAt.push(performance.now());
        w.__gen.maxPending = pending;
      }
      while (w.__gen.doneAt.length < arrived) w.__gen.doneAt.push(performance.now());
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!e.hadRecentInput) w.__gen.cls += e.value;
      }
    }).observe({ type: "layout-shift" });
  }, before);

  await page.getByLabel("How many").fill("3");
  await page.getByRole("button", { name: "Generate similar" }).click();

  // Three placeholders first, before any lesson has arrived.
  await expect(page.locator('[data-testid="lesson-slot"][data-state="pending"]')).toHaveCount(3);
  // Viewport-only while streaming: a full-page shot resizes the viewport, which would move things.
  await shot(page, "playlist-generating-1280", false);
  await expect(page.getByTestId("generation-status")).toContainText("3 lessons added", { timeout: 45_000 });

  const gen = await page.evaluate(() => (window as unknown as { __gen: { pendingAt: number[]; doneAt: number[]; maxPending: number; cls: number } }).__gen);
  expect(gen.maxPending).toBe(3);
  expect(gen.doneAt).toHaveLength(3);
  expect(gen.doneAt[0]).toBeGreaterThan(Math.max(...gen.pendingAt));
  // One at a time: each lesson turned up at its own moment, not all in one render.
  expect(gen.doneAt[1] - gen.doneAt[0]).toBeGreaterThan(250);
  expect(gen.doneAt[2] - gen.doneAt[1]).toBeGreaterThan(250);
  // No layout shift while lessons streamed in (placeholders have the lessons' exact height).
  expect(gen.cls).toBeLessThan(0.01);
  console.log(`[e2e] generate-similar: lessons arrived at +${gen.doneAt.map((t) => Math.round(t - gen.pendingAt[0])).join(" ms, +")} ms after the placeholders; CLS ${gen.cls.toFixed(4)}`);

  await expect(rows).toHaveCount(before + 3);
  const newTitles = await rows.evaluateAll((els, n) => els.slice(-n).map((e) => e.querySelector("a")?.textContent ?? ""), 3);
  expect(newTitles.every((t) => t.length > 0)).toBe(true);
  await shot(page, "playlist-generated-1280");
  await expectNoSeriousAxeViolations(page, "playlist after generating");

  await page.reload();
  await expect(page).toHaveURL(url);
  await expect(rows).toHaveCount(before + 3);
  for (const title of newTitles) await expect(rows.getByRole("link", { name: title, exact: true })).toBeVisible();
});

test("answering a quiz question shows right or wrong and the explanation", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await prepareUser(page, "learner");
  await openFirstPlaylist(page);
  await page.getByTestId("playlist-lesson").first().getByRole("link").click();
  await page.waitForURL(/\/lessons\/[0-9a-f-]{36}$/);
  const lessonId = page.url().split("/").pop()!;
  const { lesson } = (await (await page.request.get(`/api/lessons/${lessonId}`)).json()) as {
    lesson: { content: { questions: { choices: string[]; correctIndex: number; explanation: string }[] } };
  };
  const [q1, q2] = lesson.content.questions;

  await expect(page.getByRole("heading", { name: "Key terms" })).toBeVisible();
  const questions = page.getByTestId("quiz-question");
  await expect(questions).toHaveCount(3);

  // A wrong pick: marked wrong, with the explanation.
  const wrong = (q1.correctIndex + 1) % 4;
  await questions.nth(0).getByRole("radio", { name: q1.choices[wrong] }).check();
  const fb1 = questions.nth(0).getByTestId("quiz-feedback");
  await expect(fb1).toHaveAttribute("data-correct", "false");
  await expect(fb1).toContainText("Not quite");
  await expect(fb1).toContainText(q1.explanation);
  // The right pick: marked right, with the explanation.
  await questions.nth(1).getByRole("radio", { name: q2.choices[q2.correctIndex] }).check();
  const fb2 = questions.nth(1).getByTestId("quiz-feedback");
  await expect(fb2).toHaveAttribute("data-correct", "true");
  await expect(fb2).toContainText("Right!");
  await expect(fb2).toContainText(q2.explanation);
  await expect(page.getByTestId("quiz-score")).toHaveText("2 of 3 answered");
  await shot(page, "lesson-quiz-answered-390");
  await expectNoSeriousAxeViolations(page, "lesson with answered quiz");
});

test("the feed tops itself up after lessons are marked seen", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await prepareUser(page, "learner");
  await page.goto("/");
  const current = page.getByTestId("current-lesson");
  await expect(current).toBeVisible({ timeout: 30_000 });
  // Let any top-up that started on load finish, so the snapshot below is stable.
  await expect(page.getByTestId("topup-status")).not.toHaveText("Topping up your feed…", { timeout: 45_000 });

  const idsOnScreen = () => page.locator("main [data-lesson-id]").evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute("data-lesson-id")!))]);
  const initial = new Set(await idsOnScreen());
  expect(initial.size).toBeGreaterThan(0);

  // Mark lessons seen until a topic runs low and the page asks for more.
  const seen: string[] = [];
  for (let i = 0; i < 6 && !(await page.getByTestId("topup-status").textContent())?.match(/Topping up|Added|topped up/); i++) {
    const id = await current.getAttribute("data-lesson-id");
    if (!id) break;
    seen.push(id);
    await current.getByRole("button", { name: "Mark seen" }).click();
    await expect(page.locator(`[data-testid="current-lesson"][data-lesson-id="${id}"]`)).toHaveCount(0);
  }
  expect(seen.length).toBeGreaterThan(0);

  await expect(page.getByTestId("topup-status")).toHaveText(/Added \d+ new lessons? to your feed\./, { timeout: 45_000 });
  const after = await idsOnScreen();
  const fresh = after.filter((id) => !initial.has(id));
  expect(fresh.length).toBeGreaterThan(0);
  for (const id of seen) expect(after).not.toContain(id);

  // The server agrees: the new lessons are pending in the learner's feed.
  const feed = (await (await page.request.get("/api/fyp")).json()) as { items: { lessonId: string }[] };
  const pending = feed.items.map((i) => i.lessonId);
  for (const id of fresh) expect(pending).toContain(id);
  await shot(page, "feed-topped-up-1280");
  await expectNoSeriousAxeViolations(page, "feed after top-up");
});

test("the admin dashboard shows the usage just produced, with non-zero savings", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await prepareUser(page, "admin");
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
  await page.getByRole("link", { name: "Admin" }).click();
  await page.waitForURL(/\/admin\/usage/);

  const value = async (id: string) => parseShownNumber((await page.getByTestId(`${id}-value`).textContent()) ?? "");
  expect(await value("card-calls")).toBeGreaterThan(0);
  expect(await value("card-lessons")).toBeGreaterThanOrEqual(3);
  expect(await value("card-cost")).toBeGreaterThan(0);
  expect(await value("card-saved-usd")).toBeGreaterThan(0);
  expect(await value("card-saved-tokens")).toBeGreaterThan(0);
  await expect(page.getByTestId("cost-chart")).toBeVisible();
  await expect(page.getByTestId("table-feature")).toContainText("similar");
  await expect(page.getByTestId("table-learners")).toContainText(presetUsers.learner);
  await expect(page.getByTestId("events-table")).toContainText(presetUsers.learner);

  // Filters narrow the event list (a plain GET form, so the URL says what is shown).
  await page.getByLabel("Feature", { exact: true }).selectOption("similar");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/feature=similar/);
  const features = await page.getByTestId("events-table").locator("tbody tr td:nth-child(3)").allTextContents();
  expect(features.length).toBeGreaterThan(0);
  expect(new Set(features)).toEqual(new Set(["similar"]));

  // CSV export answers with a header row and data.
  const href = await page.getByRole("link", { name: "Export CSV (by day)" }).getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).trim().split(/\r?\n/).length).toBeGreaterThan(1);
});

test("a learner opening /admin/usage gets a 404", async ({ page }) => {
  await prepareUser(page, "learner");
  const res = await page.goto("/admin/usage");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await page.context().clearCookies();
  const anon = await page.goto("/admin/usage");
  expect(anon?.status()).toBe(404);
});

test("a missing lesson, a missing playlist and someone else's playlist answer a real 404", async ({ page }) => {
  // pro@example.com's playlists are not the learner's: they must look exactly like missing ones.
  await prepareUser(page, "pro");
  const theirs = (await (await page.request.get("/api/playlists")).json()) as { playlists: { id: string }[] };
  const otherPlaylist = theirs.playlists[0].id;
  await page.context().clearCookies();

  await prepareUser(page, "learner");
  const missing = "00000000-0000-4000-8000-0000000000ff";
  for (const path of [`/playlists/${otherPlaylist}`, `/playlists/${missing}`, `/lessons/${missing}`, "/lessons/not-a-uuid"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});
