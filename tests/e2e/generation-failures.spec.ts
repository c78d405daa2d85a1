// How the playlist page shows a lesson that could not be written, and its retry. The simulator in the
// e2e server never fails, so this test answers generate-similar itself with a scripted NDJSON stream
// (the server side of failures is covered by the API and batch tests); everything else is real.
import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./axe";
import { prepareUser } from "./users";

test("a failed lesson shows the reason and a retry that fills its place", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await prepareUser(page, "pro");
  const { playlists } = (await (await page.request.get("/api/playlists")).json()) as { playlists: { id: string; lessonCount: number }[] };
  const playlist = playlists.find((p) => p.lessonCount > 0)!;
  const detail = (await (await page.request.get(`/api/playlists/${playlist.id}`)).json()) as { lessons: Record<string, unknown>[] };
  const template = detail.lessons[0];
  const fakeLesson = (n: number) => ({ ...template, id: `00000000-0000-4000-8000-0000000000a${n}`, title: `Scripted lesson ${n}`, source: "generated" });

  const bodies: unknown[] = [];
  const scripts = [
    [
      { type: "started", requestId: "r1", count: 2, plan: { calls: 1, perCall: 2, model: "sim-standard" } },
      { type: "lesson", index: 0, lesson: fakeLesson(1), via: "single-call" },
      { type: "lesson_failed", index: 1, error: { code: "invalid_output", message: "The model's lesson failed validation twice." } },
      { type: "done", succeeded: 1, failed: 1, usage: { calls: 2, promptTokens: 900, cachedTokens: 0, completionTokens: 500, costUsd: 0.001, savedUsd: 0.0002 }, quota: { remaining: 48, resetsAt: "2030-01-02T00:00:00Z" } },
    ],
    [
      { type: "started", requestId: "r2", count: 1, plan: { calls: 1, perCall: 1, model: "sim-standard" } },
      { type: "lesson", index: 0, lesson: fakeLesson(2), via: "single" },
      { type: "done", succeeded: 1, failed: 0, usage: { calls: 1, promptTokens: 500, cachedTokens: 0, completionTokens: 260, costUsd: 0.0005, savedUsd: 0 }, quota: { remaining: 47, resetsAt: "2030-01-02T00:00:00Z" } },
    ],
  ];
  await page.route("**/api/playlists/*/generate-similar", async (route) => {
    bodies.push(route.request().postDataJSON());
    expect(route.request().headers()["accept"]).toContain("application/x-ndjson");
    const events = scripts[bodies.length - 1];
    await route.fulfill({ status: 200, contentType: "application/x-ndjson", body: events.map((e) => JSON.stringify(e)).join("\n") + "\n" });
  });

  await page.goto(`/playlists/${playlist.id}`);
  const rows = page.getByTestId("playlist-lesson");
  await expect(rows.first()).toBeVisible();
  const before = await rows.count();

  await page.getByLabel("How many").fill("2");
  await page.getByRole("button", { name: "Generate similar" }).click();
  const failed = page.locator('[data-testid="lesson-slot"][data-state="failed"]');
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText("This lesson couldn’t be written");
  await expect(failed).toContainText("The model's lesson failed validation twice.");
  await expect(rows).toHaveCount(before + 1);
  await expect(page.getByTestId("generation-status")).toContainText("1 lesson added, 1 failed");
  await expect(page.getByTestId("quota-left")).toContainText("48");
  await page.screenshot({ path: "test-results/screenshots/playlist-failed-lesson-1280.png", fullPage: false });
  await expectNoSeriousAxeViolations(page, "playlist with a failed lesson");

  await failed.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("lesson-slot")).toHaveCount(0);
  await expect(rows).toHaveCount(before + 2);
  await expect(rows.last()).toContainText("Scripted lesson 2");
  expect(bodies).toEqual([{ count: 2 }, { count: 1 }]);
});
