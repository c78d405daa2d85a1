// The feed tops itself up through the job engine: the e2e server runs its job worker in process on the
// embedded database (JOBS_IN_PROCESS_WORKER=on, as `npm run dev` does), so a learner's top-up is an
// urgent job: the request answers 202 with the job's id, the page says "Topping up…", polls the job and
// shows the new lessons when it has finished.
import { expect, test } from "@playwright/test";

test("marking lessons seen tops the feed up through an urgent job, and the page shows it when it finishes", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  // A learner of their own, so no other test's feed or allowance is involved.
  const email = `topup-${Date.now()}@example.com`;
  expect((await page.request.post("/api/auth/local", { data: { email } })).status()).toBe(200);
  const catalog = (await (await page.request.get("/api/topics")).json()) as { subjects: { topics: { id: string; lessonCount: number }[] }[] };
  const topics = catalog.subjects.flatMap((s) => s.topics).filter((t) => t.lessonCount > 0).slice(0, 2);
  expect(topics).toHaveLength(2);
  for (const t of topics) expect((await page.request.put(`/api/topics/${t.id}/follow`, { data: {} })).status()).toBe(200);

  const topUps: { status: number; body: { status: string; jobId: string | null } }[] = [];
  const polls: { state: string }[] = [];
  page.on("response", async (res) => {
    const url = new URL(res.url());
    if (url.pathname === "/api/fyp/generate-pending" && res.request().method() === "POST") topUps.push({ status: res.status(), body: await res.json() });
    if (url.pathname.startsWith("/api/fyp/top-ups/")) polls.push(await res.json());
  });

  await page.goto("/");
  const current = page.getByTestId("current-lesson");
  await expect(current).toBeVisible({ timeout: 30_000 });
  // A new learner's feed starts low, so the page may top up on load; let that settle first.
  await expect(page.getByTestId("topup-status")).not.toHaveAttribute("data-state", "running", { timeout: 60_000 });
  const before = topUps.length;

  // Mark lessons seen until a topic runs low and the page asks for more.
  const seen: string[] = [];
  for (let i = 0; i < 6 && topUps.length === before; i++) {
    const id = await current.getAttribute("data-lesson-id");
    if (!id) break;
    seen.push(id);
    await current.getByRole("button", { name: "Mark seen" }).click();
    await expect(page.locator(`[data-testid="current-lesson"][data-lesson-id="${id}"]`)).toHaveCount(0);
    await page.waitForTimeout(300);
  }
  expect(seen.length).toBeGreaterThan(0);

  // While the job runs the page says so; then it finishes (never an endless spinner).
  await expect(page.getByTestId("topup-status")).toHaveAttribute("data-state", /running|done/, { timeout: 15_000 });
  await expect(page.getByTestId("topup-status")).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  await expect(page.getByTestId("topup-status")).toHaveText(/Added \d+ new lessons? to your feed\.|Your feed is topped up\./);

  // It went through the job engine: 202 with a job id, polled until done.
  const queued = topUps.slice(before).find((t) => t.body.status === "queued");
  expect(queued, `top-up answers: ${JSON.stringify(topUps)}`).toBeTruthy();
  expect(queued!.status).toBe(202);
  expect(queued!.body.jobId).toMatch(/^[0-9a-f-]{36}$/);
  expect(polls.at(-1)?.state).toBe("done");
  const job = (await (await page.request.get(`/api/fyp/top-ups/${queued!.body.jobId}`)).json()) as { state: string; delivered: number | null };
  expect(job.state).toBe("done");

  // Every followed topic is back at the cap, and nothing marked seen came back.
  const feed = (await (await page.request.get("/api/fyp")).json()) as { items: { lessonId: string }[]; topics: { pending: number }[] };
  for (const t of feed.topics) expect(t.pending).toBe(2);
  for (const id of seen) expect(feed.items.map((i) => i.lessonId)).not.toContain(id);
  await expect(page.locator("main [data-lesson-id]").first()).toBeVisible();
});
