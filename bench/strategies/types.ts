// A strategy gets lesson requests and reports each lesson delivered, by request index.
import type { LessonRequest } from "@/lib/batch/types";
import type { BenchEnv } from "../bench-env";

export type Deliver = (index: number) => void;

export interface Strategy {
  name: StrategyName;
  run(env: BenchEnv, requests: readonly LessonRequest[], indices: readonly number[], deliver: Deliver, signal?: AbortSignal): Promise<void>;
}

export const strategyNames = ["sequential", "naive-parallel", "naive-batch", "ours"] as const;
export type StrategyName = (typeof strategyNames)[number];
