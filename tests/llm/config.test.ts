// Presets, capabilities, token counting, and the gateway built from the environment.
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetServerEnvCache, serverEnv } from "@/lib/env";
import { getGateway, getSimulator, gatewayFromEnv, setGatewayForTests } from "@/lib/llm";
import { chooseOutputMode } from "@/lib/batch/output-mode";
import { capabilitiesFor, SAFE_DEFAULT } from "@/lib/llm/capabilities";
import type { Capabilities, OutputMode } from "@/lib/llm/types";
import { presets } from "@/lib/llm/presets";
import { countChatPromptTokens, countTokens } from "@/lib/llm/tokens";

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvCache();
  setGatewayForTests(null);
});

const modeAllowed: Record<OutputMode, (c: Capabilities) => boolean> = {
  "tool-strict": (c) => c.strictTools && c.forcedToolChoice,
  "json-schema": (c) => c.jsonSchema,
  tool: (c) => c.forcedToolChoice,
  "json-object": (c) => c.jsonObject,
  "prompted-json": () => true,
};
const allModes = Object.keys(modeAllowed) as OutputMode[];

describe("capabilities", () => {
  it.each([
    ["sim", "sim-standard", ["tool-strict", "json-schema", "tool", "json-object", "prompted-json"]],
    ["openai", "gpt-4.1-mini", ["tool-strict", "json-schema", "tool", "json-object", "prompted-json"]],
    ["groq", "openai/gpt-oss-120b", ["json-schema", "tool", "json-object", "prompted-json"]],
    ["cerebras", "gpt-oss-120b", ["json-schema", "json-object", "prompted-json"]],
    ["ollama", "llama3.2", ["prompted-json"]],
    ["custom", "whatever-7b", ["prompted-json"]],
  ] as const)("%s %s → %j", (provider, model, modes) => {
    const caps = capabilitiesFor(provider, model);
    // The engine uses the strongest; the flags allow exactly the listed ones.
    expect(chooseOutputMode(caps)).toBe(modes[0]);
    expect(allModes.filter((m) => modeAllowed[m](caps))).toEqual(modes);
  });

  it("encodes the known provider quirks", () => {
    expect(capabilitiesFor("groq", "openai/gpt-oss-20b")).toMatchObject({ jsonSchema: true });
    expect(capabilitiesFor("cerebras", "llama3.1-8b")).toMatchObject({ forcedToolChoice: false });
    expect(capabilitiesFor("sim", "sim-mini")).toMatchObject({ strictTools: true, streamingTools: true, promptCacheKey: true });
    expect(capabilitiesFor("groq", "some-new-model")).toEqual(SAFE_DEFAULT);
  });

  it("has a preset for every provider id, the simulator's with sim-standard / sim-mini", () => {
    expect(Object.keys(presets).sort()).toEqual(["cerebras", "custom", "deepinfra", "groq", "ollama", "openai", "sim"]);
    expect(presets.sim).toMatchObject({ model: "sim-standard", backgroundModel: "sim-mini" });
  });
});

describe("token counting", () => {
  it("counts o200k tokens, and special-token lookalikes as text", () => {
    expect(countTokens("hello world")).toBe(2);
    expect(countTokens("")).toBe(0);
    expect(countTokens("<|endoftext|>")).toBeGreaterThan(1);
  });

  it("counts a chat prompt as messages + framing (+ tools when present)", () => {
    const messages = [
      { role: "system", content: "You are terse." },
      { role: "user", content: "hello world" },
    ];
    const plain = countChatPromptTokens({ messages });
    expect(plain).toBe(countTokens("system") + countTokens("You are terse.") + countTokens("user") + countTokens("hello world") + 2 * 3 + 3);
    const tools = [{ type: "function", function: { name: "f", parameters: { type: "object", properties: {} } } }];
    expect(countChatPromptTokens({ messages, tools })).toBeGreaterThan(plain + 10);
  });
});

describe("gateway from the environment", () => {
  it("defaults to the in-process simulator when nothing is configured", async () => {
    for (const k of ["LLM_PROVIDER", "LLM_API_KEY", "LLM_BASE_URL", "LLM_MODEL", "LLM_MODEL_BACKGROUND"]) vi.stubEnv(k, "");
    vi.stubEnv("SIM_PROFILE", "instant");
    resetServerEnvCache();
    const gw = getGateway();
    expect(gw.provider).toBe("sim");
    expect(gw.target("interactive").model).toBe("sim-standard");
    expect(gw.target("background").model).toBe("sim-mini");
    const sim = getSimulator();
    expect(sim?.profile).toBe("instant");
    const res = await gw.chat({ model: "sim-mini", messages: [{ role: "user", content: "Topic: Stars" }] });
    expect(res.status).toBe(200);
    expect(sim?.stats().calls).toBe(1);
    expect(getGateway()).toBe(gw);
  });

  it("builds a provider preset with its default models and limits", () => {
    vi.stubEnv("LLM_PROVIDER", "groq");
    vi.stubEnv("LLM_API_KEY", "gsk_test");
    vi.stubEnv("LLM_MODEL", "");
    resetServerEnvCache();
    const { gateway, sim } = gatewayFromEnv(serverEnv());
    expect(sim).toBeNull();
    expect(gateway.target("interactive")).toMatchObject({ provider: "groq", model: "openai/gpt-oss-120b" });
    expect(gateway.limiterSnapshot()).toMatchObject({ concurrencyCap: 10, rpmAvailable: 30, tpmAvailable: 8000 });
  });

  it("requires a model for a custom endpoint", () => {
    vi.stubEnv("LLM_PROVIDER", "custom");
    vi.stubEnv("LLM_BASE_URL", "http://localhost:9999/v1");
    vi.stubEnv("LLM_MODEL", "");
    resetServerEnvCache();
    expect(() => gatewayFromEnv(serverEnv())).toThrow(/LLM_MODEL/);
  });
});
