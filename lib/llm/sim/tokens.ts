// Prompt token counting shared by the simulator (usage it reports) and the gateway (estimates),
// so "what the provider bills" and "what we reserved" come from the same function.
// Lives in lib/llm/sim because the simulator must not import app code; lib/llm/tokens.ts re-exports it.
import { encode } from "gpt-tokenizer/encoding/o200k_base";

/** The parts of a chat-completions request that count toward the prompt. Structural, so raw JSON fits. */
export interface PromptLike {
  messages: ReadonlyArray<{ role: string; content?: unknown; name?: string | null; tool_calls?: unknown; tool_call_id?: string }>;
  tools?: unknown;
  response_format?: unknown;
}

// Text that merely looks like a special token (e.g. "<|endoftext|>" typed by a user) is counted as text.
const plainText = { disallowedSpecial: new Set<string>() };

// OpenAI's published chat accounting: 3 tokens framing each message, 1 more for a name, 3 to prime the reply.
const PER_MESSAGE = 3;
const PER_NAME = 1;
const REPLY_PRIMING = 3;
// Tool and schema definitions are rendered by the provider into a preamble; JSON text is a close stand-in.
const TOOLS_PREAMBLE = 9;

export function encodeText(text: string): number[] {
  return encode(text, plainText);
}

/** Tokens in a text, o200k_base. */
export function countTokens(text: string): number {
  return text ? encodeText(text).length : 0;
}

function contentText(content: unknown): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === "object" && "text" in part && typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  return JSON.stringify(content);
}

/**
 * The prompt as token segments in provider order (tools and schema first, then messages), which is also
 * the order prompt caching sees prefixes in. `overhead` is the framing tokens that have no text.
 */
export function encodeChatPrompt(params: PromptLike): { tokens: number[]; overhead: number } {
  // The same prompt is counted many times (the gateway's estimate, the simulator's bill, sibling
  // calls with identical prompts): BPE is the expensive part, so recent prompts are remembered.
  const key = JSON.stringify([params.tools ?? null, params.response_format ?? null, params.messages]);
  const hit = recentPrompts.get(key);
  if (hit) return hit;
  const out = encodeUncached(params);
  recentPrompts.set(key, out);
  if (recentPrompts.size > 256) recentPrompts.delete(recentPrompts.keys().next().value as string);
  return out;
}

const recentPrompts = new Map<string, { tokens: number[]; overhead: number }>();

function encodeUncached(params: PromptLike): { tokens: number[]; overhead: number } {
  const tokens: number[] = [];
  let overhead = REPLY_PRIMING;
  const push = (text: string) => {
    if (text) for (const t of encodeText(text)) tokens.push(t);
  };
  if (Array.isArray(params.tools) && params.tools.length > 0) {
    push(JSON.stringify(params.tools));
    overhead += TOOLS_PREAMBLE;
  }
  if (params.response_format && typeof params.response_format === "object") {
    const rf = params.response_format as { type?: string };
    if (rf.type && rf.type !== "text") push(JSON.stringify(params.response_format));
  }
  for (const m of params.messages ?? []) {
    overhead += PER_MESSAGE;
    push(m.role);
    push(contentText(m.content));
    if (m.name) {
      overhead += PER_NAME;
      push(m.name);
    }
    if (m.tool_calls) push(JSON.stringify(m.tool_calls));
    if (m.tool_call_id) push(m.tool_call_id);
  }
  return { tokens, overhead };
}

/** Prompt tokens of a whole request (messages + tools + schema), as the simulator bills them. */
export function countChatPromptTokens(params: PromptLike): number {
  const { tokens, overhead } = encodeChatPrompt(params);
  return tokens.length + overhead;
}
