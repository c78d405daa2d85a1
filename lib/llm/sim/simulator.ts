// The simulator's request handling: an OpenAI chat-completions endpoint as a `fetch` function.
// Time: latency and rate windows are in simulated time; real time = simulated time × timeScale.
// Every duration the simulator puts in a response header (retry-after, retry-after-ms,
// x-ratelimit-reset-*) is converted back to REAL time, so any client honouring it waits the right
// amount; a client running on the simulator's clock divides by timeScale (the gateway does).
import { decode } from "gpt-tokenizer/encoding/o200k_base";
import { applyItemFaults, applyRuleBreaks, malformJson, parseFaultHeader, pickRandomFault, ruleBreakRate, TRANSPORT_FAULTS, type FaultKind } from "./faults";
import { createModerationEndpoint, isRubricReview, rubricReviewAnswer } from "./moderation";
import { generate, planOutput, proseInsteadOfJson, serialise, TopicLedger, type ChatBody } from "./generation";
import { DEFAULT_SIM_MODELS, modelSpeed, SIM_PROFILES, type SimProfileName } from "./profiles";
import { PromptCache } from "./prompt-cache";

const BATCH_CACHE_TTL_MS = 1e15;
import { parsePromptCues, promptText } from "./prompt-cues";
import { createRandom } from "./random";
import { RateWindow, type WindowState } from "./rate-window";
import { countTokens, encodeChatPrompt, encodeText } from "./tokens";
import { createSlowLaneApi, type SlowLaneSimOptions } from "./batch-api";

export type { FaultKind, SimProfileName };

export interface SimOptions extends SlowLaneSimOptions {
  profile?: SimProfileName;
  timeScale?: number;
  seed?: number;
  rpm?: number;
  tpm?: number;
  faultRate?: number;
  /** Overrides of the profile's prompt cache: hit rate once a prefix is ready, and its TTL (simulated ms). */
  cacheHitRate?: number;
  cacheTtlMs?: number;
  models?: string[];
  /** Quality injection (docs/quality.md): share of lessons breaking a rule, share of texts moderation flags. */
  ruleBreakRate?: number;
  moderationFlagRate?: number;
}

export interface SimLogEntry {
  at: number; // simulated ms when the request arrived
  status: number; // 0 when no HTTP response was given (reset, hang)
  promptTokens: number;
  /** Of promptTokens, served from the prompt cache (billed at the cached rate where there is one). */
  cachedTokens?: number;
  completionTokens: number;
  model: string;
  stream: boolean;
}

export interface SimStats {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  byStatus: Record<string, number>;
  faults: Record<string, number>;
  log: SimLogEntry[];
}

export interface SimClock {
  /** Simulated time (ms). */
  now(): number;
  /** Waits `ms` of simulated time (ms × timeScale of real time). Shaped like lib/clock's Clock. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  readonly timeScale: number;
}

export interface Simulator {
  fetch: typeof fetch;
  stats(): SimStats;
  resetStats(): void;
  queueFaults(...faults: FaultKind[]): void;
  readonly clock: SimClock;
  readonly profile: SimProfileName;
  readonly timeScale: number;
  readonly models: readonly string[];
}

const INJECTED_RETRY_AFTER_SIM_MS = 1000;
const MAX_LOG_ENTRIES = 100_000;
const CHARS_PER_DELTA = 24; // ~6 tokens per SSE chunk keeps streams realistic without a timer per token

function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  return new DOMException("This operation was aborted", "AbortError");
}

/** Formats milliseconds like OpenAI's reset headers: "20ms", "1.5s", "6m0s". */
export function formatResetDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const totalSeconds = ms / 1000;
  if (totalSeconds < 60) return `${Number(totalSeconds.toFixed(3))}s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes}m${Number((totalSeconds - minutes * 60).toFixed(3))}s`;
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

export function createSimulator(opts: SimOptions = {}): Simulator {
  const profileName: SimProfileName = opts.profile ?? "typical";
  const profile = SIM_PROFILES[profileName];
  if (!profile) throw new Error(`Unknown simulator profile: ${profileName}`);
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error("timeScale must be > 0");
  const seed = opts.seed ?? 42;
  const rpm = opts.rpm ?? profile.rpm;
  const tpm = opts.tpm ?? profile.tpm;
  const faultRate = opts.faultRate ?? profile.faultRate;
  // A profile serves its own model pair and the standard pair (what the `sim` preset asks for).
  const models = opts.models && opts.models.length > 0 ? [...opts.models] : [...new Set([...DEFAULT_SIM_MODELS, ...profile.models])];

  const perfOrigin = performance.now();
  const epochOrigin = Date.now();
  const clock: SimClock = {
    now: () => epochOrigin + (performance.now() - perfOrigin) / timeScale,
    sleep: (ms, signal) => realSleep(ms * timeScale, signal),
    timeScale,
  };

  const windows = new Map<string, RateWindow>();
  const windowFor = (model: string) => {
    let w = windows.get(model);
    if (!w) windows.set(model, (w = new RateWindow(rpm, tpm)));
    return w;
  };
  const cacheBehaviour = profile.cache
    ? { ...profile.cache, hitRate: opts.cacheHitRate ?? profile.cache.hitRate, ttlMs: opts.cacheTtlMs ?? profile.cache.ttlMs }
    : null;
  const cache = new PromptCache(cacheBehaviour, createRandom(seed ^ 0x00ca_c4e5));
  const ledger = opts.batchTwinLedger ?? new TopicLedger();
  const faultQueue: FaultKind[] = [];
  const faultRng = createRandom(seed ^ 0x5eed_fa17);
  const jitterRng = createRandom(seed ^ 0x0017_7e12);
  const fenceRng = createRandom(seed ^ 0x00fe_4ce5);
  let callNo = 0;
  let stats: SimStats = emptyStats();
  const ruleRng = createRandom(seed ^ 0x0b4e_a4e5);
  const moderationRate = (headers: Headers) => {
    const h = Number(headers.get("x-sim-moderation-flags") ?? NaN);
    return Math.min(1, Math.max(0, Number.isFinite(h) ? h : (opts.moderationFlagRate ?? 0)));
  };
  const moderations = createModerationEndpoint({ seed, flagRate: opts.moderationFlagRate ?? 0, latencyMs: Math.min(150, profile.ttftMs), sleep: (ms, signal) => clock.sleep(ms, signal), now: () => clock.now(), record: (e, f) => record(e, f as FaultKind[]) });
  // Files, batches and flex (batch-api.ts); batch lines are answered by a twin without limits or latency.
  // The twin's clock runs a billion times fast, so its prompt cache gets a TTL long enough to outlive
  // that: lines sharing a prefix hit the cache as calls do (OpenAI bills cached input on batches too).
  let lineSim: Simulator | null = null;
  const slowLane = createSlowLaneApi({ now: clock.now, seed, runLine: (b) => (lineSim ??= createSimulator({ ...opts, seed: seed + 1, timeScale: 1e-9, rpm: 1e9, tpm: 1e12, faultRate: 0, batchTwinLedger: ledger, cacheTtlMs: BATCH_CACHE_TTL_MS })).fetch("http://sim.local/v1/chat/completions", { method: "POST", body: b }) }, opts);

  function emptyStats(): SimStats {
    return { calls: 0, promptTokens: 0, completionTokens: 0, byStatus: {}, faults: {}, log: [] };
  }

  function record(entry: SimLogEntry, faults: readonly FaultKind[]) {
    stats.calls++;
    stats.promptTokens += entry.promptTokens;
    stats.completionTokens += entry.completionTokens;
    const key = entry.status === 0 ? "none" : String(entry.status);
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
    for (const f of faults) stats.faults[f] = (stats.faults[f] ?? 0) + 1;
    stats.log.push(entry);
    // Bounded so a long-running dev server does not grow without limit; tests and benches stay far below.
    if (stats.log.length > MAX_LOG_ENTRIES) stats.log.splice(0, stats.log.length - MAX_LOG_ENTRIES);
  }

  function realSleep(realMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (realMs < 1) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, realMs);
      const onAbort = () => {
        clearTimeout(t);
        reject(abortError(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  const jitter = (amount = profile.jitter) => (amount > 0 ? 1 - amount + 2 * amount * jitterRng() : 1);

  function rateHeaders(state: WindowState, requestId: string): Record<string, string> {
    return {
      "x-request-id": requestId,
      "x-ratelimit-limit-requests": String(state.limitRequests),
      "x-ratelimit-limit-tokens": String(state.limitTokens),
      "x-ratelimit-remaining-requests": String(state.remainingRequests),
      "x-ratelimit-remaining-tokens": String(state.remainingTokens),
      "x-ratelimit-reset-requests": formatResetDuration(state.resetRequestsMs * timeScale),
      "x-ratelimit-reset-tokens": formatResetDuration(state.resetTokensMs * timeScale),
    };
  }

  function retryHeaders(waitSimMs: number): Record<string, string> {
    const realMs = Math.max(1, Math.ceil(waitSimMs * timeScale));
    // Seconds with decimals: at small time scales a whole second would be far too long a wait.
    return { "retry-after": String(Number((realMs / 1000).toFixed(3))), "retry-after-ms": String(realMs) };
  }

  /** `lessons`: how many lessons the call asks for (per-lesson faults make big calls fail more). */
  function chooseFaults(headerValue: string | null, lessons: number): { faults: Set<FaultKind>; randomFaults: Set<FaultKind> } {
    const chosen = new Set<FaultKind>();
    const randomFaults = new Set<FaultKind>(); // drawn by chance, not asked for
    const queued = faultQueue.shift();
    if (queued) chosen.add(queued);
    for (const [kind, p] of parseFaultHeader(headerValue)) if (p >= 1 || faultRng() < p) chosen.add(kind);
    const units = profile.faultUnit === "lesson" ? Math.max(1, lessons) : 1;
    const p = 1 - (1 - faultRate) ** units;
    if (faultRate > 0 && faultRng() < p) {
      const kind = pickRandomFault(faultRng);
      if (!chosen.has(kind)) randomFaults.add(kind);
      chosen.add(kind);
    }
    return { faults: chosen, randomFaults };
  }

  async function chat(bodyText: string, headers: Headers, signal: AbortSignal | undefined, arrival: number): Promise<Response> {
    const requestId = `req_sim_${++callNo}`;
    const baseHeaders = { "x-request-id": requestId };
    let body: ChatBody;
    try {
      body = JSON.parse(bodyText) as ChatBody;
    } catch {
      record({ at: arrival, status: 400, promptTokens: 0, completionTokens: 0, model: "", stream: false }, []);
      return jsonResponse(400, errorBody("We could not parse the JSON body of your request.", "invalid_request_error", null), baseHeaders);
    }
    const model = typeof body?.model === "string" ? body.model : "";
    const stream = body?.stream === true;
    const bad = (status: number, message: string, code: string | null, param: string | null) => {
      record({ at: arrival, status, promptTokens: 0, completionTokens: 0, model, stream }, []);
      return jsonResponse(status, errorBody(message, "invalid_request_error", code, param), baseHeaders);
    };
    if (!model) return bad(400, "you must provide a model parameter", null, "model");
    if (!Array.isArray(body.messages) || body.messages.length === 0) return bad(400, "'messages' must be a non-empty array.", null, "messages");
    if (!models.includes(model)) return bad(404, `The model \`${model}\` does not exist or you do not have access to it.`, "model_not_found", "model");

    const asked = parsePromptCues(promptText(body.messages)).count ?? 1;
    const { faults, randomFaults } = chooseFaults(headers.get("x-sim-faults"), asked);
    const transport = TRANSPORT_FAULTS.find((f) => faults.has(f));
    const window = windowFor(model);
    if (transport === "reset") {
      record({ at: arrival, status: 0, promptTokens: 0, completionTokens: 0, model, stream }, ["reset"]);
      const cause = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
      throw new TypeError("fetch failed", { cause });
    }
    if (transport === "hang") {
      record({ at: arrival, status: 0, promptTokens: 0, completionTokens: 0, model, stream }, ["hang"]);
      return new Promise<Response>((_, reject) => {
        if (signal?.aborted) return reject(abortError(signal));
        signal?.addEventListener("abort", () => reject(abortError(signal)), { once: true });
      });
    }
    if (transport) {
      const status = transport === "rate_limit" ? 429 : transport === "unavailable" ? 503 : 500;
      record({ at: arrival, status, promptTokens: 0, completionTokens: 0, model, stream }, [transport]);
      const h = { ...rateHeaders(window.state(arrival), requestId), ...(status === 429 ? retryHeaders(INJECTED_RETRY_AFTER_SIM_MS) : {}) };
      const payload =
        status === 429
          ? errorBody(`Rate limit reached for ${model} on requests per min (RPM). Please try again in 1s.`, "requests", "rate_limit_exceeded")
          : status === 503
            ? errorBody("The engine is currently overloaded, please try again later.", "server_error", null)
            : errorBody("The server had an error while processing your request. Sorry about that!", "server_error", null);
      return jsonResponse(status, payload, h);
    }

    const allText = promptText(body.messages);
    const plan = planOutput(body, allText);
    if ("error" in plan) return bad(400, plan.error, null, plan.param);

    const prompt = encodeChatPrompt(body);
    const promptTokens = prompt.tokens.length + prompt.overhead;
    // A rubric review (lib/moderation's port for providers without an endpoint) gets a findings object.
    const review = isRubricReview(allText);
    const generated = review
      ? { plan, value: null, text: rubricReviewAnswer(promptText(body.messages.slice(-1)), seed, moderationRate(headers)), topicKey: "", drafts: [] }
      : generate(body, plan, seed, ledger);
    const applied: FaultKind[] = [];
    let asTool = plan.kind === "tool";
    let text: string;
    if (review) {
      text = generated.text;
    } else if (faults.has("text_instead_of_tool") && plan.kind !== "text") {
      text = proseInsteadOfJson(generated);
      asTool = false;
      applied.push("text_instead_of_tool");
    } else {
      applied.push(...applyItemFaults(generated.value, faults, generated.topicKey ? ledgerTitle(generated.topicKey) : null));
      applied.push(...(applyRuleBreaks(generated.value, ruleBreakRate(headers.get("x-sim-rule-breaks"), opts.ruleBreakRate), ruleRng) as FaultKind[]));
      text = serialise(generated, fenceRng);
      if (faults.has("malformed_json") && plan.kind !== "text") {
        text = malformJson(text);
        applied.push("malformed_json");
      }
    }
    const lastDraft = generated.drafts[generated.drafts.length - 1];
    if (lastDraft) ledger.remember(generated.topicKey, lastDraft.title);

    let finishReason: "stop" | "tool_calls" | "length" = asTool ? (plan.kind === "tool" && plan.forced ? "stop" : "tool_calls") : "stop";
    let completionTokens = countTokens(text);
    const limit = body.max_completion_tokens ?? body.max_tokens ?? null;
    let cutAt: number | null = null;
    if (faults.has("truncate")) {
      // The output stops inside one lesson (drawn like the fault, per lesson): the ones after it are lost.
      // An injected truncation (queued or x-sim-faults) always strikes at 60% of the lessons, so tests
      // can count on it; a random one strikes any lesson with equal chance.
      const units = Math.max(1, generated.drafts.length || asked);
      const struck = randomFaults.has("truncate") ? Math.floor(faultRng() * units) : Math.floor(units * 0.6);
      cutAt = Math.max(1, Math.floor((completionTokens * (struck + 0.5)) / units));
      applied.push("truncate");
    }
    if (typeof limit === "number" && limit > 0 && completionTokens > limit) cutAt = Math.min(cutAt ?? limit, limit);
    if (cutAt !== null && cutAt < completionTokens) {
      text = decode(encodeText(text).slice(0, cutAt));
      completionTokens = cutAt;
      finishReason = "length";
    }

    const admitted = window.tryAdmit(arrival, promptTokens + completionTokens);
    if (!admitted.ok) {
      record({ at: arrival, status: 429, promptTokens: 0, completionTokens: 0, model, stream }, []);
      const h = { ...rateHeaders(window.state(arrival), requestId), ...retryHeaders(admitted.waitMs) };
      const unit = admitted.reason === "requests" ? "requests per min (RPM)" : "tokens per min (TPM)";
      const limitValue = admitted.reason === "requests" ? rpm : tpm;
      return jsonResponse(429, errorBody(`Rate limit reached for ${model} on ${unit}: Limit ${limitValue}. Please try again in ${formatResetDuration(admitted.waitMs * timeScale)}.`, admitted.reason === "requests" ? "requests" : "tokens", "rate_limit_exceeded"), h);
    }

    const cachedTokens = Math.min(cache.lookup(model, prompt.tokens, arrival), promptTokens);
    record({ at: arrival, status: 200, promptTokens, cachedTokens, completionTokens, model, stream }, applied);

    const speed = modelSpeed(model);
    const prefillTokens = promptTokens - (cacheBehaviour?.speedsUp ? cachedTokens : 0);
    const ttftMs = (profile.ttftMs * speed.ttft + (prefillTokens / profile.prefillTokensPerSecond) * 1000) * jitter();
    const genMs = (completionTokens / (profile.tokensPerSecond * speed.tps)) * 1000 * jitter(profile.decodeJitter);
    // The prompt is cacheable once this request's prefill is done (its first token), not before.
    cache.store(model, prompt.tokens, arrival, arrival + ttftMs);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };
    const id = `chatcmpl-sim${callNo}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCallId = `call_sim${callNo.toString(36)}${(seed >>> 0).toString(36)}`;
    const toolName = plan.kind === "tool" ? plan.toolName : "";
    const headersOut = {
      ...rateHeaders(window.state(arrival), requestId),
      "openai-processing-ms": String(Math.round((ttftMs + genMs) * timeScale)),
    };

    if (!stream) {
      // Timed from the arrival, so the simulator's own CPU time is not added to the latency.
      await clock.sleep(Math.max(0, arrival + ttftMs + genMs - clock.now()), signal);
      const message = asTool
        ? { role: "assistant", content: null, refusal: null, tool_calls: [{ id: toolCallId, type: "function", function: { name: toolName, arguments: text } }] }
        : { role: "assistant", content: text, refusal: null };
      return jsonResponse(
        200,
        { id, object: "chat.completion", created, model, choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }], usage, system_fingerprint: "fp_sim", service_tier: "default" },
        headersOut,
      );
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, system_fingerprint: "fp_sim", choices, ...extra })}\n\n`;
    const encoder = new TextEncoder();
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += CHARS_PER_DELTA) pieces.push(text.slice(i, i + CHARS_PER_DELTA));
    const body$ = new ReadableStream<Uint8Array>({
      async start(controller) {
        try {
          const first = asTool
            ? { role: "assistant", content: null, tool_calls: [{ index: 0, id: toolCallId, type: "function", function: { name: toolName, arguments: "" } }] }
            : { role: "assistant", content: "" };
          await clock.sleep(Math.max(0, arrival + ttftMs - clock.now()), signal);
          controller.enqueue(encoder.encode(chunk([{ index: 0, delta: first, logprobs: null, finish_reason: null }], includeUsage ? { usage: null } : {})));
          const startedAt = clock.now();
          for (let i = 0; i < pieces.length; i++) {
            // Sleep only when ahead of schedule, so fast profiles do not pay a timer per chunk.
            const due = startedAt + (genMs * (i + 1)) / pieces.length;
            const ahead = due - clock.now();
            if (ahead * timeScale >= 4) await clock.sleep(ahead, signal);
            else if (signal?.aborted) throw abortError(signal);
            const delta = asTool ? { tool_calls: [{ index: 0, function: { arguments: pieces[i] } }] } : { content: pieces[i] };
            controller.enqueue(encoder.encode(chunk([{ index: 0, delta, logprobs: null, finish_reason: null }], includeUsage ? { usage: null } : {})));
          }
          controller.enqueue(encoder.encode(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }], includeUsage ? { usage: null } : {})));
          if (includeUsage) controller.enqueue(encoder.encode(chunk([], { usage })));
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
        } catch (err) {
          controller.error(err);
        }
      },
    });
    return new Response(body$, { status: 200, headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", ...headersOut } });
  }

  function ledgerTitle(topicKey: string): string | null {
    return ledger.previousTitle(topicKey);
  }

  async function handle(method: string, url: string, headers: Headers, bodyText: string, signal: AbortSignal | undefined, arrival: number): Promise<Response> {
    const path = new URL(url, "http://sim.local").pathname.replace(/\/+$/, "");
    const slow = await slowLane.route(method, url, bodyText, headers);
    if (slow) return slow;
    if (method === "POST" && path.endsWith("/chat/completions")) return chat(bodyText, headers, signal, arrival);
    if (method === "POST" && path.endsWith("/moderations")) return moderations(bodyText, headers, signal, arrival);
    if (method === "GET" && path.endsWith("/models")) {
      return jsonResponse(200, { object: "list", data: models.map((m) => ({ id: m, object: "model", created: 1_700_000_000, owned_by: "lessonloom-sim" })) }, {});
    }
    if (method === "GET" && path.endsWith("/sim/stats")) return jsonResponse(200, stats, {});
    return jsonResponse(404, errorBody(`Unknown request URL: ${method} ${path}.`, "invalid_request_error", "unknown_url"), {});
  }

  const simFetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // Requests sent together arrive together: the arrival time is taken before any of them is
    // processed, so one request's CPU time (tokenising, writing lessons) never delays another's
    // arrival on the simulated clock (which would let a sibling "arrive" after the first's prefill).
    const arrival = clock.now();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const req = input instanceof Request ? input : null;
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? req?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers ?? req?.headers);
    const signal = init?.signal ?? req?.signal ?? undefined;
    if (signal?.aborted) throw abortError(signal);
    let bodyText = "";
    if (init?.body != null) bodyText = typeof init.body === "string" ? init.body : await new Response(init.body).text();
    else if (req) bodyText = await req.text();
    return handle(method, url, headers, bodyText, signal, arrival);
  }) as typeof fetch;

  return {
    fetch: simFetch,
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus }, faults: { ...stats.faults }, log: stats.log.slice() }),
    resetStats: () => {
      stats = emptyStats();
    },
    queueFaults: (...faults) => {
      faultQueue.push(...faults);
    },
    clock,
    profile: profileName,
    timeScale,
    models,
  };
}
