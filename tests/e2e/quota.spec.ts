// A learner one lesson short of the daily quota asks for 3: the page explains the limit and says when
// it resets, in the learner's own time zone.
import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./axe";
import { prepareUser } from "./users";

const timezoneId = "America/New_York";
test.use({ timezoneId, locale: "en-US" });

test("a learner one lesson short of the quota asking for 3 sees the quota message and when it resets", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await prepareUser(page, "nearly");
  const quota = (await (await page.request.get("/api/quota")).json()) as { remaining: number; resetsAt: string; lessonsPerDay: number };
  expect(quota.remaining).toBe(1);

  await page.goto("/playlists");
  await page.locator('[data-testid="playlist-link"]:not([data-lesson-count="0"])').first().click();
  await page.waitForURL(/\/playlists\/[0-9a-f-]{36}$/);
  const rows = page.getByTestId("playlist-lesson");
  await expect(rows.first()).toBeVisible();
  const before = await rows.count();
  await expect(page.getByTestId("quota-left")).toContainText(`1 of ${quota.lessonsPerDay} lessons left today`);

  await page.getByLabel("How many").fill("3");
  await page.getByRole("button", { name: "Generate similar" }).click();

  const message = page.getByTestId("quota-message");
  await expect(message).toBeVisible();
  await expect(message).toContainText("Daily lesson limit reached");
  await expect(message).toContainText("You asked for 3 lessons but have 1 left today");
  // The reset time is shown in the browser's zone (New York here), not the server's or UTC.
  const expectedTime = new Date(quota.resetsAt).toLocaleTimeString("en-US", { timeZone: timezoneId, hour: "numeric", minute: "2-digit" });
  const resetText = message.getByTestId("quota-reset-time");
  await expect(resetText).toContainText(expectedTime);
  await expect(resetText).toContainText(timezoneId);
  await expect(resetText).toHaveAttribute("datetime", quota.resetsAt);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "test-results/screenshots/playlist-quota-390.png", fullPage: true });
  await expectNoSeriousAxeViolations(page, "playlist with the quota message");

  // Nothing was generated or spent.
  await expect(page.getByTestId("lesson-slot")).toHaveCount(0);
  await expect(rows).toHaveCount(before);
  const after = (await (await page.request.get("/api/quota")).json()) as { remaining: number };
  expect(after.remaining).toBe(1);
});
