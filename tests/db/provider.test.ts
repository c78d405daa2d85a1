// lib/db/index.ts in embedded mode: one provider per process, opened lazily, PGlite created in
// PGLITE_DIR, migrated and seeded once (a reopen neither re-migrates nor re-seeds), never during build.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { closeDbProvider, getDb, getDbProvider, serviceDb, setDbProviderForTests } from "@/lib/db";
import { resetServerEnvCache } from "@/lib/env";

function env(vars: Record<string, string>) {
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
  vi.stubEnv("DATABASE_URL", "");
  resetServerEnvCache();
}

afterEach(async () => {
  await closeDbProvider();
  setDbProviderForTests(null);
  vi.unstubAllEnvs();
  resetServerEnvCache();
});

describe("getDbProvider (embedded)", () => {
  it("creates PGLITE_DIR, migrates and seeds once, and shares one provider", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "ll-db-")), "nested", "pglite");
    env({ PGLITE_DIR: dir, DEMO_SEED: "on" });
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const [a, b] = await Promise.all([getDbProvider(), getDbProvider()]);
    expect(a).toBe(b);
    expect(a.kind).toBe("pglite");
    expect(existsSync(dir)).toBe(true);
    const health = await (await serviceDb()).rpc("db_health");
    expect(health.ok).toBe(true);
    const me = await getDb({ role: "authenticated", userId: "00000000-0000-4000-8000-000000000001" });
    expect(await me.rpc("me")).toMatchObject({ email: "learner@example.com" });
    const firstLog = info.mock.calls.map((c) => String(c[0]));
    expect(firstLog.some((l) => l.includes("loaded supabase/seed.sql"))).toBe(true);

    // A restart on the same directory: nothing applied, nothing seeded twice.
    await closeDbProvider();
    info.mockClear();
    const reopened = await getDbProvider();
    expect(reopened).not.toBe(a);
    const again = info.mock.calls.map((c) => String(c[0]));
    info.mockRestore();
    expect(again.some((l) => l.includes("applied") || l.includes("seed.sql"))).toBe(false);
    const { playlists } = await reopened.as({ role: "authenticated", userId: "00000000-0000-4000-8000-000000000001" }).rpc("list_playlists");
    expect(playlists).toHaveLength(2);
  });

  it("skips the demo seed with DEMO_SEED=off", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "ll-db-")), "pglite");
    env({ PGLITE_DIR: dir, DEMO_SEED: "off" });
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const db = await serviceDb();
    info.mockRestore();
    expect(await db.rpc("get_profile", { p_user_id: "00000000-0000-4000-8000-000000000001" })).toBeNull();
  });

  it("never opens the database during next build", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "ll-db-")), "pglite");
    env({ PGLITE_DIR: dir, NEXT_PHASE: "phase-production-build" });
    await expect(getDbProvider()).rejects.toMatchObject({ code: "55000" });
    expect(existsSync(dir)).toBe(false);
  });
});
