// The contract between the provider layer (lib/llm) and its callers (lib/batch, bench).
import type OpenAI from "openai";
import type { ProviderId } from "./presets";

export type { ProviderId };
export type Priority = "interactive" | "background";

/** What a provider/model accepts. Unknown models get the safe default (prompted JSON, no streaming tools). */
export interface Capabilities {
  strictTools: boolean; // tools with `strict: true`
  forcedToolChoice: boolean; // tool_choice: {type:"function", function:{name}}
  jsonSchema: boolean; // response_format: {type:"json_schema", strict}
  jsonObject: boolean; // response_format: {type:"json_object"}
  streaming: boolean;
  streamingTools: boolean; // streamed tool-call argument deltas
  promptCacheKey: boolean; // `prompt_cache_key` accepted
  maxOutputTokens: number;
  contextWindow: number;
}

/** Structured-output modes, strongest first; lib/batch picks the first the capabilities allow. */
export type OutputMode = "tool-strict" | "json-schema" | "tool" | "json-object" | "prompted-json";

export interface ModelPrice {
  inputPerMTok: number; // USD per million uncached prompt tokens
  cachedInputPerMTok: number;
  outputPerMTok: number;
}

export interface ModelTarget {
  provider: ProviderId;
  model: string;
  capabilities: Capabilities;
}

export interface TokenUsage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

/** Reported once per HTTP attempt (retries included) so the caller can write one usage event each. */
export interface AttemptReport {
  /** A UUID per HTTP attempt, the same one `onSend` saw: the id of the attempt's usage event. */
  id?: string;
  attempt: number; // 1-based
  startedAt: number; // clock ms
  latencyMs: number;
  ttftMs: number | null;
  status: number | null; // HTTP status, null when there was no response
  errorCode: string | null; // see LlmErrorCode; null on success
  finishReason: string | null;
  usage: TokenUsage; // zeros when the provider reported none
}

export type LlmErrorCode =
  | "rate_limited" // 429 after retries
  | "provider_error" // 5xx after retries
  | "timeout"
  | "connection"
  | "bad_request" // other 4xx, never retried
  | "aborted" // caller's signal
  | "deadline"; // overall retry deadline passed

const llmErrorBrand: unique symbol = Symbol.for("lessonloom.LlmError");

export class LlmError extends Error {
  // The bundler may load this module more than once (one copy per server chunk), so `instanceof`
  // can miss; a registered symbol is the same in every copy.
  readonly [llmErrorBrand] = true;

  static is(err: unknown): err is LlmError {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[llmErrorBrand] === true;
  }

  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "LlmError";
  }
}

export interface ChatResult {
  /** Assistant text content (JSON modes, or the model ignoring a tool). */
  content: string | null;
  /** Arguments of the first tool call, as the raw JSON text the model produced. */
  toolArguments: string | null;
  finishReason: string | null;
  usage: TokenUsage;
  latencyMs: number;
  ttftMs: number | null;
  status: number;
}

export interface ChatOptions {
  signal?: AbortSignal;
  /** Called once per HTTP attempt, successful or not. */
  onAttempt?: (report: AttemptReport) => void;
  /** When set the call streams; receives the accumulated text of tool arguments or content so far. */
  onDelta?: (accumulated: string) => void;
  /**
   * Stops the call only before an attempt is sent: while it waits for the rate limiter or for a retry.
   * An attempt already on the wire runs to completion (its lesson is paid for), unlike `signal`.
   */
  startSignal?: AbortSignal;
  /** Estimated prompt tokens (tokenizer count) for the TPM bucket; computed when omitted. */
  estimatedPromptTokens?: number;
  /** The learner the call is made for: the limiter's fair share (LLM_USER_MAX_SHARE) is per user. */
  userId?: string | null;
  /** The call's priority in the shared rate limit (background leaves room for interactive calls). */
  priority?: Priority;
  /**
   * Awaited just before each HTTP attempt goes on the wire (a failure here is ignored): lets the caller
   * write ahead what the attempt may cost, so a crash mid-call loses no usage (lib/generation/usage-tally.ts).
   */
  onSend?: (attempt: SentAttempt) => void | Promise<void>;
}

/** An HTTP attempt about to be sent: its id (reported again in its AttemptReport) and its token bounds. */
export interface SentAttempt {
  id: string;
  attempt: number; // 1-based
  startedAt: number; // clock ms
  promptTokens: number; // the tokenizer's estimate
  maxOutputTokens: number;
}

/** One provider, configured: model choice, limiter and retries live behind this. */
export interface LlmGateway {
  readonly provider: ProviderId;
  /** interactive → LLM_MODEL, background → LLM_MODEL_BACKGROUND (or LLM_MODEL). */
  target(priority: Priority): ModelTarget;
  /** One logical chat call: waits for the rate limiter, retries per policy, reports every attempt. */
  chat(params: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, options?: ChatOptions): Promise<ChatResult>;
  /** Tokens in a text, counted with the o200k tokenizer. */
  countTokens(text: string): number;
  /** Tokens of a whole request's messages + tools/schema, as the provider would count the prompt. */
  countPromptTokens(params: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming): number;
  /** The gateway a wrapper (spend cap, write-ahead journal) forwards to; state kept per gateway follows it. */
  readonly underlying?: LlmGateway;
}
