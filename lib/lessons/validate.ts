// Checks one raw lesson object from the model against the strict schema and names what is wrong,
// in words short enough to feed back to the model in a repair prompt.
import { strictLessonSchema } from "./schema";
import type { LessonContent } from "./types";

export type LessonCheck =
  | { ok: true; slot: number | undefined; lesson: LessonContent }
  | { ok: false; slot: number | undefined; message: string };

export function checkLesson(raw: unknown): LessonCheck {
  const slot = rawSlot(raw);
  const parsed = strictLessonSchema.safeParse(raw);
  if (parsed.success) return { ok: true, slot: parsed.data.slot ?? slot, lesson: parsed.data.lesson };
  const message = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "lesson"}: ${i.message}`)
    .join("; ");
  return { ok: false, slot, message };
}

function rawSlot(raw: unknown): number | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const s = (raw as { slot?: unknown }).slot;
  return typeof s === "number" && Number.isInteger(s) && s >= 0 ? s : undefined;
}
