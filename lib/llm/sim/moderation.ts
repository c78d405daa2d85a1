// The simulator's `/v1/moderations` (OpenAI's shape, `omni-moderation-latest`): free, no tokens, a short
// latency, and injectable flags. A text is flagged when it carries the marker [[sim-unsafe]], or by
// chance at the flag rate — the `x-sim-moderation-flags: 0.05` header, else the simulator option
// `moderationFlagRate`. The chance is a hash of (seed, text), so the same text always gets the same
// verdict (re-screening a delivered lesson finds it clean) while a regenerated lesson is drawn afresh.
import { hashString } from "./random";

export const SIM_MODERATION_MODELS = ["omni-moderation-latest", "omni-moderation-2024-09-26", "text-moderation-latest"];
export const SIM_UNSAFE_MARKER = "[[sim-unsafe]]";

const CATEGORIES = [
  "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
  "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
] as const;
// What a flagged lesson is flagged for, drawn per text.
const FLAGGED_AS = ["violence", "illicit", "self-harm/instructions", "harassment", "violence/graphic"] as const;

export interface SimModerationEntry {
  at: number;
  status: number;
  promptTokens: number;
  completionTokens: number;
  model: string;
  stream: boolean;
}

export interface SimModerationDeps {
  seed: number;
  /** Chance a text is flagged when the request sets no header (the `moderationFlagRate` option). */
  flagRate: number;
  /** Simulated ms the endpoint takes. */
  latencyMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  /** The simulator's call log: every moderation request is a call like any other. */
  record: (entry: SimModerationEntry, faults: string[]) => void;
}

function inputs(input: unknown): string[] | null {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input)) return null;
  const out: string[] = [];
  for (const item of input) {
    if (typeof item === "string") out.push(item);
    else if (item && typeof item === "object" && (item as { type?: unknown }).type === "text") out.push(String((item as { text?: unknown }).text ?? ""));
    else if (item && typeof item === "object" && (item as { type?: unknown }).type === "image_url") out.push("");
    else return null;
  }
  return out;
}

/** Whether the simulator flags this text, and for what. */
export function simVerdict(text: string, seed: number, rate: number): { flagged: boolean; category: (typeof FLAGGED_AS)[number] } {
  const h = hashString(text, seed ^ 0x0d0d_f1a6);
  const category = FLAGGED_AS[h % FLAGGED_AS.length];
  const flagged = text.includes(SIM_UNSAFE_MARKER) || hashString(text, seed ^ 0x7a11_0e5e) / 4294967296 < rate;
  return { flagged, category };
}

function result(text: string, seed: number, rate: number) {
  const { flagged, category } = simVerdict(text, seed, rate);
  const h = hashString(text, seed);
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  const types: Record<string, string[]> = {};
  CATEGORIES.forEach((c, i) => {
    const hit = flagged && c === category;
    categories[c] = hit;
    // Quiet background scores, like the real endpoint's on ordinary text.
    scores[c] = hit ? 0.9 : Number((((h >>> (i % 24)) % 1000) / 1e6 + 1e-6).toFixed(6));
    types[c] = ["text"];
  });
  return { flagged, categories, category_scores: scores, category_applied_input_types: types };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function createModerationEndpoint(deps: SimModerationDeps) {
  let n = 0;
  return async function moderations(bodyText: string, headers: Headers, signal: AbortSignal | undefined, arrival: number): Promise<Response> {
    const requestId = `req_sim_mod_${++n}`;
    let body: { model?: unknown; input?: unknown };
    try {
      body = JSON.parse(bodyText) as typeof body;
    } catch {
      body = {};
    }
    const model = typeof body.model === "string" ? body.model : "omni-moderation-latest";
    const texts = inputs(body.input);
    const bad = (status: number, message: string, param: string) => {
      deps.record({ at: arrival, status, promptTokens: 0, completionTokens: 0, model, stream: false }, []);
      return json(status, { error: { message, type: "invalid_request_error", param, code: null } }, { "x-request-id": requestId });
    };
    if (!texts || texts.length === 0) return bad(400, "'input' must be a string, an array of strings or of content parts.", "input");
    if (!SIM_MODERATION_MODELS.includes(model)) return bad(404, `The model \`${model}\` does not exist or you do not have access to it.`, "model");
    const header = headers.get("x-sim-moderation-flags");
    const h = header === null ? NaN : Number(header);
    const rate = Math.min(1, Math.max(0, Number.isFinite(h) ? h : deps.flagRate));
    const results = texts.map((t) => result(t, deps.seed, rate));
    const flagged = results.filter((r) => r.flagged).length;
    deps.record({ at: arrival, status: 200, promptTokens: 0, completionTokens: 0, model, stream: false }, flagged > 0 ? ["moderation_flag"] : []);
    await deps.sleep(Math.max(0, arrival + deps.latencyMs - deps.now()), signal);
    return json(200, { id: `modr-sim${n}`, model: model === "omni-moderation-latest" ? "omni-moderation-2024-09-26" : model, results }, { "x-request-id": requestId });
  };
}

// A model asked to review a lesson against a rubric (a prompt that asks for a `{"findings": …}` object)
// answers the way this endpoint would screen the same text: the same verdict, as rubric findings.
const RUBRIC_CATEGORY: Record<(typeof FLAGGED_AS)[number], string> = {
  violence: "violence",
  illicit: "dangerous_behaviour",
  "self-harm/instructions": "self_harm",
  harassment: "toxicity",
  "violence/graphic": "upsetting",
};

/** True when a chat prompt asks for a rubric review's findings object. */
export function isRubricReview(promptText: string): boolean {
  return /\{\s*"findings"\s*:/.test(promptText);
}

/**
 * The lesson text of a review prompt's last message: the rubric port sends it as a JSON string after a
 * request line, and the endpoint screens that text itself, so the verdict is taken on the same text.
 */
function reviewedText(message: string): string {
  try {
    const parsed: unknown = JSON.parse(message.slice(message.indexOf("\n") + 1));
    if (typeof parsed === "string") return parsed;
  } catch {
    // not the rubric port's framing: screen the whole message
  }
  return message;
}

/** The rubric answer for the lesson text in a review prompt (its last message). */
export function rubricReviewAnswer(reviewMessage: string, seed: number, rate: number): string {
  const { flagged, category } = simVerdict(reviewedText(reviewMessage), seed, rate);
  const findings = flagged ? [{ category: RUBRIC_CATEGORY[category], severity: "high", detail: `simulated ${category}` }] : [];
  return JSON.stringify({ findings });
}
