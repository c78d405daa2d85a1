// What each provider/model accepts (docs/architecture.md). lib/batch asks for the strongest output mode these allow.
// Facts encoded here come from the providers' docs; anything unknown gets SAFE_DEFAULT (prompted JSON).
import type { Capabilities, ProviderId } from "./types";

/** Unknown endpoint or model: plain chat that we ask for JSON in the prompt. */
export const SAFE_DEFAULT: Capabilities = {
  strictTools: false,
  forcedToolChoice: false,
  jsonSchema: false,
  jsonObject: false,
  streaming: true,
  streamingTools: false,
  promptCacheKey: false,
  maxOutputTokens: 4_096,
  contextWindow: 8_192,
};

const STRONGEST: Capabilities = {
  strictTools: true,
  forcedToolChoice: true,
  jsonSchema: true,
  jsonObject: true,
  streaming: true,
  streamingTools: true,
  promptCacheKey: true,
  maxOutputTokens: 16_384,
  contextWindow: 128_000,
};

function openai(model: string): Capabilities {
  const m = model.toLowerCase();
  if (/^(gpt-4o|gpt-4\.1|gpt-5|o[134]|chatgpt-4o)/.test(m)) {
    const big = /^(gpt-4\.1|gpt-5|o[34])/.test(m);
    return { ...STRONGEST, maxOutputTokens: big ? 32_768 : 16_384, contextWindow: big ? 400_000 : 128_000 };
  }
  // Older chat models: tools and JSON mode, but no strict schemas.
  return { ...STRONGEST, strictTools: false, jsonSchema: false, promptCacheKey: false, maxOutputTokens: 4_096, contextWindow: 16_385 };
}

function groq(model: string): Capabilities {
  const m = model.toLowerCase();
  if (m.includes("gpt-oss")) {
    // Strict json_schema is supported; JSON mode together with tools is rejected.
    return { ...STRONGEST, strictTools: false, promptCacheKey: false, maxOutputTokens: 32_766, contextWindow: 131_072 };
  }
  if (/llama|qwen|kimi|mixtral|gemma/.test(m)) {
    return { ...STRONGEST, strictTools: false, jsonSchema: false, promptCacheKey: false, maxOutputTokens: 8_192, contextWindow: 131_072 };
  }
  return SAFE_DEFAULT;
}

function cerebras(model: string): Capabilities {
  // tool_choice accepts only "auto" and "none": never force a named tool.
  const base: Capabilities = { ...STRONGEST, forcedToolChoice: false, streamingTools: false, promptCacheKey: false, maxOutputTokens: 8_192, contextWindow: 65_536 };
  return model.toLowerCase().includes("gpt-oss") ? { ...base, maxOutputTokens: 32_768, contextWindow: 131_072 } : base;
}

function deepinfra(): Capabilities {
  return { ...SAFE_DEFAULT, forcedToolChoice: true, jsonObject: true, streaming: true, maxOutputTokens: 8_192, contextWindow: 32_768 };
}

/** Capabilities for a provider's model; unknown combinations get the safe default. */
export function capabilitiesFor(provider: ProviderId, model: string): Capabilities {
  switch (provider) {
    case "sim":
      return { ...STRONGEST };
    case "openai":
      return openai(model);
    case "groq":
      return groq(model);
    case "cerebras":
      return cerebras(model);
    case "deepinfra":
      return deepinfra();
    case "ollama":
      // Ollama's OpenAI layer varies by model; prompted JSON is the mode that always works.
      return { ...SAFE_DEFAULT, contextWindow: 8_192 };
    default:
      return { ...SAFE_DEFAULT };
  }
}
