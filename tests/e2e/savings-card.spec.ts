// The "Saved by batching" card on /admin/usage at 390 px and 1280 px: after a learner generates
// similar lessons through the API, the card shows a dollar figure, its definition opens on click,
// and screenshots of both states are saved under test-results/screenshots/.
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./axe";
import { parseShownNumber, prepareUser } from "./users";

test.describe.configure({ mode: "serial" });

const widths = [390, 1280] as const;

/** A learner asks for 3 similar lessons through the real route, so there is usage to show. */
async function generateUsage(page: Page): Promise<void> {
  await prepareUser(page, "learner");
  const { playlists } = (await (await page.request.get("/api/playlists")).json()) as { playlists: { id: string; lessonCount: number }[] };
  const p = playlists.find((x) => x.lessonCount > 0);
  expect(p, "the learner has a playlist with lessons").toBeTruthy();
  const res = await page.request.post(`/api/playlists/${p!.id}/generate-similar`, { data: { count: 3 }, timeout: 45_000 });
  expect(res.status()).toBe(200);
  // The body is the lesson stream: reading it to the end waits for the request to finish.
  await res.text();
}

test("the learner's generation produces usage", async ({ page }) => {
  await generateUsage(page);
});

for (const width of widths) {
  test(`the savings card shows a dollar figure and its definition at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await prepareUser(page, "admin");
    await page.goto("/admin/usage");
    const card = page.getByTestId("card-saved-usd");
    await expect(card).toBeVisible();
    await expect(card).toContainText("Saved by batching");
    const shown = (await page.getByTestId("card-saved-usd-value").textContent()) ?? "";
    expect(shown).toMatch(/\$\s?-?\d/);
    expect(parseShownNumber(shown)).toBeGreaterThan(0);
    await expect(page.getByTestId("card-saved-usd-split")).toContainText("Output");

    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: `test-results/screenshots/savings-card-${width}.png` });

    const definition = page.getByTestId("card-saved-usd-definition");
    await expect(definition).not.toHaveAttribute("open", /.*/);
    await expect(definition.getByText("for the lessons actually delivered")).toBeHidden();
    await definition.getByText("How is this computed?").click();
    await expect(definition).toHaveAttribute("open", /.*/);
    await expect(definition.getByText("for the lessons actually delivered")).toBeVisible();
    await card.screenshot({ path: `test-results/screenshots/savings-definition-${width}.png` });
    await expectNoSeriousAxeViolations(page, `admin usage with the savings definition open at ${width} px`);
  });
}
