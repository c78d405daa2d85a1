// Saves generated lessons as they arrive, so a disconnect or a crash never loses a lesson that was paid
// for. Saves are serialised per request and coalesced: what arrives while one save runs goes in the next.
import "server-only";
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

const SAVE_ATTEMPTS = 3;

export function createLessonSaver(service: () => Promise<Db>, requestId: string): LessonSaver {
  type Waiting = { row: LessonRow; resolve: (r: LessonRecord | null) => void };
  let queue: Waiting[] = [];
  let running: Promise<void> | null = null;

  async function saveBatch(batch: Waiting[]) {
    let lastError: unknown;
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      try {
        const db = await service();
        const out = await db.rpc("save_generated_lessons", {
          p_request_id: requestId,
          p_lessons: batch.map((w) => w.row),
        });
        // Records come back in input order; match by title as a fallback if the shapes ever diverge.
        batch.forEach((w, i) => {
          const byOrder = out.lessons[i];
          const record = byOrder && byOrder.title === w.row.title ? byOrder : (out.lessons.find((l) => l.title === w.row.title) ?? byOrder ?? null);
          w.resolve(record);
        });
        return;
      } catch (err) {
        lastError = err;
      }
    }
    console.error(`[generation] could not save ${batch.length} lesson(s) of request ${requestId}`, lastError);
    for (const w of batch) w.resolve(null);
  }

  function drain(): Promise<void> {
    running ??= (async () => {
      while (queue.length > 0) {
        // The function answers in slot order; sending in slot order keeps input and output aligned.
        const batch = queue.sort((a, b) => a.row.slot - b.row.slot);
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
