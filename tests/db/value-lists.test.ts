// The value lists the database enforces (Postgres domains with a CHECK) and the TypeScript lists are one
// contract: this test reads what the database allows and fails when either side drifts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DbError } from "@/lib/db/port";
import { createTestDb, type TestDb, testDbKinds } from "@/lib/db/testing";
import { difficulties, generationStatuses as finishStatuses, usageFeatures, usageModes, type UsageMode } from "@/lib/contracts/enums";
import type { FinishStatus } from "@/lib/generation/generation-request";
import type { LessonVia } from "@/lib/batch/types";
import { reportReasons, reviewActions } from "@/lib/contracts/reports";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// The statuses of a generation request row: running, then one of the finish statuses; the compile-time
// check below keeps the list equal to the engine's FinishStatus type.
const generationStatuses = ["running", ...finishStatuses] as const;
const statusesMatchType: Same<(typeof generationStatuses)[number], "running" | FinishStatus> = true;
// A lesson's "via" is the usage mode of the call that produced it (a moderation screen produces none).
const viaIsMode: Same<LessonVia, Exclude<UsageMode, "moderation">> = true;

const lists: { domain: string; ts: readonly string[]; columns: string[] }[] = [
  { domain: "lesson_difficulty", ts: difficulties, columns: ["lessons.difficulty", "topic_follows.difficulty"] },
  {
    domain: "usage_feature",
    ts: usageFeatures,
    columns: ["generation_requests.feature", "usage_events.feature", "usage_daily.feature"],
  },
  { domain: "usage_mode", ts: usageModes, columns: ["usage_events.mode", "usage_daily.mode", "usage_daily_latency.mode"] },
  { domain: "generation_status", ts: generationStatuses, columns: ["generation_requests.status"] },
  { domain: "report_reason", ts: reportReasons, columns: ["lesson_reports.reason"] },
  { domain: "review_action", ts: reviewActions, columns: ["lesson_reports.review"] },
];

/** The quoted values of a CHECK (VALUE = ANY (ARRAY['a'::text, …])) in order. */
function checkValues(def: string): string[] {
  return [...def.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1].replaceAll("''", "'"));
}

describe("value lists in TypeScript", () => {
  it("match their types at compile time", () => {
    expect([statusesMatchType, viaIsMode]).toEqual([true, true]);
  });

  it("are written once in the migrations, as the domain", () => {
    const dir = "supabase/migrations";
    const sql = readdirSync(dir).map((n) => readFileSync(path.join(dir, n), "utf8")).join("\n");
    for (const { domain, ts } of lists) {
      const list = new RegExp(ts.map((v) => `'${v}'`).join(",\\s*"), "g");
      expect(sql.match(list)?.length, domain).toBe(1);
      expect(sql).toMatch(new RegExp(`create domain public\\.${domain} as text\\s+check \\(value in \\(${list.source}\\)\\)`));
    }
  });
});

describe.each(testDbKinds())("value lists on $kind", ({ kind, skip }) => {
  let db: TestDb;
  beforeAll(async () => {
    if (!skip) db = await createTestDb({ kind });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  it.skipIf(skip).each(lists)("public.$domain allows exactly the TypeScript values", async ({ domain, ts }) => {
    const rows = await db.sql.query(
      `select pg_get_constraintdef(c.oid) as def from pg_constraint c
         join pg_type t on t.oid = c.contypid join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = 'public' and t.typname = $1 and c.contype = 'c'`,
      [domain],
    );
    expect(rows).toHaveLength(1);
    expect(checkValues(String(rows[0].def))).toEqual([...ts]);
    // The functions read the same list from the catalogue.
    const fromFn = await db.sql.query(`select private.domain_values($1::regtype) as v`, [`public.${domain}`]);
    expect(fromFn[0].v).toEqual([...ts]);
  });

  it.skipIf(skip).each(lists)("every $domain column uses the domain", async ({ domain, columns }) => {
    const rows = await db.sql.query(
      `select table_name || '.' || column_name as col from information_schema.columns
        where table_schema = 'public' and domain_schema = 'public' and domain_name = $1 order by 1`,
      [domain],
    );
    expect(rows.map((r) => r.col)).toEqual([...columns].sort());
  });

  it.skipIf(skip)("refuses a value outside the list with a check violation", async () => {
    const err = await db.runAs({ role: "service_role" }, `select 'expert'::public.lesson_difficulty`).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DbError);
    expect((err as DbError).code).toBe("23514");
  });
});
