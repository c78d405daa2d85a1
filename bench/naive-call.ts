// One call of a naive baseline: same prompt builder and model as ours, the openai client with no
// retries, no repair, no dedup. Returns the lessons that pass the strict check, at most `count`.
import { buildLessonCallParams } from "@/lib/batch/lesson-call";
import { defaultBatchConfig } from "@/lib/batch/config";
import { answerText, parseLessons } from "@/lib/batch/parse";
import { outputBudget } from "@/lib/batch/plan";
import type { LessonRequest } from "@/lib/batch/types";
import { checkLesson } from "@/lib/lessons/validate";
import type { LessonContent } from "@/lib/lessons/types";
import type { OutputMode } from "@/lib/llm/types";
import type { BenchEnv } from "./bench-env";

export async function naiveCall(env: BenchEnv, req: LessonRequest, count: number, mode: OutputMode): Promise<LessonContent[]> {
  const params = buildLessonCallParams({
    target: env.target,
    mode,
    context: { subject: req.subject, topic: req.topic, difficulty: req.difficulty, avoidTitles: req.avoidTitles, instructions: req.instructions },
    count,
    maxOutputTokens: outputBudget(count, env.target.capabilities, defaultBatchConfig),
  });
  try {
    const r = await env.client.chat.completions.create(params);
    env.baselineCachedTokens.value += r.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    const m = r.choices[0]?.message;
    const call = m?.tool_calls?.[0];
    const text = answerText({ toolArguments: call && call.type === "function" ? call.function.arguments : null, content: m?.content ?? null });
    const out: LessonContent[] = [];
    for (const raw of parseLessons(text).lessons) {
      const c = checkLesson(raw);
      if (c.ok && out.length < count) out.push(c.lesson);
    }
    return out;
  } catch {
    return []; // 429, 5xx, reset: the naive strategies just lose the lesson
  }
}
