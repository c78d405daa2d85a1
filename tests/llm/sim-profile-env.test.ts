// SIM_PROFILE selects every simulator profile, including the provider classes, which serve their own
// models (priced like the real ones they stand in for) unless LLM_MODEL says otherwise.
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache, serverEnv } from "@/lib/env";
import { gatewayFromEnv, setGatewayForTests } from "@/lib/llm";
import { SIM_PROFILES } from "@/lib/llm/sim";

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  setGatewayForTests(null);
});

function simEnv(profile: string, extra: Record<string, string> = {}) {
  vi.stubEnv("LLM_PROVIDER", "");
  vi.stubEnv("LLM_MODEL", "");
  vi.stubEnv("LLM_MODEL_BACKGROUND", "");
  vi.stubEnv("SIM_PROFILE", profile);
  for (const [k, v] of Object.entries(extra)) vi.stubEnv(k, v);
  resetServerEnvCache();
  return serverEnv();
}

describe("SIM_PROFILE", () => {
  it.each(["openai-like", "groq-like", "cerebras-like"] as const)("%s: the profile's own models and limits", (profile) => {
    const { gateway, sim } = gatewayFromEnv(simEnv(profile));
    expect(sim).not.toBeNull();
    const [model, background] = SIM_PROFILES[profile].models;
    expect(gateway.target("interactive")).toMatchObject({ provider: "sim", model });
    expect(gateway.target("background")).toMatchObject({ provider: "sim", model: background });
    expect(gateway.limiterSnapshot().tpmAvailable).toBe(SIM_PROFILES[profile].tpm);
  });

  it("the older profiles keep the standard models; LLM_MODEL still wins", () => {
    expect(gatewayFromEnv(simEnv("typical")).gateway.target("interactive").model).toBe("sim-standard");
    expect(gatewayFromEnv(simEnv("openai-like", { LLM_MODEL: "sim-standard" })).gateway.target("interactive").model).toBe("sim-standard");
  });

  it("rejects an unknown profile", () => {
    expect(() => simEnv("openai-ish")).toThrow();
  });
});
