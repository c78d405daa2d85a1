// The dashboard's lane split: spend per lane, what the slow lanes saved against the fast lane (the
// same tokens at the standard price: cost ÷ the lane's factor − cost), and batches in flight.
import type { Db } from "@/lib/db/port";
import type { ResultOf } from "@/lib/db/functions";
import { LANE_PRICES } from "@/lib/usage/prices";

export interface LaneRow {
  lane: "fast" | "batch" | "flex";
  calls: number;
  lessonsValid: number;
  costUsd: number;
  /** What the same calls would have cost in the fast lane, minus what they cost (0 for the fast lane). */
  savedUsd: number;
}

export interface LaneSplitView {
  lanes: LaneRow[];
  totalUsd: number;
  savedUsd: number;
  inFlight: ResultOf<"admin_usage_lanes">["inFlight"];
}

export function laneSplitView(raw: ResultOf<"admin_usage_lanes">): LaneSplitView {
  const byLane = new Map<LaneRow["lane"], LaneRow>();
  for (const r of raw.lanes) {
    const row = byLane.get(r.lane) ?? { lane: r.lane, calls: 0, lessonsValid: 0, costUsd: 0, savedUsd: 0 };
    const factor = r.lane === "fast" ? 1 : (LANE_PRICES[r.provider]?.[r.lane]?.factor ?? 1);
    row.calls += r.calls;
    row.lessonsValid += r.lessonsValid;
    row.costUsd += r.costUsd;
    row.savedUsd += factor > 0 ? r.costUsd / factor - r.costUsd : 0;
    byLane.set(r.lane, row);
  }
  const lanes = (["fast", "batch", "flex"] as const).map((l) => byLane.get(l) ?? { lane: l, calls: 0, lessonsValid: 0, costUsd: 0, savedUsd: 0 });
  return {
    lanes,
    totalUsd: lanes.reduce((s, l) => s + l.costUsd, 0),
    savedUsd: lanes.reduce((s, l) => s + l.savedUsd, 0),
    inFlight: raw.inFlight,
  };
}

export async function laneSplit(db: Db, range: { from: string; to: string }): Promise<LaneSplitView> {
  return laneSplitView(await db.rpc("admin_usage_lanes", { p_from: range.from, p_to: range.to }));
}
