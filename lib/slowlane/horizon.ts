// The horizon planner (docs/slow-lane.md): once an hour, for every followed topic, the lessons its
// fastest follower is forecast to read over the next horizon + one hour, beyond what they already
// have and what the slow lane is already making. splitLanes leaves what is needed within the fast
// horizon to the sweep (the fast lane, as before) and sends the rest to the slow lane with the time
// the follower will reach it as its deadline. The forecast is the last window's reading rate.
import type { Db } from "@/lib/db/port";
import type { SlowSubmitJob } from "./queues";
import { splitLanes } from "./split";

export interface HorizonPolicy {
  fastHorizonMs: number;
  sliceMs: number;
  windowHours: number;
  feedCap: number;
  slowAvailable: boolean;
}

export interface HorizonPlan {
  topics: number;
  slowLessons: number;
  jobs: SlowSubmitJob[];
}

export async function planHorizon(db: Db, now: number, policy: HorizonPolicy): Promise<HorizonPlan> {
  const rows = await db.rpc("slow_lane_horizon", { p_window_hours: policy.windowHours, p_limit: 500 });
  const jobs: SlowSubmitJob[] = [];
  for (const r of rows) {
    const rate = r.seenInWindow / policy.windowHours;
    // The feed keeps `feedCap` lessons pending at all times: that part of the stock is not read ahead.
    const readable = Math.max(0, r.stock - policy.feedCap);
    const need = Math.ceil((rate * (policy.fastHorizonMs + policy.sliceMs)) / 3600_000) - readable;
    if (need <= 0) continue;
    const split = splitLanes({ need, stock: readable, lessonsPerHour: rate, now }, { fastHorizonMs: policy.fastHorizonMs, slowAvailable: policy.slowAvailable });
    // Lessons already in open batches sit right after the fast horizon: plan only what comes after them.
    const slow = split.slow - r.inSlowLane;
    if (slow <= 0 || split.slowDeadlineAt === null) continue;
    const deadlineAt = split.slowDeadlineAt + (rate > 0 ? (r.inSlowLane / rate) * 3600_000 : 0);
    jobs.push({
      topicId: r.topicId,
      difficulty: r.difficulty,
      need: Math.min(slow, 500),
      // Library only: the sweep's library fill puts the lessons into feeds as they run low.
      learners: [],
      subject: r.subject,
      topic: r.topic,
      avoidTitles: r.avoidTitles.slice(0, 60),
      deadlineAt: Math.round(deadlineAt),
    });
  }
  return { topics: rows.length, slowLessons: jobs.reduce((s, j) => s + j.need, 0), jobs };
}
