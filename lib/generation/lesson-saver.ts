// Saves generated lessons as they arrive, so a disconnect or a crash never loses a lesson that was paid
// for. Saves are serialised per request and coalesced: what arrives while one save runs goes in the next.
// Each lesson lands in the playlist position its slot reserved when the generation began.
import "server-only";
import type { Clock } from "@/lib/clock";
import { DB_WRITE_RETRY, withRetry } from "@/lib/llm/retry-policy";
import type { Db } from "@/lib/db/port";
import type { GeneratedLesson } from "@/lib/batch/types";
import type { LessonContent, LessonRecord } from "@/lib/lessons/types";

export interface LessonRow {
  slot: number;
  topicId: string;
  difficulty: string;
  title: string;
  content: LessonContent;
  model: string;
}

/** The stored content of a generated lesson: the schema's fields only, subject and topic live on the row. */
export function lessonRow(slot: number, topicId: string, lesson: GeneratedLesson, model: string): LessonRow {
  const content: LessonContent = {
    version: 1,
    title: lesson.title,
    content: lesson.content,
    difficulty: lesson.difficulty,
    questions: lesson.questions,
    keyTerms: lesson.keyTerms ?? [],
  };
  return { slot, topicId, difficulty: lesson.difficulty, title: lesson.title, content, model };
}

export interface LessonSaver {
  /** Queues a lesson; resolves with its saved record, or null when saving failed after retries. */
  save(row: LessonRow): Promise<LessonRecord | null>;
  /** Waits for every queued save. */
  flush(): Promise<void>;
}

export function createLessonSaver(service: () => Promise<Db>, requestId: string, clock: Clock): LessonSaver {
  type Waiting = { row: LessonRow; resolve: (r: LessonRecord | null) => void };
  let queue: Waiting[] = [];
  let running: Promise<void> | null = null;

  async function saveBatch(batch: Waiting[]) {
    try {
      const out = await withRetry(
        async () => {
          const db = await service();
          return db.rpc("save_generated_lessons", { p_request_id: requestId, p_lessons: batch.map((w) => w.row) });
        },
        { ...DB_WRITE_RETRY, clock },
      );
      // The function answers in the caller's input order; each lesson goes into the slot reserved for it.
      batch.forEach((w, i) => w.resolve(out.lessons[i] ?? null));
    } catch (err) {
      console.error(`[generation] could not save ${batch.length} lesson(s) of request ${requestId}`, err);
      for (const w of batch) w.resolve(null);
    }
  }

  function drain(): Promise<void> {
    running ??= (async () => {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        await saveBatch(batch);
      }
      running = null;
    })();
    return running;
  }

  return {
    save(row) {
      return new Promise<LessonRecord | null>((resolve) => {
        queue.push({ row, resolve });
        void drain();
      });
    },
    async flush() {
      while (running || queue.length > 0) await drain();
    },
  };
}
