// Reports and regeneration in Chromium: a learner reports a lesson from the feed (it disappears at once),
// the admin removes it from the review queue, and it is gone from another learner's feed; the lesson in focus
// is reported too (it leaves at once, with a thank-you line); then a playlist lesson is regenerated in place and
// the page's quota line follows without a reload. Screenshots of the report dialog and the review queue at 390 and 1280 px
// are saved under test-results/screenshots/, and axe finds nothing serious on either.
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./axe";
import { prepareUser, type PresetUser } from "./users";

type FeedItem = { lessonId: string; lesson: { title: string; topicSlug: string } };

async function signedInPage(browser: Browser, who: PresetUser, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 } });
  const page = await context.newPage();
  await prepareUser(page, who);
  return page;
}

async function feedItems(request: APIRequestContext): Promise<FeedItem[]> {
  const res = await request.get("/api/fyp");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: FeedItem[] }).items;
}

test("report from the feed, the admin removes it, it is gone from another learner's feed; regenerate in place", async ({ browser }) => {
  test.setTimeout(180_000);
  const learner = await signedInPage(browser, "learner");
  const pro = await signedInPage(browser, "pro");
  const admin = await signedInPage(browser, "admin");

  // The other learner follows one of the learner's topics and tops up from the library: same lessons.
  const { subjects } = (await (await pro.request.get("/api/topics")).json()) as { subjects: { topics: { id: string; slug: string }[] }[] };
  const cells = subjects.flatMap((s) => s.topics).find((t) => t.slug === "cell-biology")!;
  expect((await pro.request.put(`/api/topics/${cells.id}/follow`, { data: { difficulty: "easy" } })).status()).toBe(200);
  // The top-up fills from the library at once; what is still missing is an urgent job (202) on the server's worker.
  const topUp = await pro.request.post("/api/fyp/generate-pending");
  expect([200, 202]).toContain(topUp.status());
  const { jobId } = (await topUp.json()) as { jobId: string | null };
  if (topUp.status() === 202) {
    await expect
      .poll(async () => ((await (await pro.request.get(`/api/fyp/top-ups/${jobId}`)).json()) as { state: string }).state, { timeout: 90_000 })
      .toMatch(/done|failed/);
  }
  const proIds = new Set((await feedItems(pro.request)).map((i) => i.lessonId));

  const mine = await feedItems(learner.request);
  const shared = mine.filter((i) => proIds.has(i.lessonId));
  expect(shared.length, "a lesson in both feeds").toBeGreaterThan(0);
  const target = shared[shared.length - 1];

  // 1. Report it from the learner's feed (a card under "Up next").
  await learner.goto("/");
  await expect(learner.getByTestId("current-lesson")).toBeVisible();
  if ((await learner.getByTestId("current-lesson").getAttribute("data-lesson-id")) === target.lessonId) {
    await learner.getByRole("button", { name: "Next" }).click();
  }
  const card = learner.locator(`[data-testid="lesson-card"][data-lesson-id="${target.lessonId}"]`);
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: /^Report/ }).click();
  const dialog = learner.getByRole("dialog", { name: "Report this lesson" });
  await expect(dialog.getByRole("heading", { name: "Report this lesson" })).toBeVisible();
  await dialog.getByRole("radio", { name: /Wrong answer/ }).check();
  await dialog.getByLabel(/Note/).fill("The second question marks the wrong choice as correct.");
  await expectNoSeriousAxeViolations(learner, "report dialog 1280");
  await learner.screenshot({ path: "test-results/screenshots/report-dialog-1280.png" });
  await learner.setViewportSize({ width: 390, height: 844 });
  await expect(dialog).toBeVisible();
  await expectNoSeriousAxeViolations(learner, "report dialog 390");
  await learner.screenshot({ path: "test-results/screenshots/report-dialog-390.png" });
  await learner.setViewportSize({ width: 1280, height: 900 });
  await dialog.getByRole("button", { name: "Send report" }).click();
  await expect(dialog).toBeHidden();
  await expect(card).toHaveCount(0);
  await expect(learner.getByTestId("lesson-card-reported")).toContainText(target.lesson.title);
  expect((await feedItems(learner.request)).map((i) => i.lessonId)).not.toContain(target.lessonId);
  // Reporting again answers 409.
  expect((await learner.request.post(`/api/lessons/${target.lessonId}/report`, { data: { reason: "unclear" } })).status()).toBe(409);

  // 1b. Report the lesson in focus: it leaves the feed at once, with a thank-you line, and the next one comes up.
  const focus = learner.getByTestId("current-lesson");
  const focusedId = (await focus.getAttribute("data-lesson-id"))!;
  const focusedTitle = (await focus.getByRole("heading", { level: 2 }).textContent())!.trim();
  expect(focusedId).not.toBe(target.lessonId);
  await focus.getByRole("button", { name: /^Report/ }).click();
  const focusDialog = learner.getByRole("dialog", { name: "Report this lesson" });
  await expect(focusDialog).toContainText(focusedTitle);
  await focusDialog.getByRole("radio", { name: /Unclear/ }).check();
  await focusDialog.getByRole("button", { name: "Send report" }).click();
  await expect(focusDialog).toBeHidden();
  await expect(learner.getByTestId("feed-notice")).toHaveText(`Thanks — “${focusedTitle}” is reported and gone from your feed.`);
  await expect(learner.locator(`[data-lesson-id="${focusedId}"]`)).toHaveCount(0); // neither in focus nor under Up next
  await expect(learner.getByText(focusedTitle, { exact: true })).toHaveCount(0);
  expect((await feedItems(learner.request)).map((i) => i.lessonId)).not.toContain(focusedId);
  expect((await learner.request.post(`/api/lessons/${focusedId}/report`, { data: { reason: "other" } })).status()).toBe(409);
  // The next lesson in focus gets a blank report form.
  if ((await focus.count()) > 0) {
    await focus.getByRole("button", { name: /^Report/ }).click();
    await expect(focusDialog.getByRole("radio", { checked: true })).toHaveCount(0);
    await focusDialog.getByRole("button", { name: "Cancel" }).click();
    await expect(focusDialog).toBeHidden();
  }

  // 2. The admin's review queue: the lesson, its report, who made it; remove it.
  for (const width of [390, 1280]) {
    await admin.setViewportSize({ width, height: width < 500 ? 844 : 900 });
    await admin.goto("/admin/reports");
    await expect(admin.getByRole("heading", { level: 1, name: "Reported lessons" })).toBeVisible();
    const item = admin.locator(`[data-testid="reported-lesson"][data-lesson-id="${target.lessonId}"]`);
    await expect(item).toContainText(target.lesson.title);
    await expect(item).toContainText("learner@example.com");
    await expect(item).toContainText("The second question marks the wrong choice as correct.");
    await expectNoSeriousAxeViolations(admin, `review queue ${width}`);
    await admin.screenshot({ path: `test-results/screenshots/review-queue-${width}.png`, fullPage: true });
  }
  // A learner cannot open the queue.
  expect((await learner.request.get("/api/admin/reports")).status()).toBe(403);
  admin.once("dialog", (d) => void d.accept());
  await admin.locator(`[data-testid="reported-lesson"][data-lesson-id="${target.lessonId}"]`).getByRole("button", { name: /^Remove from library/ }).click();
  await expect(admin.locator(`[data-testid="reported-lesson"][data-lesson-id="${target.lessonId}"]`)).toHaveCount(0);
  // The lesson reported from the feed's focus waits in the queue too; dismissing it empties the queue.
  const focusReport = admin.locator(`[data-testid="reported-lesson"][data-lesson-id="${focusedId}"]`);
  await expect(focusReport).toContainText(focusedTitle);
  await focusReport.getByRole("button", { name: /^Dismiss/ }).click();
  await expect(admin.getByTestId("reports-empty")).toBeVisible();

  // 3. Gone from the other learner's feed and from the lesson page.
  expect((await feedItems(pro.request)).map((i) => i.lessonId)).not.toContain(target.lessonId);
  await pro.goto("/");
  await expect(pro.getByTestId("current-lesson")).toBeVisible();
  await expect(pro.getByText(target.lesson.title, { exact: true })).toHaveCount(0);
  expect((await pro.request.get(`/api/lessons/${target.lessonId}`)).status()).toBe(404);

  // 4. Regenerate a playlist lesson in place (the learner's biology playlist also shows the removed placeholder).
  const { playlists } = (await (await learner.request.get("/api/playlists")).json()) as { playlists: { id: string; title: string }[] };
  const biology = playlists.find((p) => p.title === "Biology starters")!;
  const before = (await (await learner.request.get(`/api/playlists/${biology.id}`)).json()) as {
    lessons: { id: string; title: string; position: number }[];
    removed: { lessonId: string; position: number }[];
  };
  const quotaBefore = (await (await learner.request.get("/api/quota")).json()) as { usedToday: number };
  await learner.goto(`/playlists/${biology.id}`);
  // The form's "N of 20 lessons left today" line follows the regeneration without a reload.
  const quotaLine = learner.getByTestId("quota-left");
  const leftBefore = Number(await quotaLine.locator("strong").textContent());
  expect(leftBefore).toBeGreaterThan(0);
  const rows = learner.getByTestId("playlist-lesson");
  await expect(rows).toHaveCount(before.lessons.length + before.removed.length);
  await expect(learner.locator('[data-testid="playlist-lesson"][data-state="removed"]')).toHaveCount(before.removed.length);
  const victim = before.lessons[before.lessons.length - 1];
  const row = rows.nth(victim.position);
  await expect(row).toContainText(victim.title);
  await row.getByRole("button", { name: "Regenerate" }).click();
  const regen = learner.getByRole("dialog", { name: "Regenerate this lesson" });
  await regen.getByLabel(/Instruction/).fill("Use a kitchen analogy.");
  await regen.getByRole("button", { name: "Regenerate" }).click();
  await expect(rows.nth(victim.position)).toHaveAttribute("data-state", "saved", { timeout: 60_000 });
  await expect(rows.nth(victim.position)).not.toContainText(victim.title);
  await expect(rows.nth(victim.position)).toContainText("New");
  await expect(quotaLine.locator("strong")).toHaveText(String(leftBefore - 1));

  const after = (await (await learner.request.get(`/api/playlists/${biology.id}`)).json()) as typeof before;
  const replaced = after.lessons.find((l) => l.position === victim.position)!;
  expect(replaced.id).not.toBe(victim.id);
  expect(after.lessons.filter((l) => l.id !== replaced.id)).toEqual(before.lessons.filter((l) => l.id !== victim.id));
  expect(after.removed).toEqual(before.removed);
  const quotaAfter = (await (await learner.request.get("/api/quota")).json()) as { usedToday: number };
  expect(quotaAfter.usedToday - quotaBefore.usedToday).toBe(1);
  // The old lesson stays in the library.
  expect((await learner.request.get(`/api/lessons/${victim.id}`)).status()).toBe(200);
});
