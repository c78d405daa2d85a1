// The slow lane's shapes (docs/slow-lane.md): a unit of slow work (one topic/difficulty group of the
// prefetch), its chunks, the provider's Batch API as the engine uses it, and what the engine needs.
import type OpenAI from "openai";
import type { Clock } from "@/lib/clock";
import type { GeneratedLesson, LessonVia } from "@/lib/batch/types";
import type { Difficulty } from "@/lib/lessons/types";
import type { LlmGateway } from "@/lib/llm/types";
import type { UsageLane } from "@/lib/contracts/enums";
import type { UsageSink } from "@/lib/usage/types";
import type { SlowLaneStore } from "./store";

/** One group of lessons for the slow lane: `need` new lessons of a topic at a difficulty. */
export interface SlowGroup {
  /** Stable for this unit of work (a retry computes the same): the batch's submission key. */
  key: string;
  topicId: string;
  subject: string;
  topic: string;
  difficulty: Difficulty;
  need: number;
  avoidTitles: string[];
  /** Learners to deliver to (the prefetch's group). */
  learners: string[];
  /** The generation request the lessons are saved under (null where the caller saves on its own). */
  requestId: string | null;
  /** When the lessons must be in the feeds (ms since the epoch, on the deps' clock). */
  deadlineAt: number;
}

/** One line of the batch: `count` lessons of the group for the slots listed. */
export interface SlowChunk {
  chunkId: string;
  slots: number[];
}

/** What the batch row carries so any worker can settle it. */
export interface SlowPayload {
  group: SlowGroup;
  chunks: SlowChunk[];
  /** 0 for the first submission, n for the n-th resubmission of what expired. */
  attempt: number;
}

/** The provider's Files and Batches API, as the openai SDK exposes it. */
export type BatchClient = Pick<OpenAI, "files" | "batches">;

export interface DeliveredLesson {
  slot: number;
  lesson: GeneratedLesson;
  via: LessonVia;
  model: string;
  lane: UsageLane;
}

/** Saves a group's lessons to the library and puts them in its learners' feeds; idempotent per slot. */
export interface SlowLaneDelivery {
  deliver(group: SlowGroup, lessons: DeliveredLesson[]): Promise<void>;
  /** Called once when the group is finished (every slot delivered or given up). */
  finish?(group: SlowGroup, summary: SettleSummary): Promise<void>;
}

export interface SlowLaneConfig {
  /** A group whose deadline is nearer than this goes to the fast lane at once (default 2 h). */
  minLeadMs: number;
  /** A batch still out this close to its deadline is cancelled and the rest goes flex/fast (default 20 min). */
  deadlineMarginMs: number;
  /** Resubmit what expired only when the deadline is at least this far (default 6 h); else fast lane. */
  resubmitLeadMs: number;
  maxResubmits: number;
  /** A row still `submitting` this long (database time) is recovered by the poller (default 5 min). */
  recoverAfterMs: number;
  /** Pages of the provider's batch list searched for a lost batch id (100 per page, default 5). */
  recoverPages: number;
  /**
   * Lessons per batch line (default 10). The fast lane keeps calls at 5 so lessons arrive soon; a batch
   * line has no latency to keep, so it asks for more and pays its prompt once for them. Capped by the
   * model's output budget (outputBudget: per-lesson tokens + margin within maxOutputTokens).
   */
  maxPerLine: number;
  /**
   * Where the provider sells flex for the model (slowLanesFor), work that cannot wait for a batch (a
   * deadline too near, repairs after a batch) goes through flex calls at the batch price first; slots
   * flex could not serve (429 resource unavailable after the gateway's retries) go to the fast lane.
   */
  flex: boolean;
}

export const defaultSlowLaneConfig: SlowLaneConfig = {
  minLeadMs: 2 * 3600_000,
  deadlineMarginMs: 20 * 60_000,
  resubmitLeadMs: 6 * 3600_000,
  maxResubmits: 1,
  recoverAfterMs: 5 * 60_000,
  recoverPages: 5,
  maxPerLine: 10,
  flex: true,
};

export interface SlowLaneDeps {
  client: BatchClient;
  store: SlowLaneStore;
  /** The fast lane (and the target: provider, background model, capabilities). */
  llm: LlmGateway;
  usage: UsageSink;
  clock: Clock;
  delivery: SlowLaneDelivery;
  config?: Partial<SlowLaneConfig>;
  random?: () => number;
  /** Test seam: runs between "batch created at the provider" and "batch id saved". */
  afterCreate?: (batchId: string) => Promise<void> | void;
}

export interface SettleSummary {
  providerStatus: string;
  lines: number;
  fromBatch: number;
  /** Slots handed to the fast lane, and how many of those it delivered. */
  toFastLane: number;
  fromFastLane: number;
  /** Slots resubmitted as a new batch (what expired, when the deadline allows). */
  resubmitted: number;
  failed: number;
  batchCostUsd: number;
}
