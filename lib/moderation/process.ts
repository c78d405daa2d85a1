// The process's moderation port, beside its gateway (lib/llm/index.ts): OpenAI's endpoint with the same
// key, the simulator's endpoint when the gateway runs on it, else the rubric through the gateway.
import "server-only";
import { realClock } from "@/lib/clock";
import { serverEnv } from "@/lib/env";
import { getSimulator } from "@/lib/llm";
import { presetFor } from "@/lib/llm/presets";
import type { LlmGateway } from "@/lib/llm/types";
import { moderationFor } from "./index";
import type { ModerationPort } from "./types";

export function processModeration(llm: LlmGateway): ModerationPort {
  const env = serverEnv();
  const sim = llm.provider === "sim" ? getSimulator() : null;
  return moderationFor({
    llm,
    provider: llm.provider,
    baseURL: llm.provider === "sim" ? presetFor("sim").baseURL : (env.LLM_BASE_URL ?? presetFor(llm.provider).baseURL),
    apiKey: env.LLM_API_KEY,
    fetch: sim?.fetch,
    clock: sim?.clock ?? realClock,
  });
}
