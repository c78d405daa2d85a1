// The admin dashboard's spend-cap banner: nothing far from the cap, a warning from 80 %, an alert at it.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SpendCapBanner } from "@/components/admin/spend-cap-banner";

const status = (spentUsd: number, capUsd: number | null, exhausted: boolean) => ({ spentUsd, capUsd, exhausted, resetsAt: "2026-11-30T00:00:00.000Z" });

describe("SpendCapBanner", () => {
  const cases = [
    { name: "far below the cap", s: status(10, 50, false), role: null },
    { name: "no cap configured", s: status(10, null, false), role: null },
    { name: "at 80 % of the cap", s: status(40, 50, false), role: "status" },
    { name: "cap reached", s: status(50.2, 50, true), role: "alert" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const html = renderToStaticMarkup(createElement(SpendCapBanner, { status: c.s }));
      if (c.role === null) expect(html).toBe("");
      else expect(html).toContain(`role="${c.role}"`);
      if (c.role === "alert") expect(html).toMatch(/Generation is stopped for today.*budget_exhausted.*SPEND_CAP_DAILY_USD/s);
    });
  }
});
