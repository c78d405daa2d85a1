// The strongest structured-output mode a model supports, and the request fields each mode needs.
import type OpenAI from "openai";
import { lessonBatchJsonSchema } from "@/lib/lessons/schema";
import { LESSON_TOOL_NAME, type PromptMessage } from "@/lib/lessons/prompts";
import type { Capabilities, OutputMode } from "@/lib/llm/types";

export function chooseOutputMode(caps: Capabilities): OutputMode {
  if (caps.strictTools && caps.forcedToolChoice) return "tool-strict";
  if (caps.jsonSchema) return "json-schema";
  if (caps.forcedToolChoice) return "tool";
  if (caps.jsonObject) return "json-object";
  return "prompted-json";
}

export function isToolMode(mode: OutputMode): boolean {
  return mode === "tool-strict" || mode === "tool";
}

/** Whether a call in this mode can stream lesson by lesson. */
export function canStream(mode: OutputMode, caps: Capabilities): boolean {
  return caps.streaming && (!isToolMode(mode) || caps.streamingTools);
}

export interface LessonCallParams {
  model: string;
  messages: PromptMessage[];
  mode: OutputMode;
  maxOutputTokens: number;
  cacheKey?: string;
}

export function buildChatParams(p: LessonCallParams): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  const params: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
    model: p.model,
    messages: p.messages,
    max_completion_tokens: p.maxOutputTokens,
  };
  if (p.cacheKey) params.prompt_cache_key = p.cacheKey;
  switch (p.mode) {
    case "tool-strict":
    case "tool":
      params.tools = [
        {
          type: "function",
          function: {
            name: LESSON_TOOL_NAME,
            description: "Submit the lessons, one per slot.",
            parameters: lessonBatchJsonSchema,
            strict: p.mode === "tool-strict",
          },
        },
      ];
      params.tool_choice = { type: "function", function: { name: LESSON_TOOL_NAME } };
      break;
    case "json-schema":
      params.response_format = {
        type: "json_schema",
        json_schema: { name: "lessons", strict: true, schema: lessonBatchJsonSchema },
      };
      break;
    case "json-object":
      params.response_format = { type: "json_object" };
      break;
    case "prompted-json":
      break;
  }
  return params;
}
