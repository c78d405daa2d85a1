// Preset users for the end-to-end tests (after Aila's prepareUser): seeded demo accounts, signed in
// through the real sign-in form or the real sign-in API.
import { expect, type Page } from "@playwright/test";

export const presetUsers = {
  learner: "learner@example.com",
  pro: "pro@example.com",
  admin: "admin@example.com",
  // One lesson short of the daily quota in the seed (19 of 20 used).
  nearly: "nearly@example.com",
} as const;
export type PresetUser = keyof typeof presetUsers;

/** Signs `who` in. `via: "form"` types the email into /login like a person; "api" posts JSON (faster). */
export async function prepareUser(page: Page, who: PresetUser, via: "form" | "api" = "api"): Promise<string> {
  const email = presetUsers[who];
  await page.context().clearCookies();
  if (via === "form") {
    await page.goto("/login");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");
  } else {
    const res = await page.request.post("/api/auth/local", { data: { email } });
    expect(res.status(), `sign-in for ${email}`).toBe(200);
  }
  return email;
}

/** Numbers in a rendered string such as "$0.0123" or "1,234" → 0.0123 / 1234. */
export function parseShownNumber(text: string): number {
  const m = text.replace(/,/g, "").match(/-?\d+(\.\d+)?/);
  return m ? Number(m[0]) : Number.NaN;
}
