// Every page at 390 px and 1280 px: axe-core finds no serious or critical violations, the browser console
// stays clean (no error or warning: a hydration mismatch is one) and no request fails, and a full-page
// screenshot is saved under test-results/screenshots/.
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./axe";
import { prepareUser, type PresetUser } from "./users";

const widths = [390, 1280] as const;

interface PageCase {
  name: string;
  as: PresetUser | null;
  path: (page: Page) => Promise<string>;
  ready: (page: Page) => Promise<void>;
  status?: number;
}

async function firstPlaylistPath(page: Page): Promise<string> {
  const { playlists } = (await (await page.request.get("/api/playlists")).json()) as { playlists: { id: string; lessonCount: number }[] };
  const p = playlists.find((x) => x.lessonCount > 0) ?? playlists[0];
  expect(p, "the learner has a playlist").toBeTruthy();
  return `/playlists/${p.id}`;
}

async function firstLessonPath(page: Page): Promise<string> {
  const path = await firstPlaylistPath(page);
  const { lessons } = (await (await page.request.get(`/api${path}`)).json()) as { lessons: { id: string }[] };
  expect(lessons.length).toBeGreaterThan(0);
  return `/lessons/${lessons[0].id}`;
}

const heading = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
};

/**
 * Collects console errors and warnings, uncaught page errors and failed responses. The page's own
 * document may answer its expected status (the not-found case); anything else ≥ 400 is noise.
 */
function listenForConsoleNoise(page: Page) {
  const seen: { kind: string; text: string; url?: string; status?: number }[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") seen.push({ kind: `console.${m.type()}`, text: m.text() });
  });
  page.on("pageerror", (e) => seen.push({ kind: "pageerror", text: e.message }));
  page.on("response", (r) => {
    if (r.status() >= 400) seen.push({ kind: "response", text: r.request().resourceType(), url: new URL(r.url()).pathname, status: r.status() });
  });
  return (path: string, expectedStatus = 200) =>
    seen.filter((n) => {
      if (n.kind === "response" && n.url === path && n.status === expectedStatus) return false;
      // Chromium reports the document's own expected 404 on the console too.
      if (expectedStatus !== 200 && n.kind === "console.error" && n.text.includes(`status of ${expectedStatus}`)) return false;
      return true;
    });
}

const cases: PageCase[] = [
  { name: "welcome", as: null, path: async () => "/", ready: heading(/Learn something real/) },
  { name: "login", as: null, path: async () => "/login", ready: heading("Sign in to Lessonloom") },
  {
    name: "feed",
    as: "learner",
    path: async () => "/",
    ready: async (page) => {
      await heading("For You")(page);
      await expect(page.getByTestId("current-lesson").or(page.getByText("You’re all caught up"))).toBeVisible({ timeout: 30_000 });
    },
  },
  { name: "topics", as: "learner", path: async () => "/topics", ready: heading("Topics") },
  { name: "playlists", as: "learner", path: async () => "/playlists", ready: heading("Playlists") },
  {
    name: "playlist",
    as: "learner",
    path: firstPlaylistPath,
    ready: async (page) => {
      await expect(page.getByRole("heading", { name: "Generate similar" })).toBeVisible();
    },
  },
  { name: "lesson", as: "learner", path: firstLessonPath, ready: async (page) => void (await expect(page.getByRole("heading", { name: "Check yourself" })).toBeVisible()) },
  { name: "admin-usage", as: "admin", path: async () => "/admin/usage", ready: heading("Usage and cost") },
  { name: "not-found", as: "learner", path: async () => "/admin/usage", ready: heading("Page not found"), status: 404 },
];

for (const c of cases) {
  for (const width of widths) {
    test(`${c.name} at ${width}px: no serious or critical axe violations, a clean console`, async ({ page }) => {
      await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
      const noise = listenForConsoleNoise(page);
      if (c.as) await prepareUser(page, c.as);
      else await page.context().clearCookies();
      const path = await c.path(page);
      const res = await page.goto(path);
      expect(res?.status()).toBe(c.status ?? 200);
      await c.ready(page);
      // Nothing may stick out sideways on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, "horizontal overflow in px").toBeLessThanOrEqual(0);

      await expectNoSeriousAxeViolations(page, `${c.name} at ${width}px`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `test-results/screenshots/${c.name}-${width}.png`, fullPage: true });
      // Let late hydration and prefetches finish before judging the console.
      await page.waitForLoadState("networkidle");
      expect(noise(path, c.status), `console and network of ${path}`).toEqual([]);
    });
  }
}

test("keyboard: skip link, visible focus and playlist reordering work without a mouse", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await prepareUser(page, "learner");
  await page.goto(await firstPlaylistPath(page));
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  // Focus is drawn: the outline comes from :focus-visible.
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");

  const rows = page.getByTestId("playlist-lesson");
  // The seeded playlists hold 3–5 lessons; fewer would be a seed bug, not a reason to skip.
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  const titles = async () => rows.evaluateAll((els) => els.map((e) => e.querySelector("a")?.textContent ?? ""));
  const before = await titles();
  await rows.nth(0).getByRole("button", { name: "Move down" }).focus();
  await page.keyboard.press("Enter");
  await expect.poll(titles).toEqual([before[1], before[0], ...before.slice(2)]);
  await page.reload();
  await expect.poll(titles).toEqual([before[1], before[0], ...before.slice(2)]);
});
