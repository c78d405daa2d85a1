// The LLM gateway: one configured provider behind LlmGateway (lib/llm/types.ts). Each chat() call waits
// for its model's rate limiter, sends through the openai SDK (SDK retries off: the policy is ours),
// retries what is worth retrying, and reports every HTTP attempt exactly once.
import "server-only";
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { realClock, type Clock } from "@/lib/clock";
import { capabilitiesFor } from "./capabilities";
import { presetFor } from "./presets";
import { parseRateLimitHeaders, parseRetryAfter } from "./rate-limit-headers";
import { RateLimiter, type LimiterSnapshot, type Permit } from "./rate-limiter";
import type { SharedRateLimit } from "./shared-rate-limit";
import { classifyStatus, PROVIDER_RETRY, withRetry } from "./retry-policy";
import { countChatPromptTokens, countTokens } from "./tokens";
import {
  LlmError,
  type AttemptReport,
  type ChatOptions,
  type ChatResult,
  type LlmErrorCode,
  type LlmGateway,
  type ModelTarget,
  type Priority,
  type ProviderId,
  type TokenUsage,
} from "./types";

export interface GatewayConfig {
  provider: ProviderId;
  baseURL?: string;
  apiKey?: string;
  model: string;
  backgroundModel?: string;
  maxConcurrency: number;
  /** Fair share of the concurrency one user may hold while others wait (LLM_USER_MAX_SHARE); default 1. */
  userMaxShare?: number;
  rpm?: number;
  tpm?: number;
  timeoutMs: number; // per HTTP attempt, real ms
  maxAttempts?: number; // default 4
  deadlineMs?: number; // default 90_000, clock ms from the first attempt
  defaultHeaders?: Record<string, string>;
}

export interface GatewayDeps {
  fetch?: typeof fetch;
  clock?: Clock;
  random?: () => number;
  /**
   * Real ms per clock ms (1 for the real clock). Header durations (retry-after, x-ratelimit-reset-*)
   * are real time; they are divided by this to get clock ms. Defaults to `clock.timeScale` when the
   * clock has one (the simulator's clock does), else 1.
   */
  timeScale?: number;
  /** The RPM/TPM budget shared with every other process (lib/llm/shared-rate-limit.ts). */
  sharedLimit?: SharedRateLimit;
}

export type Gateway = LlmGateway & { limiterSnapshot(model?: string): LimiterSnapshot };

type Params = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

const ATTEMPT_HEADER = "x-lessonloom-attempt";
// Output estimate for the TPM reservation when a call sets no max tokens.
const DEFAULT_OUTPUT_ESTIMATE = 1024;
const zeroUsage: TokenUsage = { promptTokens: 0, cachedTokens: 0, completionTokens: 0 };

interface Failure {
  code: LlmErrorCode;
  status: number | null;
  retryable: boolean;
  retryAfterMs: number | null; // clock ms
  headers: Headers | null;
  message: string;
}

/** One failed HTTP attempt, already reported; the retry policy decides what comes next. */
class AttemptFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

function usageOf(u: OpenAI.CompletionUsage | null | undefined): TokenUsage {
  if (!u) return { ...zeroUsage };
  return { promptTokens: u.prompt_tokens ?? 0, cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0, completionTokens: u.completion_tokens ?? 0 };
}

export function createGateway(config: GatewayConfig, deps: GatewayDeps = {}): Gateway {
  const clock = deps.clock ?? realClock;
  const random = deps.random ?? Math.random;
  const timeScale = deps.timeScale ?? (clock as Clock & { timeScale?: number }).timeScale ?? 1;
  const toClockMs = (realMs: number) => realMs / timeScale;
  const maxAttempts = Math.max(1, config.maxAttempts ?? PROVIDER_RETRY.maxAttempts);
  const deadlineMs = config.deadlineMs ?? 90_000;
  const preset = presetFor(config.provider);
  const baseURL = config.baseURL ?? preset.baseURL;
  if (!baseURL) throw new Error(`Provider "${config.provider}" needs a base URL (LLM_BASE_URL).`);
  const baseFetch = deps.fetch ?? globalThis.fetch;

  // Marks a call's limiter entry as sent at the moment the SDK hands the request to fetch (and waits
  // for the caller's onSend).
  const pendingSends = new Map<string, () => Promise<void>>();
  const trackingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const id = headers.get(ATTEMPT_HEADER);
    if (id) {
      headers.delete(ATTEMPT_HEADER);
      const send = pendingSends.get(id);
      pendingSends.delete(id);
      await send?.();
    }
    return baseFetch(input, { ...init, headers });
  }) as typeof fetch;

  const client = new OpenAI({
    apiKey: config.apiKey ?? "not-needed",
    baseURL,
    maxRetries: 0,
    timeout: config.timeoutMs,
    fetch: trackingFetch,
    defaultHeaders: config.defaultHeaders,
  });

  const limiters = new Map<string, RateLimiter>();
  const limiterFor = (model: string) => {
    let l = limiters.get(model);
    if (!l) {
      l = new RateLimiter({
        maxConcurrency: config.maxConcurrency, userMaxShare: config.userMaxShare, rpm: config.rpm ?? preset.rpm, tpm: config.tpm ?? preset.tpm, clock,
        // A call that does not say its priority: a model used only for background work yields to interactive calls.
        shared: deps.sharedLimit?.forModel(model), priority: model === config.model ? "interactive" : "background",
      });
      limiters.set(model, l);
    }
    return l;
  };

  let attemptSeq = 0;

  function classify(err: unknown): Failure {
    if (LlmError.is(err)) return { code: err.code, status: err.status, retryable: false, retryAfterMs: null, headers: null, message: err.message };
    if (err instanceof APIUserAbortError) return { code: "aborted", status: null, retryable: false, retryAfterMs: null, headers: null, message: "The call was cancelled." };
    if (err instanceof APIConnectionTimeoutError) return { code: "timeout", status: null, retryable: true, retryAfterMs: null, headers: null, message: "The provider did not answer in time." };
    if (err instanceof APIConnectionError) return { code: "connection", status: null, retryable: true, retryAfterMs: null, headers: null, message: "Could not reach the provider." };
    if (err instanceof APIError && typeof err.status === "number") {
      const { code, retryable } = classifyStatus(err.status);
      const headers = err.headers instanceof Headers ? err.headers : null;
      // An HTTP-date retry-after is measured on the injected clock, like every other wait.
      const ra = parseRetryAfter(headers, clock.now());
      return { code, status: err.status, retryable, retryAfterMs: ra === null ? null : toClockMs(ra), headers, message: `Provider answered ${err.status}.` };
    }
    // A stream that broke after the response started (socket closed, bad SSE) is a connection failure.
    if (err instanceof Error && (err.name === "AbortError" || err instanceof TypeError || /terminated|socket|stream/i.test(err.message))) {
      return { code: "connection", status: null, retryable: true, retryAfterMs: null, headers: null, message: "The connection to the provider broke." };
    }
    return { code: "provider_error", status: null, retryable: false, retryAfterMs: null, headers: null, message: "The provider call failed." };
  }

  async function sendOnce(params: Params, options: ChatOptions, attemptId: string, timeoutMs: number, startedAt: number) {
    const requestOptions = { signal: options.signal, timeout: timeoutMs, headers: { [ATTEMPT_HEADER]: attemptId } };
    if (!options.onDelta) {
      const { data, response } = await client.chat.completions.create(params, requestOptions).withResponse();
      const choice = data.choices[0];
      const call = choice?.message?.tool_calls?.find((c) => c.type === "function");
      return {
        headers: response.headers,
        status: response.status,
        content: choice?.message?.content ?? null,
        toolArguments: call && call.type === "function" ? call.function.arguments : null,
        finishReason: choice?.finish_reason ?? null,
        usage: usageOf(data.usage),
        ttftMs: null as number | null,
      };
    }
    const { data: stream, response } = await client.chat.completions
      .create({ ...params, stream: true, stream_options: { include_usage: true } }, requestOptions)
      .withResponse();
    let content = "";
    let args = "";
    let sawTool = false;
    let finishReason: string | null = null;
    let usage: TokenUsage = { ...zeroUsage };
    let ttftMs: number | null = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = usageOf(chunk.usage);
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.finish_reason) finishReason = choice.finish_reason;
      const d = choice.delta;
      const toolDelta = d?.tool_calls?.find((t) => (t.index ?? 0) === 0);
      if (toolDelta) {
        sawTool = true;
        const piece = toolDelta.function?.arguments ?? "";
        if (piece) {
          ttftMs ??= clock.now() - startedAt;
          args += piece;
          options.onDelta!(args);
        }
      } else if (d?.content) {
        ttftMs ??= clock.now() - startedAt;
        content += d.content;
        if (!sawTool) options.onDelta!(content);
      }
    }
    return {
      headers: response.headers,
      status: response.status,
      content: content === "" && sawTool ? null : content,
      toolArguments: sawTool ? args : null,
      finishReason,
      usage,
      ttftMs,
    };
  }

  async function chat(params: Params, options: ChatOptions = {}): Promise<ChatResult> {
    const limiter = limiterFor(params.model);
    const promptEstimate = options.estimatedPromptTokens ?? countChatPromptTokens(params);
    const outputEstimate = params.max_completion_tokens ?? params.max_tokens ?? DEFAULT_OUTPUT_ESTIMATE;
    const estimate = promptEstimate + outputEstimate;
    // The deadline starts with the first attempt: time queued behind the rate limit before it is the
    // caller's to bound (with `signal`), retries after it are ours.
    let deadline: number | null = null;
    const report = (r: AttemptReport) => {
      try {
        options.onAttempt?.(r);
      } catch {
        // A reporting bug must not turn a good answer into a failure.
      }
    };

    // Waiting (for the limiter or a retry) stops on either signal; a sent attempt only on `signal`.
    const waitSignal = anySignal(options.signal, options.startSignal);

    return withRetry(
      async (attempt) => {
        if (waitSignal?.aborted) throw new LlmError("aborted", "The call was cancelled.");
        // The call's own priority decides its place in the shared budget; the model's is only the default.
        const permit: Permit = await limiter.acquire(estimate, { signal: waitSignal, deadline, userId: options.userId, priority: options.priority });
        const startedAt = clock.now();
        deadline ??= startedAt + deadlineMs;
        const attemptId = `a${++attemptSeq}`;
        const id = crypto.randomUUID();
        let sent = false;
        pendingSends.set(attemptId, async () => {
          sent = true;
          permit.markSent();
          try {
            await options.onSend?.({ id, attempt, startedAt, promptTokens: promptEstimate, maxOutputTokens: outputEstimate });
          } catch {
            // Bookkeeping must not stop the call.
          }
        });
        // The SDK wants a whole number of ms; never more than what is left of the deadline.
        const remainingReal = Math.max(1, Math.floor((deadline - startedAt) * timeScale));
        try {
          const out = await sendOnce(params, options, attemptId, Math.max(1, Math.floor(Math.min(config.timeoutMs, remainingReal))), startedAt);
          const latencyMs = clock.now() - startedAt;
          permit.release({ tokens: out.usage.promptTokens + out.usage.completionTokens || undefined });
          limiter.onSuccess();
          limiter.observe(parseRateLimitHeaders(config.provider, out.headers, clock.now()), toClockMs);
          report({ id, attempt, startedAt, latencyMs, ttftMs: out.ttftMs, status: out.status, errorCode: null, finishReason: out.finishReason, usage: out.usage });
          return { content: out.content, toolArguments: out.toolArguments, finishReason: out.finishReason, usage: out.usage, latencyMs, ttftMs: out.ttftMs, status: out.status };
        } catch (err) {
          pendingSends.delete(attemptId);
          const latencyMs = clock.now() - startedAt;
          // The caller's signal wins over whatever error the abort surfaced as.
          const f = options.signal?.aborted ? { ...classify(new APIUserAbortError()), headers: null } : classify(err);
          permit.release({});
          if (f.headers) limiter.observe(parseRateLimitHeaders(config.provider, f.headers, clock.now()), toClockMs);
          if (f.status === 429) limiter.onRateLimited(permit, f.retryAfterMs);
          if (sent) report({ id, attempt, startedAt, latencyMs, ttftMs: null, status: f.status, errorCode: f.code, finishReason: null, usage: { ...zeroUsage } });
          throw new AttemptFailed(f);
        }
      },
      {
        ...PROVIDER_RETRY,
        maxAttempts,
        clock,
        random,
        signal: waitSignal,
        deadline: () => deadline,
        classify: (err) => {
          if (!(err instanceof AttemptFailed) || err.failure.code === "aborted" || !err.failure.retryable) return { retry: false };
          return { retry: true, afterMs: err.failure.retryAfterMs };
        },
        giveUp: (err, reason, attempt) => {
          if (!(err instanceof AttemptFailed)) return err; // cancelled or timed out waiting for the limiter
          const f = err.failure;
          if (reason === "aborted" || f.code === "aborted") return new LlmError("aborted", reason === "aborted" ? "The call was cancelled." : f.message);
          if (reason === "deadline") {
            return new LlmError(f.status === 429 ? "rate_limited" : "deadline", `Gave up after ${attempt} attempts: the next retry would pass the deadline.`, f.status);
          }
          return new LlmError(f.code, f.message, f.status);
        },
      },
    );
  }

  const target = (priority: Priority): ModelTarget => {
    const model = priority === "background" ? (config.backgroundModel ?? config.model) : config.model;
    return { provider: config.provider, model, capabilities: capabilitiesFor(config.provider, model) };
  };

  return {
    provider: config.provider,
    target,
    chat,
    countTokens,
    countPromptTokens: (params) => countChatPromptTokens(params),
    limiterSnapshot: (model) => limiterFor(model ?? config.model).snapshot(),
  };
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
