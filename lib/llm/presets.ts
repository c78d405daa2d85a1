// Provider presets. lib/llm owns this file; the id list is shared with lib/env.ts.
// Default limits are the providers' entry tiers (free or tier 1) so a fresh key starts polite;
// LLM_RPM / LLM_TPM override them, and the limiter also learns limits from response headers.
import type { providerIds } from "@/lib/env";

export type ProviderId = (typeof providerIds)[number];

export interface ProviderPreset {
  id: ProviderId;
  label: string;
  /** OpenAI-compatible base URL; null for `custom`, which needs LLM_BASE_URL. */
  baseURL: string | null;
  /** Model for interactive generation (LLM_MODEL overrides). */
  model: string | null;
  /** Cheaper model for background prefetch (LLM_MODEL_BACKGROUND overrides). */
  backgroundModel: string | null;
  rpm?: number;
  tpm?: number;
  /** Whether calls need LLM_API_KEY (local servers and the simulator do not). */
  needsApiKey: boolean;
}

export const SIM_BASE_URL = "http://sim.local/v1";

export const presets: Record<ProviderId, ProviderPreset> = {
  openai: { id: "openai", label: "OpenAI", baseURL: "https://api.openai.com/v1", model: "gpt-4.1-mini", backgroundModel: "gpt-4.1-nano", rpm: 500, tpm: 200_000, needsApiKey: true },
  groq: { id: "groq", label: "Groq", baseURL: "https://api.groq.com/openai/v1", model: "openai/gpt-oss-120b", backgroundModel: "openai/gpt-oss-20b", rpm: 30, tpm: 8_000, needsApiKey: true },
  cerebras: { id: "cerebras", label: "Cerebras", baseURL: "https://api.cerebras.ai/v1", model: "gpt-oss-120b", backgroundModel: "llama3.1-8b", rpm: 30, tpm: 60_000, needsApiKey: true },
  deepinfra: { id: "deepinfra", label: "DeepInfra", baseURL: "https://api.deepinfra.com/v1/openai", model: "meta-llama/Llama-3.3-70B-Instruct-Turbo", backgroundModel: "meta-llama/Meta-Llama-3.1-8B-Instruct", needsApiKey: true },
  ollama: { id: "ollama", label: "Ollama (local)", baseURL: "http://localhost:11434/v1", model: "llama3.2", backgroundModel: "llama3.2", needsApiKey: false },
  sim: { id: "sim", label: "Built-in simulator", baseURL: SIM_BASE_URL, model: "sim-standard", backgroundModel: "sim-mini", needsApiKey: false },
  custom: { id: "custom", label: "Custom OpenAI-compatible endpoint", baseURL: null, model: null, backgroundModel: null, needsApiKey: false },
};

export function presetFor(id: ProviderId): ProviderPreset {
  return presets[id];
}
