// The lane split (docs/slow-lane.md). The prefetch keeps a horizon of lessons ahead of each topic's
// followers; what they will read within the next `fastHorizonMs` goes to the fast lane (ordinary calls,
// now), the rest to the slow lane with a deadline: the moment the followers would reach it.
export interface LaneSplitPolicy {
  /** Lessons needed within this long go fast (SLOW_LANE_FAST_HORIZON_HOURS). */
  fastHorizonMs: number;
  /** Whether the provider has a slow lane at all (capabilities) and it is switched on (SLOW_LANE). */
  slowAvailable: boolean;
}

export interface LaneSplit {
  fast: number;
  slow: number;
  /** When the followers reach the first slow lesson (ms on the caller's clock); null when none is slow. */
  slowDeadlineAt: number | null;
}

/**
 * Splits `need` lessons of a topic. `stock` lessons are already unread in the feeds and the library;
 * followers read `lessonsPerHour` of this topic together (the forecast). Lessons that will be read
 * before `now + fastHorizonMs` go fast; the rest are due when the fast ones and the stock run out.
 */
export function splitLanes(input: { need: number; stock: number; lessonsPerHour: number; now: number }, policy: LaneSplitPolicy): LaneSplit {
  const need = Math.max(0, Math.floor(input.need));
  if (!policy.slowAvailable || need === 0) return { fast: need, slow: 0, slowDeadlineAt: null };
  const rate = Math.max(0, input.lessonsPerHour);
  // Nobody is reading it right now: nothing is needed within the horizon, everything can wait.
  const readWithinHorizon = rate === 0 ? 0 : Math.ceil((rate * policy.fastHorizonMs) / 3600_000);
  const fast = Math.min(need, Math.max(0, readWithinHorizon - Math.max(0, input.stock)));
  const slow = need - fast;
  if (slow === 0) return { fast, slow, slowDeadlineAt: null };
  const aheadLessons = Math.max(0, input.stock) + fast;
  const slowDeadlineAt = rate === 0 ? input.now + 24 * 3600_000 : input.now + Math.max(policy.fastHorizonMs, (aheadLessons / rate) * 3600_000);
  return { fast, slow, slowDeadlineAt };
}
