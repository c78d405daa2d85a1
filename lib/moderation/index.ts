// Public surface of the moderation port (docs/quality.md).
import type { Clock } from "@/lib/clock";
import { moderationModelFor } from "@/lib/llm/capabilities";
import type { LlmGateway, ProviderId } from "@/lib/llm/types";
import { endpointModeration } from "./openai-endpoint";
import { rubricModeration } from "./rubric";
import type { ModerationPort } from "./types";

export * from "./types";
export { endpointModeration, findingsFromModeration, OPENAI_MODERATION_MODEL } from "./openai-endpoint";
export { rubricModeration, parseRubricAnswer, RUBRIC_SYSTEM_PROMPT } from "./rubric";
export { localFindings } from "./rules";
export { moderationText } from "./text";
export { moderationUsageEvents } from "./usage";

export interface ModerationSetup {
  llm: LlmGateway;
  provider: ProviderId;
  /** The provider's base URL (the endpoint lives beside chat completions). */
  baseURL: string | null;
  apiKey?: string;
  fetch?: typeof fetch;
  clock: Clock;
}

/** The provider's endpoint where it has one (lib/llm/capabilities.ts), else the rubric checked by the model. */
export function moderationFor(setup: ModerationSetup): ModerationPort {
  const model = moderationModelFor(setup.provider);
  if (model && setup.baseURL) {
    return endpointModeration({ provider: setup.provider, baseURL: setup.baseURL, apiKey: setup.apiKey, model, fetch: setup.fetch, clock: setup.clock });
  }
  return rubricModeration(setup.llm);
}
