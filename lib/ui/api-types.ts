// Shapes of API and database-function answers as the UI reads them (docs/api.md, docs/database.md).
import type { Difficulty, LessonRecord } from "@/lib/lessons/types";

export interface FeedItem {
  lessonId: string;
  status: string;
  createdAt: string;
  lesson: LessonRecord;
}

export interface FeedTopic {
  topicId: string;
  topicName: string;
  subjectName: string;
  difficulty: Difficulty;
  pending: number;
}

export interface Feed {
  items: FeedItem[];
  topics: FeedTopic[];
}

export interface TopUpResult {
  fromLibrary: number;
  generated: number;
  failed: number;
  pending: number;
}

export interface CatalogTopic {
  id: string;
  slug: string;
  name: string;
  followed: boolean;
  difficulty: Difficulty | null;
  lessonCount: number;
}

export interface Catalog {
  subjects: { id: string; slug: string; name: string; topics: CatalogTopic[] }[];
}

export interface PlaylistSummary {
  id: string;
  title: string;
  description: string | null;
  lessonCount: number;
  topicName: string | null;
  createdAt: string;
  updatedAt: string;
}

export type PlaylistLesson = LessonRecord & { position: number };

export interface PlaylistDetail extends PlaylistSummary {
  lessons: PlaylistLesson[];
}

export interface Quota {
  tier: string;
  lessonsPerDay: number;
  usedToday: number;
  reserved: number;
  remaining: number;
  resetsAt: string;
  monthlySpendUsd: number;
  monthlySpendLimitUsd: number;
}

export type { AdminTopUsers, AdminUsage, AdminUsageEvent, UsageGroup, UsageTotals } from "@/lib/usage/admin-usage-types";
