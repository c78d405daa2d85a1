// The provider's moderation endpoint (OpenAI `omni-moderation-latest`, free of charge) through the
// openai client, mapped onto the classroom categories. One AttemptReport per HTTP attempt; the SDK's
// own retries are off and our retry policy runs on the injected clock, as in the gateway.
import OpenAI, { APIError } from "openai";
import type { Clock } from "@/lib/clock";
import { classifyStatus, PROVIDER_RETRY, withRetry } from "@/lib/llm/retry-policy";
import type { AttemptReport } from "@/lib/llm/types";
import { localFindings } from "./rules";
import { moderationText } from "./text";
import { ModerationFailed, verdictOf, type ModerationCategory, type ModerationFinding, type ModerationPort, type Severity } from "./types";

export const OPENAI_MODERATION_MODEL = "omni-moderation-latest";

/** OpenAI's categories → ours. */
const CATEGORY_MAP: Record<string, { category: ModerationCategory; floor?: Severity }> = {
  sexual: { category: "sexual" },
  "sexual/minors": { category: "sexual", floor: "high" },
  hate: { category: "hate" },
  "hate/threatening": { category: "hate", floor: "high" },
  harassment: { category: "toxicity" },
  "harassment/threatening": { category: "toxicity", floor: "high" },
  violence: { category: "violence" },
  "violence/graphic": { category: "upsetting" },
  "self-harm": { category: "self_harm" },
  "self-harm/intent": { category: "self_harm", floor: "high" },
  "self-harm/instructions": { category: "self_harm", floor: "high" },
  illicit: { category: "dangerous_behaviour" },
  "illicit/violent": { category: "dangerous_behaviour", floor: "high" },
};

/**
 * Severity from the endpoint's answer: a category it flags is at least medium (blocking), high when its
 * score is ≥ 0.8 or the category is always high; an unflagged category scoring ≥ 0.3 is a low finding.
 * Classroom thresholds are stricter than the endpoint's own, so a score of 0.5 blocks even unflagged.
 */
export function findingsFromModeration(result: { categories: object; category_scores: object }): ModerationFinding[] {
  const flags = result.categories as Record<string, boolean | null>;
  const scores = result.category_scores as Record<string, number>;
  const out: ModerationFinding[] = [];
  for (const [name, map] of Object.entries(CATEGORY_MAP)) {
    const score = scores[name] ?? 0;
    const flagged = flags[name] === true || score >= 0.5;
    if (!flagged && score < 0.3) continue;
    const severity: Severity = !flagged ? "low" : score >= 0.8 || map.floor === "high" ? "high" : "medium";
    out.push({ category: map.category, severity, source: "endpoint", detail: `${name} ${score.toFixed(2)}` });
  }
  return out;
}

export interface EndpointModerationConfig {
  provider: string;
  baseURL: string;
  apiKey?: string;
  model?: string;
  timeoutMs?: number;
  maxAttempts?: number;
  fetch?: typeof fetch;
  clock: Clock;
  defaultHeaders?: Record<string, string>;
}

class AttemptFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export function endpointModeration(config: EndpointModerationConfig): ModerationPort {
  const model = config.model ?? OPENAI_MODERATION_MODEL;
  const client = new OpenAI({
    apiKey: config.apiKey ?? "not-needed",
    baseURL: config.baseURL,
    maxRetries: 0,
    timeout: config.timeoutMs ?? 20_000,
    fetch: config.fetch,
    defaultHeaders: config.defaultHeaders,
  });
  const clock = config.clock;
  return {
    kind: "endpoint",
    async screen(input, opts = {}) {
      const text = moderationText(input);
      const reports: AttemptReport[] = [];
      const answer = await withRetry(
        async (attempt) => {
          const startedAt = clock.now();
          const report = (status: number | null, errorCode: string | null) =>
            reports.push({ attempt, startedAt, latencyMs: clock.now() - startedAt, ttftMs: null, status, errorCode, finishReason: null, usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0 } });
          try {
            const res = await client.moderations.create({ model, input: text }, { signal: opts.signal });
            report(200, null);
            return res;
          } catch (err) {
            if (err instanceof APIError && typeof err.status === "number") {
              const c = classifyStatus(err.status);
              report(err.status, c.code);
              throw new AttemptFailed(err.message, c.retryable);
            }
            report(null, opts.signal?.aborted ? "aborted" : "connection");
            throw new AttemptFailed(err instanceof Error ? err.message : String(err), !opts.signal?.aborted);
          }
        },
        { ...PROVIDER_RETRY, maxAttempts: config.maxAttempts ?? 3, clock, signal: opts.signal, classify: (err) => ({ retry: err instanceof AttemptFailed && err.retryable }) },
      ).catch((err: unknown) => {
        throw new ModerationFailed(err instanceof Error ? err.message : String(err), config.provider, model, reports);
      });
      const findings = [...localFindings(text), ...answer.results.flatMap(findingsFromModeration)];
      return { verdict: verdictOf(findings), provider: config.provider, model, reports };
    },
  };
}
