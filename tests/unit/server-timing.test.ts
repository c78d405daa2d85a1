// The API's Server-Timing header counts the database calls made while its handler runs (lib/db/timing.ts
// measures, lib/api/server-timing.ts stamps), and only those.
import { describe, expect, it } from "vitest";
import { withServerTiming } from "@/lib/api/server-timing";
import { recordDbTime } from "@/lib/db/timing";

describe("Server-Timing", () => {
  it("stamps the handler's time and its database calls; calls outside a request are not counted", async () => {
    recordDbTime(1000); // outside any request
    const res = await withServerTiming(async () => {
      recordDbTime(2);
      await Promise.resolve();
      recordDbTime(3);
      return new Response("ok");
    });
    expect(res.headers.get("server-timing")).toMatch(/^app;dur=\d+\.\d, db;dur=5\.0;desc="2 calls"$/);
  });

  it("keeps concurrent requests apart and copies a response whose headers cannot change", async () => {
    const a = withServerTiming(async () => {
      recordDbTime(1);
      await new Promise((r) => setTimeout(r, 5));
      recordDbTime(1);
      return new Response("a");
    });
    const b = withServerTiming(async () => {
      recordDbTime(7);
      return Response.redirect("http://localhost/x", 303); // immutable headers
    });
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.headers.get("server-timing")).toContain('db;dur=2.0;desc="2 calls"');
    expect(rb.headers.get("server-timing")).toContain('db;dur=7.0;desc="1 calls"');
    expect(rb.status).toBe(303);
  });
});
