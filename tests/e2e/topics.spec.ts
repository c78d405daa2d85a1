// Following and unfollowing topics from the grouped catalogue, checked against the API.
import { expect, test, type Page } from "@playwright/test";
import { prepareUser } from "./users";

async function topicState(page: Page, name: string) {
  const catalog = (await (await page.request.get("/api/topics")).json()) as {
    subjects: { name: string; topics: { name: string; followed: boolean; difficulty: string | null }[] }[];
  };
  for (const s of catalog.subjects) for (const t of s.topics) if (t.name === name) return { subject: s.name, ...t };
  throw new Error(`no topic ${name}`);
}

test("a learner follows a topic, picks its difficulty and unfollows it", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await prepareUser(page, "pro");
  const before = await topicState(page, "Geometry");
  expect(before.followed).toBe(false);

  await page.goto("/topics");
  const subject = page.getByRole("region", { name: before.subject });
  await expect(subject).toBeVisible();
  const toggle = subject.getByRole("button", { name: "Follow Geometry" });
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await toggle.click();
  const following = subject.getByRole("button", { name: "Following Geometry" });
  await expect(following).toHaveAttribute("aria-pressed", "true");
  await expect.poll(async () => (await topicState(page, "Geometry")).followed).toBe(true);

  await subject.getByLabel("Difficulty for Geometry").selectOption("hard");
  await expect.poll(async () => (await topicState(page, "Geometry")).difficulty).toBe("hard");

  await following.click();
  await expect(subject.getByRole("button", { name: "Follow Geometry" })).toHaveAttribute("aria-pressed", "false");
  await expect.poll(async () => (await topicState(page, "Geometry")).followed).toBe(false);
});
