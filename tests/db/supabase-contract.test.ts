// Contract test: the supabase-js adapter (lib/db/supabase-adapter.ts) talking over real HTTP to a server
// that speaks PostgREST's RPC wire format on top of our SQL adapter over PGlite. The same calls through
// both adapters must give the same results and the same errors.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@supabase/supabase-js";
import { SignJWT } from "jose";
import { createTestDb, type TestDb } from "@/lib/db/testing";
import { createSupabaseDb } from "@/lib/db/supabase-adapter";
import { serverRealtimeOptions } from "@/lib/supabase/no-realtime";
import { DbError, type Db, type DbActor } from "@/lib/db/port";
import { rpcUnchecked } from "@/lib/db/contract-db";
import { startPostgrestServer, type PostgrestTestServer } from "./support/postgrest-server";

const secret = new TextEncoder().encode("contract-test-jwt-secret-at-least-32-chars");
const A = "00000000-0000-4000-8000-000000000001";
const B = "00000000-0000-4000-8000-000000000002";

async function jwtFor(claims: Record<string, unknown>): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("1h");
  if (typeof claims.sub === "string") jwt.setSubject(claims.sub);
  return jwt.sign(secret);
}

let db: TestDb;
let server: PostgrestTestServer;
let anonKey: string;

function supabaseDb(token: string): Db {
  const client = createClient(server.url, anonKey, {
    accessToken: async () => token,
    ...serverRealtimeOptions,
  });
  return createSupabaseDb(client);
}

const http = { anon: null as unknown as Db, learner: null as unknown as Db, service: null as unknown as Db };
const sql = (actor: DbActor) => db.provider.as(actor);

beforeAll(async () => {
  db = await createTestDb({ seed: true });
  server = await startPostgrestServer(db.provider, secret);
  anonKey = await jwtFor({ role: "anon" });
  http.anon = supabaseDb(anonKey);
  http.learner = supabaseDb(await jwtFor({ role: "authenticated", sub: A, email: "learner@example.com" }));
  http.service = supabaseDb(await jwtFor({ role: "service_role" }));
});
afterAll(async () => {
  await server?.close();
  await db?.cleanup();
});

const learner: DbActor = { role: "authenticated", userId: A, email: "learner@example.com" };

async function errorOf(p: Promise<unknown>): Promise<DbError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DbError);
  return e as DbError;
}

describe("supabase-js adapter ⇄ PostgREST wire format (contract)", () => {
  it("returns the same jsonb as the SQL adapter for reads", async () => {
    for (const [fn, args] of [["me", {}], ["list_catalog", {}], ["list_playlists", {}], ["get_my_quota", {}], ["get_feed", {}]] as const) {
      expect(await http.learner.rpc(fn, args), fn).toEqual(await sql(learner).rpc(fn, args));
    }
    expect(server.requests.at(-1)).toMatchObject({ fn: "get_feed", status: 200, role: "authenticated" });
  });

  it("sends named arguments of every kind: uuid, text, uuid[], jsonb arrays, booleans, numbers", async () => {
    const created = await http.learner.rpc("create_playlist", { p_title: "Over HTTP", p_description: null });
    expect(created.title).toBe("Over HTTP");
    const lessons = (await db.sql.query("select id from public.lessons order by created_at limit 2")).map((r) => r.id as string);
    for (const id of lessons) await http.learner.rpc("add_playlist_lesson", { p_playlist_id: created.id, p_lesson_id: id });
    await http.learner.rpc("reorder_playlist", { p_playlist_id: created.id, p_lesson_ids: [lessons[1], lessons[0]] });
    const full = await http.learner.rpc("get_playlist", { p_playlist_id: created.id });
    expect(full.lessons.map((l) => l.id)).toEqual([lessons[1], lessons[0]]);

    const inserted = await http.service.rpc("insert_usage_events", {
      p_events: [{
        id: randomUUID(), createdAt: new Date().toISOString(), requestId: null, userId: A, feature: "similar", mode: "single",
        provider: "sim", model: "m", attempt: 1, lessonsAsked: 1, lessonsValid: 1, promptTokens: 10, cachedTokens: 0,
        completionTokens: 10, latencyMs: 5, ttftMs: null, httpStatus: 200, finishReason: "stop", errorCode: null, costUsd: 0.001, inputUsd: 0, cachedUsd: 0, outputUsd: 0.001,
        counterfactualPromptTokens: null, counterfactualCostUsd: null, priceVersion: "t", circuitOpen: false,
      }],
    });
    expect(inserted).toEqual({ inserted: 1 });
    const r = await http.service.rpc("reserve_quota", { p_user_id: A, p_lessons: 2, p_request_id: null });
    expect(r.granted).toBe(true);
    expect(await http.service.rpc("take_rate_limit", { p_key: "contract", p_capacity: 2, p_refill_per_second: 0.5, p_cost: 1 })).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("returns null for a function that answers SQL null", async () => {
    expect(await http.service.rpc("get_profile", { p_user_id: randomUUID() })).toBeNull();
  });

  const errorCases: { name: string; db: () => Db; sqlActor: DbActor; fn: string; args: () => Record<string, unknown>; code: string; message?: string; status: number }[] = [
    { name: "someone else's playlist is not_found (P0001 → 400)", db: () => http.learner, sqlActor: learner, fn: "get_playlist", args: () => ({ p_playlist_id: bPlaylist }), code: "P0001", message: "not_found", status: 400 },
    { name: "a learner calling a service function is denied (42501 → 403)", db: () => http.learner, sqlActor: learner, fn: "reserve_quota", args: () => ({ p_user_id: A, p_lessons: 1, p_request_id: null }), code: "42501", status: 403 },
    { name: "anon calling a learner function is denied (42501 → 401)", db: () => http.anon, sqlActor: { role: "anon" }, fn: "list_catalog", args: () => ({}), code: "42501", status: 401 },
    { name: "a non-admin calling an admin function is forbidden", db: () => http.learner, sqlActor: learner, fn: "admin_usage", args: () => ({ p_from: "2026-01-01", p_to: "2026-01-02", p_group_by: "day" }), code: "P0001", message: "forbidden", status: 400 },
    { name: "a bad uuid is a data exception (22P02 → 400)", db: () => http.learner, sqlActor: learner, fn: "get_lesson", args: () => ({ p_lesson_id: "not-a-uuid" }), code: "22P02", status: 400 },
    { name: "an unknown function is 42883 → 404", db: () => http.learner, sqlActor: learner, fn: "no_such_function", args: () => ({}), code: "42883", status: 404 },
  ];
  let bPlaylist = "";

  it.each(errorCases)("$name", async (c) => {
    if (!bPlaylist) bPlaylist = (await db.sql.query("select id from public.playlists where user_id = $1 limit 1", [B]))[0].id as string;
    const overHttp = await errorOf(rpcUnchecked(c.db(), c.fn, c.args()));
    const direct = await errorOf(rpcUnchecked(sql(c.sqlActor), c.fn, c.args()));
    expect(overHttp.code).toBe(c.code);
    expect(direct.code).toBe(c.code);
    expect(overHttp.message).toBe(direct.message);
    expect(overHttp.details).toBe(direct.details);
    if (c.message) expect(overHttp.message).toBe(c.message);
    expect(server.requests.at(-1)).toMatchObject({ fn: c.fn, status: c.status });
  });

  it("refuses a token signed with another key (PGRST301, 401)", async () => {
    const forged = await new SignJWT({ role: "service_role" }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(40)));
    const e = await errorOf(supabaseDb(forged).rpc("db_health"));
    expect(e.code).toBe("PGRST301");
    expect(server.requests.at(-1)).toMatchObject({ status: 401 });
  });
});
