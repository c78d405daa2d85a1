// POST /api/admin/jobs/{id}/retry: admin only, a validated id, the standard error body; with the
// embedded engine running in this process a dead job really goes back onto its queue and completes.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/admin/jobs/[id]/retry/route";
import { QUEUES, enqueueGroups, jobStats, jobsPanelRows, startInProcessWorker, stopInProcessWorker } from "@/lib/jobs";
import { call, makeUser, setupHarness, type Harness, type User } from "../api/harness";
import { waitFor } from "./support";

let h: Harness;
let admin: User;
let learner: User;
const path = (id: string) => `/api/admin/jobs/${id}/retry`;
const someUuid = "7d9f1c2e-4b6a-4c1d-9e8f-0a1b2c3d4e5f";

beforeAll(async () => {
  h = await setupHarness();
  admin = await makeUser(h, "ops@example.com", { admin: true });
  learner = await makeUser(h, "reader@example.com");
});
afterAll(async () => {
  await stopInProcessWorker();
  await h?.cleanup();
});

describe("retry a dead job", () => {
  it("refuses anyone but an admin, a malformed id, and an id that is no dead job — with the standard error body", async () => {
    const anon = await call(POST, "POST", path(someUuid), { params: { id: someUuid } });
    expect(anon.status).toBe(401);
    const notAdmin = await call(POST, "POST", path(someUuid), { cookie: learner.cookie, params: { id: someUuid } });
    expect([403, 404]).toContain(notAdmin.status);
    const bad = await call(POST, "POST", path("not-a-uuid"), { cookie: admin.cookie, params: { id: "not-a-uuid" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
    const unknown = await call(POST, "POST", path(someUuid), { cookie: admin.cookie, params: { id: someUuid } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("with the in-process engine: a job that failed for good is shown in the panel, retried by the route, and completes", async () => {
    const pg = await PGlite.create();
    let failing = true;
    const ran: string[] = [];
    const running = await startInProcessWorker({
      pglite: pg,
      handlers: {
        async generateGroup(job) {
          ran.push(job.topicId);
          if (failing) throw new Error("provider exploded");
        },
      },
      engine: { settings: { retryLimit: 0, retryDelaySeconds: 1, retryDelayMaxSeconds: 1 }, monitorIntervalSeconds: 1, log: () => {} },
      worker: { pollingIntervalSeconds: 0.5 },
    });
    await enqueueGroups(running.engine, [{ topicId: "glaciers", difficulty: "easy", need: 1 }]);
    const rows = await waitFor(async () => {
      const r = await jobsPanelRows(running.engine);
      return r?.find((q) => q.queue === QUEUES.generate)?.deadLetters.length === 1 ? r : undefined;
    }, 60_000, "the dead letter");
    const letter = rows.find((q) => q.queue === QUEUES.generate)!.deadLetters[0];
    expect(letter).toMatchObject({ lastError: "provider exploded", label: "glaciers · easy", attempts: 1 });

    failing = false;
    const res = await call(POST, "POST", path(letter.id), { cookie: admin.cookie, params: { id: letter.id } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ retried: true, id: letter.id });
    const again = await call(POST, "POST", path(letter.id), { cookie: admin.cookie, params: { id: letter.id } });
    expect(again.status).toBe(404); // already moved back
    await waitFor(async () => {
      const gen = (await jobStats(running.engine)).find((r) => r.queue === QUEUES.generate)!;
      return gen.completed === 1 && gen.deadLetterCount === 0 ? true : undefined;
    }, 60_000, "the retried job to complete");
    expect(ran).toEqual(["glaciers", "glaciers"]);
    await stopInProcessWorker();
    await pg.close();
  }, 120_000);
});
