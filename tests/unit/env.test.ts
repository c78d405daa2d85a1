import { afterEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache, runtimeMode, serverEnv } from "@/lib/env";

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
});

describe("lib/env", () => {
  it("runs on embedded defaults with nothing configured", () => {
    for (const k of ["DATABASE_URL", "NEXT_PUBLIC_SUPABASE_URL", "LLM_PROVIDER", "LLM_API_KEY", "LLM_BASE_URL"]) vi.stubEnv(k, "");
    const env = serverEnv();
    expect(env.PGLITE_DIR).toBe(".data/pglite");
    expect(env.LLM_MAX_CONCURRENCY).toBe(10);
    expect(runtimeMode(env)).toEqual({ database: "pglite", auth: "local", provider: "sim" });
  });

  it("names every bad variable in one clear error", () => {
    vi.stubEnv("LLM_MAX_CONCURRENCY", "lots");
    vi.stubEnv("LLM_PROVIDER", "skynet");
    expect(() => serverEnv()).toThrowError(/LLM_MAX_CONCURRENCY[\s\S]*LLM_PROVIDER|LLM_PROVIDER[\s\S]*LLM_MAX_CONCURRENCY/);
  });

  it("chooses Supabase and a provider preset from configuration", () => {
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "https://abc.supabase.co");
    vi.stubEnv("LLM_PROVIDER", "groq");
    expect(runtimeMode(serverEnv())).toEqual({ database: "supabase", auth: "supabase", provider: "groq" });
  });
});
