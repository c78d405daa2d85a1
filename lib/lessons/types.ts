// Shapes of a lesson as stored (content jsonb) and as the database functions return it.
// The zod schema in lib/lessons/schema.ts is the source of truth for the content; these types must match it.

export const difficulties = ["intro", "easy", "medium", "hard"] as const;
export type Difficulty = (typeof difficulties)[number];

export interface LessonQuestion {
  question: string;
  choices: [string, string, string, string];
  correctIndex: 0 | 1 | 2 | 3;
  explanation: string;
}

/** lessons.content (jsonb). `version` is set by the server. */
export interface LessonContent {
  version: 1;
  title: string;
  content: string;
  difficulty: Difficulty;
  questions: [LessonQuestion, LessonQuestion, LessonQuestion];
  keyTerms: { term: string; definition: string }[];
}

/** A lesson as every database function returns it (camelCase jsonb). */
export interface LessonRecord {
  id: string;
  topicId: string;
  topicSlug: string;
  topicName: string;
  subjectSlug: string;
  subjectName: string;
  difficulty: Difficulty;
  title: string;
  content: LessonContent;
  source: "seed" | "generated";
  model: string | null;
  createdAt: string;
}
