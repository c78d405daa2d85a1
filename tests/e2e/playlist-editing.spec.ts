// Playlist housekeeping through the UI: create, rename, add a lesson from the lesson page, remove it,
// delete the playlist — each checked against the API afterwards.
import { expect, test } from "@playwright/test";
import { prepareUser } from "./users";

test("a learner creates, renames, fills, empties and deletes a playlist", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await prepareUser(page, "pro");

  await page.goto("/playlists");
  await page.getByLabel("Title").fill("Weekend reading");
  await page.getByLabel("Description (optional)").fill("Short things for Saturday.");
  await page.getByRole("button", { name: "Create playlist" }).click();
  await page.waitForURL(/\/playlists\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { level: 1, name: "Weekend reading" })).toBeVisible();
  await expect(page.getByText("This playlist is empty")).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate similar" })).toBeDisabled();

  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("Title").fill("Saturday shorts");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Saturday shorts" })).toBeVisible();
  const renamed = (await (await page.request.get(`/api/playlists/${id}`)).json()) as { title: string };
  expect(renamed.title).toBe("Saturday shorts");

  // Add a lesson from a lesson page.
  const feed = (await (await page.request.get("/api/fyp")).json()) as { items: { lessonId: string; lesson: { title: string } }[] };
  const item = feed.items[0];
  await page.goto(`/lessons/${item.lessonId}`);
  await page.getByLabel("Playlist", { exact: true }).selectOption({ label: "Saturday shorts" });
  await page.getByRole("button", { name: "Add to playlist" }).click();
  await expect(page.getByText("Added to “Saturday shorts”.")).toBeVisible();
  await page.getByRole("link", { name: "Open playlist" }).click();
  await page.waitForURL(`**/playlists/${id}`);
  const rows = page.getByTestId("playlist-lesson");
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(item.lesson.title);

  await rows.getByRole("button", { name: "Remove" }).click();
  await expect(rows).toHaveCount(0);
  await expect.poll(async () => ((await (await page.request.get(`/api/playlists/${id}`)).json()) as { lessons: unknown[] }).lessons.length).toBe(0);

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("button", { name: "Delete playlist" }).click();
  await page.waitForURL((url) => url.pathname === "/playlists");
  expect((await page.request.get(`/api/playlists/${id}`)).status()).toBe(404);
  await expect(page.getByRole("link", { name: /Saturday shorts/ })).toHaveCount(0);
});
