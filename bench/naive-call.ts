// One call of a baseline strategy: the app's prompt builder and model, sent through the naive
// gateway (limiter + the SDK's default 2 retries), no repair, no dedup. Returns the lessons that
// pass the strict check, at most `count`.
import { buildLessonCallParams } from "@/lib/batch/lesson-call";
import { defaultBatchConfig } from "@/lib/batch/config";
import { answerText, parseLessons } from "@/lib/batch/parse";
import { outputBudget } from "@/lib/batch/plan";
import type { LessonRequest } from "@/lib/batch/types";
import { checkLesson } from "@/lib/lessons/validate";
import type { LessonContent } from "@/lib/lessons/types";
import type { OutputMode } from "@/lib/llm/types";
import type { BenchEnv } from "./env";

export async function naiveCall(
  env: BenchEnv,
  req: LessonRequest,
  count: number,
  mode: OutputMode,
  opts: { onFirstToken?: () => void; signal?: AbortSignal } = {},
): Promise<LessonContent[]> {
  const params = buildLessonCallParams({
    target: env.target,
    mode,
    context: { subject: req.subject, topic: req.topic, difficulty: req.difficulty, avoidTitles: req.avoidTitles, instructions: req.instructions },
    count,
    maxOutputTokens: outputBudget(count, env.target.capabilities, defaultBatchConfig),
  });
  try {
    let first = false;
    const r = await env.naive.chat(params, {
      startSignal: opts.signal,
      // Streaming only to see the first token (the prompt is then processed and cacheable).
      onDelta: opts.onFirstToken
        ? () => {
            if (!first) opts.onFirstToken?.();
            first = true;
          }
        : undefined,
    });
    const out: LessonContent[] = [];
    for (const raw of parseLessons(answerText(r)).lessons) {
      const c = checkLesson(raw);
      if (c.ok && out.length < count) out.push(c.lesson);
    }
    return out;
  } catch {
    return []; // retries exhausted: the baselines just lose the lesson
  } finally {
    opts.onFirstToken?.();
  }
}
