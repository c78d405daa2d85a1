// One model call asking for k lessons: builds the request for the chosen output mode, streams when
// asked, and hands every lesson object to `onLesson` as soon as it can be read.
import type OpenAI from "openai";
import { buildLessonMessages, promptCacheKey, type LessonContext } from "@/lib/lessons/prompts";
import type { AttemptReport, LlmGateway, ModelTarget, OutputMode, Priority } from "@/lib/llm/types";
import { buildChatParams, isToolMode } from "./output-mode";
import { answerText, parseLessons } from "./parse";
import { LessonStreamScanner } from "./stream-lessons";

export interface LessonCallRequest {
  target: ModelTarget;
  mode: OutputMode;
  context: LessonContext;
  count: number;
  maxOutputTokens: number;
  repairError?: string;
}

export interface LessonCallResult {
  reports: AttemptReport[];
  finishReason: string | null;
  /** Problem reading the answer (malformed JSON, wrong shape), or null. */
  problem: string | null;
  error: unknown; // what chat() threw, or null
}

/** The exact request a call sends: also used to count the counterfactual single-lesson prompts. */
export function buildLessonCallParams(req: LessonCallRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
  return buildChatParams({
    model: req.target.model,
    messages: buildLessonMessages(req.context, {
      count: req.count,
      repairError: req.repairError,
      answerWith: isToolMode(req.mode) ? "tool" : "json",
    }),
    mode: req.mode,
    maxOutputTokens: req.maxOutputTokens,
    cacheKey: req.target.capabilities.promptCacheKey ? promptCacheKey(req.context.subject, req.context.topic) : undefined,
  });
}

export async function runLessonCall(
  llm: LlmGateway,
  req: LessonCallRequest,
  opts: { stream: boolean; onLesson: (raw: unknown) => void; startSignal?: AbortSignal; onPrefilled?: () => void; userId?: string | null; priority?: Priority },
): Promise<LessonCallResult> {
  const params = buildLessonCallParams(req);
  const reports: AttemptReport[] = [];
  let scanner = opts.stream ? new LessonStreamScanner() : null;
  let streamed = "";
  const emit = (raw: unknown) => opts.onLesson(raw);
  try {
    const result = await llm.chat(params, {
      onAttempt: (r) => reports.push(r),
      // Cancelling the batch stops calls still waiting for the limiter; calls on the wire finish.
      startSignal: opts.startSignal,
      userId: opts.userId, // the limiter's per-learner fair share
      priority: opts.priority, // the shared rate limit's priority (background leaves room for interactive)
      estimatedPromptTokens: llm.countPromptTokens(params),
      onDelta: opts.stream
        ? (accumulated) => {
            opts.onPrefilled?.(); // the first token: the provider has processed (and can cache) the prompt
            // A retried attempt starts over; lessons of the broken attempt were already handed on.
            if (!scanner || !accumulated.startsWith(streamed)) {
              scanner = new LessonStreamScanner();
              streamed = "";
            }
            streamed = accumulated;
            for (const raw of scanner.push(accumulated)) emit(raw);
          }
        : undefined,
    });
    const text = answerText(result);
    const parsed = parseLessons(text);
    if (scanner && scanner.foundArray() && text.startsWith(streamed)) {
      for (const raw of scanner.push(text)) emit(raw);
      // A damaged stream: lessons after the damage can still be re-found; re-sent ones are ignored.
      if (parsed.problem) parsed.lessons.forEach(emit);
    } else {
      parsed.lessons.forEach(emit);
    }
    return { reports, finishReason: result.finishReason, problem: parsed.problem, error: null };
  } catch (error) {
    return { reports, finishReason: null, problem: null, error };
  }
}
