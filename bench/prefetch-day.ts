// prefetch-day: one simulated day of the For You prefetch for 2,000 learners, each following 3–6 of
// 150 topics (Zipf popularity) and reading in 1–3 sessions a day at their own pace. Three strategies:
//   naive      each learner's shortfall generated for that learner, one call per lesson, the
//              interactive model at the standard price;
//   ours-fast  the shared library per topic (one lesson serves every follower), calls of up to 5
//              lessons, the background model, fast lane only;
//   ours       the same plus the slow lane: every hour, what the followers are forecast to read
//              between 3 h and 4 h from now goes into a provider batch (half price, lines of up to 10
//              lessons); a batch still out 20 min before its lessons are due is cancelled (what it
//              finished is kept) and what it still owes goes through flex calls (the batch price; a
//              call refused with 429 goes fast), as the engine's settle does; the fast sweep covers
//              whatever a feed lacks, as in ours-fast.
//
// What is measured vs modelled. The dollars of each kind of call are MEASURED on the simulator with
// the app's own request builder: single calls (sim-standard), 5-lesson calls (sim-mini) and batch
// lines through the simulator's real Files/Batch API (sim-mini, billed at the batch price, cached
// prefixes at the cached batch rate) and flex calls (sim-mini, `service_tier: "flex"`). The day
// itself is a minute-by-minute simulation of readers, feeds and lanes that charges each call what
// the calibration measured; batch completion times are drawn from the simulator's own distribution
// (log-normal, median 1 h, σ 1.2) with 2% of batches expiring at 24 h. The forecast is the topic's
// consumption in the same hour of the previous day (the same learners, their sessions shifted).
//
// Run: npx tsx --conditions=react-server bench/prefetch-day.ts [--json]   (or npm run bench -- --only prefetch-day)
import OpenAI from "openai";
import { buildLessonCallParams } from "@/lib/batch/lesson-call";
import { defaultBatchConfig } from "@/lib/batch/config";
import { chooseOutputMode } from "@/lib/batch/output-mode";
import { outputBudget } from "@/lib/batch/plan";
import { createGateway } from "@/lib/llm/gateway";
import { SIM_BASE_URL } from "@/lib/llm/presets";
import { createSimulator } from "@/lib/llm/sim";
import { createRandom } from "@/lib/llm/sim/random";
import { costSplit } from "@/lib/usage/cost";
import { buildBatchJsonl, planChunks } from "@/lib/slowlane/lines";
import { laneCost, parseJsonl } from "@/lib/slowlane/results";
import { toFile } from "openai";

const MIN_PER_DAY = 24 * 60;

export const PREFETCH_DAY = {
  learners: 2000,
  topics: 150,
  seeds: [1, 2, 3],
  feedCap: 2, // FYP_PENDING_PER_TOPIC
  // The cron sweep runs every minute; a job, the call and the save take about another minute.
  fastLatencyMin: 2,
  // Lessons a reader takes from one topic before moving on to the next followed topic.
  streak: 4,
  fastHorizonH: Number(process.env.PREFETCH_DAY_FAST_HORIZON_HOURS ?? 3), // SLOW_LANE_FAST_HORIZON_HOURS
  slowSliceH: Number(process.env.PREFETCH_DAY_SLICE_HOURS ?? 1),
  deadlineMarginMin: Number(process.env.PREFETCH_DAY_MARGIN_MINUTES ?? 20), // the engine's deadlineMarginMs
  batchMedianMin: Number(process.env.PREFETCH_DAY_BATCH_MEDIAN_MINUTES ?? 60),
  batchSigma: 1.2,
  batchExpireRate: Number(process.env.PREFETCH_DAY_BATCH_EXPIRE_RATE ?? 0.02),
  // Lessons per batch line (the engine's maxPerLine) and per fast/flex call (the fast lane's cap).
  linePerBatch: Number(process.env.PREFETCH_DAY_LINE ?? 10),
  perCall: 5,
  // Flex: what a cancelled batch still owes goes through flex calls (batch price) that take a few
  // minutes longer than fast ones; a flex call refused (429) goes to the fast lane.
  flex: (process.env.PREFETCH_DAY_FLEX ?? "on") !== "off",
  flexLatencyMin: 5,
  flex429Rate: 0.05,
};

// ---- Calibration: what each kind of call costs, measured on the simulator -------------------------

export interface Calibration {
  /** USD of one naive single-lesson call (interactive model, standard price). */
  naiveCall: number;
  /** USD of a fast call asking for k lessons (background model, standard price), k = 1…5. */
  fastCall: number[];
  /** USD of a batch line asking for k lessons at the batch price, k = 1…linePerBatch. */
  batchLine: number[];
  /** USD of a flex call asking for k lessons (background model, flex price), k = 1…5. */
  flexCall: number[];
  calls: number;
}

const TOPICS_FOR_CALIBRATION = ["Photosynthesis", "Plate tectonics", "Supply and demand", "Recursion", "The French Revolution"];

export async function calibrate(): Promise<Calibration> {
  // Only tokens and prices matter here: no latency, no faults, batches done in a simulated second.
  const sim = createSimulator({ profile: "instant", timeScale: 1e-3, seed: 17, faultRate: 0, flex429Rate: 0, batchLineErrorRate: 0, batchExpireRate: 0, batchMedianMs: 1000, batchSigma: 0 });
  const gateway = createGateway({ provider: "sim", model: "sim-standard", backgroundModel: "sim-mini", maxConcurrency: 8, timeoutMs: 10_000, maxAttempts: 2, deadlineMs: 3600_000 }, { fetch: sim.fetch, clock: sim.clock });
  let calls = 0;
  const callUsd = async (priority: "interactive" | "background", topic: string, k: number, lane: "fast" | "flex" = "fast") => {
    const target = gateway.target(priority);
    const params = buildLessonCallParams({
      target,
      mode: chooseOutputMode(target.capabilities),
      context: { subject: "General", topic, difficulty: "easy", avoidTitles: [] },
      count: k,
      maxOutputTokens: outputBudget(k, target.capabilities, defaultBatchConfig),
    });
    const r = await gateway.chat(lane === "flex" ? { ...params, service_tier: "flex" } : params);
    calls++;
    return lane === "flex" ? laneCost("sim", target.model, "flex", r.usage).totalUsd : costSplit("sim", target.model, r.usage).totalUsd;
  };
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const naiveCall = mean(await Promise.all(TOPICS_FOR_CALIBRATION.map((t) => callUsd("interactive", t, 1))));
  const fastCall: number[] = [];
  for (let k = 1; k <= 5; k++) fastCall.push(mean(await Promise.all(TOPICS_FOR_CALIBRATION.map((t) => callUsd("background", t, k)))));
  const flexCall: number[] = [];
  for (let k = 1; k <= 5; k++) flexCall.push(mean(await Promise.all(TOPICS_FOR_CALIBRATION.map((t) => callUsd("background", t, k, "flex")))));

  // Batch lines through the simulator's Files/Batch API, built by the slow lane's own JSONL builder.
  const client = new OpenAI({ apiKey: "sim", baseURL: SIM_BASE_URL, fetch: sim.fetch, maxRetries: 0 });
  const target = gateway.target("background");
  const batchLine: number[] = [];
  for (let k = 1; k <= PREFETCH_DAY.linePerBatch; k++) {
    const jsonl = TOPICS_FOR_CALIBRATION.map((topic, i) =>
      buildBatchJsonl(target, { key: `cal-${k}-${i}`, topicId: "t", subject: "General", topic, difficulty: "easy", need: k, avoidTitles: [], learners: [], requestId: null, deadlineAt: 0 }, planChunks(`cal-${k}-${i}`, Array.from({ length: k }, (_, s) => s), PREFETCH_DAY.linePerBatch)),
    ).join("");
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), `cal-${k}.jsonl`), purpose: "batch" });
    let b = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    while (!["completed", "failed", "expired", "cancelled"].includes(b.status)) {
      await new Promise((r) => setTimeout(r, 20));
      b = await client.batches.retrieve(b.id);
    }
    const lines = parseJsonl(await (await client.files.content(b.output_file_id!)).text());
    calls += lines.length;
    batchLine.push(
      mean(
        lines.map((l) => {
          const u = (l.response?.body as { usage: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens?: number } } }).usage;
          return laneCost("sim", target.model, "batch", { promptTokens: u.prompt_tokens, cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0, completionTokens: u.completion_tokens }).totalUsd;
        }),
      ),
    );
  }
  return { naiveCall, fastCall, batchLine, flexCall, calls };
}

// ---- The population -------------------------------------------------------------------------------

interface Learner {
  topics: number[];
  /** Lessons per minute while reading. */
  rate: number;
  sessions: { start: number; end: number }[];
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
}

function population(seed: number): Learner[] {
  const rng = createRandom(seed * 7919 + 13);
  const n = PREFETCH_DAY.topics;
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1)); // Zipf
  const total = weights.reduce((s, w) => s + w, 0);
  const pickTopic = () => {
    let x = rng() * total;
    for (let i = 0; i < n; i++) if ((x -= weights[i]) <= 0) return i;
    return n - 1;
  };
  const peaks = [8 * 60, 12.5 * 60, 20 * 60];
  return Array.from({ length: PREFETCH_DAY.learners }, () => {
    const k = 3 + Math.floor(rng() * 4);
    const topics = new Set<number>();
    while (topics.size < k) topics.add(pickTopic());
    const sessions = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => {
      const start = Math.round((peaks[Math.floor(rng() * peaks.length)] + normal(rng) * 90 + MIN_PER_DAY) % MIN_PER_DAY);
      return { start, end: start + 10 + Math.floor(rng() * 40) };
    });
    // 1 lesson per 1.5–6 minutes while reading (about 100 words and three questions each).
    const rate = Math.min(0.7, Math.max(0.15, 0.35 * Math.exp(0.4 * normal(rng))));
    return { topics: [...topics], rate, sessions };
  });
}

/** The same learners on another day: every session shifted by up to ±45 minutes. */
function shifted(learners: Learner[], seed: number): Learner[] {
  const rng = createRandom(seed * 104729 + 7);
  return learners.map((l) => ({ ...l, sessions: l.sessions.map((s) => {
    const d = Math.round((rng() * 2 - 1) * 45);
    return { start: s.start + d, end: s.end + d };
  }) }));
}

/**
 * Which followed topic a reader reads next: the one they are on, for up to `streak` lessons, then the
 * next one in turn; a topic with nothing to read is skipped (and counted empty by the caller).
 */
function readerFocus(n: number) {
  const cur = new Array<number>(n).fill(0);
  const streak = new Array<number>(n).fill(0);
  return {
    next(u: number, topics: number, hasUnread: (i: number) => boolean): number {
      if (streak[u] >= PREFETCH_DAY.streak || !hasUnread(cur[u])) {
        streak[u] = 0;
        let found = -1;
        for (let step = 1; step <= topics; step++) {
          const i = (cur[u] + step) % topics;
          if (hasUnread(i)) {
            found = i;
            break;
          }
        }
        if (found === -1) return -1;
        cur[u] = found;
      }
      streak[u]++;
      return cur[u];
    },
  };
}

const activeAt = (l: Learner, m: number) => l.sessions.some((s) => (m >= s.start && m < s.end) || (m + MIN_PER_DAY >= s.start && m + MIN_PER_DAY < s.end));

// ---- The day --------------------------------------------------------------------------------------

export type DayStrategy = "naive" | "ours-fast" | "ours";

export interface DayResult {
  strategy: DayStrategy;
  seed: number;
  usd: number;
  served: number;
  generated: number;
  calls: number;
  batches: number;
  lessonsFast: number;
  lessonsBatch: number;
  lessonsFlex: number;
  emptyFeedMinutes: number;
  activeTopicMinutes: number;
  longestEmptyMin: number;
  batchesCancelled: number;
  batchesExpired: number;
  /** Cancelled near their deadline although drawn to expire at 24 h (the 2%): cancelled first. */
  batchesDrawnToExpire: number;
}

/** Leader consumption per topic per hour of a day (the forecaster's history). */
function historyOf(learners: Learner[]): number[][] {
  const perHour = Array.from({ length: PREFETCH_DAY.topics }, () => new Array<number>(24).fill(0));
  const consumed = learners.map((l) => new Array<number>(l.topics.length).fill(0));
  const front = new Array<number>(PREFETCH_DAY.topics).fill(0);
  const acc = learners.map(() => 0);
  const focus = readerFocus(learners.length);
  for (let m = 0; m < MIN_PER_DAY; m++) {
    learners.forEach((l, u) => {
      if (!activeAt(l, m)) return;
      acc[u] += l.rate;
      while (acc[u] >= 1) {
        acc[u] -= 1;
        const i = focus.next(u, l.topics.length, () => true);
        consumed[u][i]++;
        const t = l.topics[i];
        if (consumed[u][i] > front[t]) {
          front[t] = consumed[u][i];
          perHour[t][Math.floor(m / 60)]++;
        }
      }
    });
  }
  return perHour;
}

export function simulateDay(strategy: DayStrategy, seed: number, cal: Calibration): DayResult {
  const P = PREFETCH_DAY;
  const base = population(seed);
  const learners = shifted(base, seed + 1000); // today
  const history = strategy === "ours" ? historyOf(shifted(base, seed + 2000)) : null; // yesterday
  const rng = createRandom(seed * 31 + 5);
  const r: DayResult = { strategy, seed, usd: 0, served: 0, generated: 0, calls: 0, batches: 0, lessonsFast: 0, lessonsBatch: 0, lessonsFlex: 0, emptyFeedMinutes: 0, activeTopicMinutes: 0, longestEmptyMin: 0, batchesCancelled: 0, batchesExpired: 0, batchesDrawnToExpire: 0 };
  const T = P.topics;
  const followers: number[][] = Array.from({ length: T }, () => []);
  learners.forEach((l, u) => l.topics.forEach((t) => followers[t].push(u)));
  // Reading position per (learner, followed topic); library size per topic (shared strategies) or
  // each learner's own lessons per topic (naive). Every feed starts the day with the cap in stock.
  const consumed = learners.map((l) => new Array<number>(l.topics.length).fill(0));
  const own = learners.map((l) => new Array<number>(l.topics.length).fill(P.feedCap));
  const library = new Array<number>(T).fill(P.feedCap);
  const front = new Array<number>(T).fill(0);
  const emptySince = learners.map((l) => new Array<number>(l.topics.length).fill(-1));
  const focus = readerFocus(learners.length);
  const acc = learners.map(() => 0);
  // Lessons on their way: arrival minute → (topic or learner/topic) → count.
  const fastArrivals = new Map<number, { topic: number; learner: number; slot: number; n: number }[]>();
  const fastInFlight = new Array<number>(T).fill(0);
  const ownInFlight = learners.map((l) => new Array<number>(l.topics.length).fill(0));
  interface SlowBatch { topic: number; lessons: number; submitted: number; due: number; doneAt: number; expires: boolean; lines: number[] }
  let slow: SlowBatch[] = [];
  const slowPlanned = new Array<number>(T).fill(0); // library positions already sent to the slow lane
  const sendFast = (m: number, topic: number, learner: number, slot: number, n: number, perCall: number) => {
    const at = m + P.fastLatencyMin;
    const list = fastArrivals.get(at) ?? [];
    list.push({ topic, learner, slot, n });
    fastArrivals.set(at, list);
    for (let left = n; left > 0; left -= perCall) {
      const k = Math.min(perCall, left);
      r.usd += strategy === "naive" ? cal.naiveCall : cal.fastCall[k - 1];
      r.calls++;
    }
    r.generated += n;
    r.lessonsFast += n;
  };
  // What a cancelled batch still owes, as the engine's settle does it: flex calls (batch price) of up
  // to 5 lessons; a call refused with 429 goes to the fast lane. Without flex, the fast lane at once.
  // The sweep does not know about this work (in the app it tops feeds up whatever the slow lane is
  // doing), so it is not in fastInFlight: a feed that runs short before it lands is topped up fast.
  const sendSync = (m: number, topic: number, n: number) => {
    if (!P.flex) return sendFast(m, topic, -2, -1, n, P.perCall);
    for (let left = n; left > 0; left -= P.perCall) {
      const k = Math.min(P.perCall, left);
      if (rng() < P.flex429Rate) {
        sendFast(m + 1, topic, -2, -1, k, P.perCall);
        continue;
      }
      const at = m + P.flexLatencyMin;
      const list = fastArrivals.get(at) ?? [];
      list.push({ topic, learner: -2, slot: -1, n: k });
      fastArrivals.set(at, list);
      r.usd += cal.flexCall[k - 1];
      r.calls++;
      r.generated += k;
      r.lessonsFlex += k;
    }
  };

  // The slow lane's hourly submission (ours). Runs before the day too (from -fastHorizon), as the
  // previous day's slow lane did: the day starts warm, as it would in steady state.
  const submitSlices = (m: number) => {
    if (!history) return;
    for (let t = 0; t < T; t++) {
      if (followers[t].length === 0) continue;
      const hourOf = (x: number) => Math.floor((((x % MIN_PER_DAY) + MIN_PER_DAY) % MIN_PER_DAY) / 60);
      // Positions count from the start of the day: nothing is read before it.
      const perMin = (x: number) => (x < 0 ? 0 : history[t][hourOf(x)] / 60);
      // The fast lane covers what the leading reader is forecast to need within the horizon (the
      // fast sweep keeps the cap ahead of the leader); the slice is what comes after it, up to the
      // horizon + one hour.
      let start = front[t] + P.feedCap;
      for (let x = m; x < m + P.fastHorizonH * 60; x++) start += perMin(x);
      let reach = start;
      for (let x = m + P.fastHorizonH * 60; x < m + (P.fastHorizonH + P.slowSliceH) * 60; x++) reach += perMin(x);
      const already = Math.max(library[t] + fastInFlight[t], slowPlanned[t], Math.floor(start));
      const lessons = Math.min(50, Math.floor(reach) - already); // at most 50 per topic per slice
      if (lessons <= 0 || m >= MIN_PER_DAY - P.fastHorizonH * 60) continue; // nothing past the day's end
      // Due: when the forecast leader gets within the cap of the first slow lesson.
      let pos = front[t];
      let dueAt = m;
      while (pos <= already - P.feedCap && dueAt < m + 48 * 60) pos += perMin(dueAt++);
      // Near-equal lines of at most linePerBatch lessons (the engine's planChunks).
      const nLines = Math.ceil(lessons / P.linePerBatch);
      const lines = Array.from({ length: nLines }, (_, i) => Math.floor(lessons / nLines) + (i < lessons % nLines ? 1 : 0));
      const drawn = P.batchMedianMin * Math.exp(P.batchSigma * normal(rng));
      const expires = rng() < P.batchExpireRate || drawn >= MIN_PER_DAY;
      slow.push({ topic: t, lessons, submitted: m, due: dueAt, doneAt: m + Math.max(1, Math.round(drawn)), expires, lines });
      slowPlanned[t] = already + lessons;
      r.usd += lines.reduce((s, k) => s + cal.batchLine[k - 1], 0);
      r.calls += lines.length;
      r.batches++;
      r.generated += lessons;
      r.lessonsBatch += lessons;
    }
  };
  if (strategy === "ours") for (let m = -P.fastHorizonH * 60; m < 0; m += P.slowSliceH * 60) submitSlices(m);

  for (let m = 0; m < MIN_PER_DAY; m++) {
    // 1. Lessons arriving now.
    for (const a of fastArrivals.get(m) ?? []) {
      if (strategy === "naive") {
        own[a.learner][a.slot] += a.n;
        ownInFlight[a.learner][a.slot] -= a.n;
      } else {
        library[a.topic] += a.n;
        if (a.learner !== -2) fastInFlight[a.topic] -= a.n; // -2: a cancelled batch's remainder
      }
    }
    fastArrivals.delete(m);
    if (strategy === "ours") {
      const still: SlowBatch[] = [];
      for (const b of slow) {
        if (m >= b.doneAt && !b.expires) {
          library[b.topic] += b.lessons;
          continue;
        }
        // Due soon and still out: cancel; the lines finished by now (linear progress) are kept.
        if (m >= b.due - P.deadlineMarginMin || (b.expires && m >= b.submitted + MIN_PER_DAY)) {
          const progress = b.expires && m >= b.submitted + MIN_PER_DAY ? 0.2 + 0.6 * rng() : Math.min(1, (m - b.submitted) / Math.max(1, b.doneAt - b.submitted));
          const doneLines = Math.floor(b.lines.length * progress);
          const kept = b.lines.slice(0, doneLines).reduce((s, k) => s + k, 0);
          library[b.topic] += kept;
          // Billed only for the lines that ran.
          r.usd -= b.lines.slice(doneLines).reduce((s, k) => s + cal.batchLine[k - 1], 0);
          r.generated -= b.lessons - kept;
          r.lessonsBatch -= b.lessons - kept;
          r.calls -= b.lines.length - doneLines;
          if (b.lessons - kept > 0) sendSync(m, b.topic, b.lessons - kept);
          if (b.expires && m >= b.submitted + MIN_PER_DAY) r.batchesExpired++;
          else {
            r.batchesCancelled++;
            if (b.expires) r.batchesDrawnToExpire++;
          }
          continue;
        }
        still.push(b);
      }
      slow = still;
    }

    // 2. Reading.
    learners.forEach((l, u) => {
      if (!activeAt(l, m)) return;
      acc[u] += l.rate;
      while (acc[u] >= 1) {
        const best = focus.next(u, l.topics.length, (i) => (strategy === "naive" ? own[u][i] : library[l.topics[i]] - consumed[u][i]) > 0);
        if (best === -1) {
          acc[u] = Math.min(acc[u], 1);
          break;
        }
        acc[u] -= 1;
        consumed[u][best]++;
        if (strategy === "naive") own[u][best]--;
        r.served++;
        const t = l.topics[best];
        if (consumed[u][best] > front[t]) front[t] = consumed[u][best];
      }
      for (let i = 0; i < l.topics.length; i++) {
        const unread = strategy === "naive" ? own[u][i] : library[l.topics[i]] - consumed[u][i];
        r.activeTopicMinutes++;
        if (unread <= 0) {
          r.emptyFeedMinutes++;
          if (emptySince[u][i] < 0) emptySince[u][i] = m;
          r.longestEmptyMin = Math.max(r.longestEmptyMin, m - emptySince[u][i] + 1);
        } else emptySince[u][i] = -1;
      }
    });

    // 3. The fast sweep (every minute, like the cron): top every feed back up to the cap.
    if (strategy === "naive") {
      learners.forEach((l, u) => {
        for (let i = 0; i < l.topics.length; i++) {
          const short = P.feedCap - own[u][i] - ownInFlight[u][i];
          if (short > 0) {
            ownInFlight[u][i] += short;
            sendFast(m, l.topics[i], u, i, short, 1);
          }
        }
      });
    } else {
      for (let t = 0; t < T; t++) {
        if (followers[t].length === 0) continue;
        const short = front[t] + P.feedCap - library[t] - fastInFlight[t];
        if (short > 0) {
          fastInFlight[t] += short;
          sendFast(m, t, -1, -1, short, 5);
        }
      }
    }

    // 4. The slow lane (ours): every hour, what the forecast says the leading reader of each topic
    //    reads between fastHorizon and fastHorizon + slice from now goes into one batch per topic.
    if (strategy === "ours" && m % (P.slowSliceH * 60) === 0) submitSlices(m);
  }
  // Batches still out at the end of the day belong to the next day: neither billed nor counted here.
  for (const b of slow) {
    r.usd -= b.lines.reduce((s, k) => s + cal.batchLine[k - 1], 0);
    r.generated -= b.lessons;
    r.lessonsBatch -= b.lessons;
    r.calls -= b.lines.length;
    r.batches--;
  }
  return r;
}

// ---- Rows and targets ------------------------------------------------------------------------------

export interface DayRow {
  strategy: DayStrategy;
  usdPerLessonServed: number;
  emptyFeedMinutes: number;
  emptyShare: number;
  longestEmptyMin: number;
  generated: number;
  served: number;
  calls: number;
  laneSplit: string;
  usd: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function dayRows(results: DayResult[]): DayRow[] {
  const strategies: DayStrategy[] = ["naive", "ours-fast", "ours"];
  return strategies.map((s) => {
    const rs = results.filter((r) => r.strategy === s);
    const fast = median(rs.map((r) => r.lessonsFast));
    const batch = median(rs.map((r) => r.lessonsBatch));
    const flex = median(rs.map((r) => r.lessonsFlex));
    return {
      strategy: s,
      usdPerLessonServed: median(rs.map((r) => r.usd / Math.max(1, r.served))),
      emptyFeedMinutes: median(rs.map((r) => r.emptyFeedMinutes)),
      emptyShare: median(rs.map((r) => r.emptyFeedMinutes / Math.max(1, r.activeTopicMinutes))),
      longestEmptyMin: Math.max(...rs.map((r) => r.longestEmptyMin)),
      generated: median(rs.map((r) => r.generated)),
      served: median(rs.map((r) => r.served)),
      calls: median(rs.map((r) => r.calls)),
      laneSplit: `fast ${fast} / flex ${flex} / batch ${batch} (${Math.round((100 * (batch + flex)) / Math.max(1, fast + batch + flex))}% slow; ${median(rs.map((r) => r.batches))} batches, ${median(rs.map((r) => r.batchesCancelled))} cancelled near deadline, ${median(rs.map((r) => r.batchesExpired))} expired, ${median(rs.map((r) => r.batchesDrawnToExpire))} drawn to expire at 24 h but cancelled before)`,
      usd: median(rs.map((r) => r.usd)),
    };
  });
}

export function dayTargets(rows: DayRow[]): { name: string; pass: boolean; measured: string }[] {
  const by = (s: DayStrategy) => rows.find((r) => r.strategy === s)!;
  const [naive, fast, ours] = [by("naive"), by("ours-fast"), by("ours")];
  return [
    { name: "ours $/lesson served ≤ 0.15× naive", pass: ours.usdPerLessonServed <= 0.15 * naive.usdPerLessonServed, measured: `${(ours.usdPerLessonServed / naive.usdPerLessonServed).toFixed(3)}×` },
    { name: "ours $/lesson served ≤ 0.6× ours-fast", pass: ours.usdPerLessonServed <= 0.6 * fast.usdPerLessonServed, measured: `${(ours.usdPerLessonServed / fast.usdPerLessonServed).toFixed(3)}×` },
    {
      name: "ours emptyFeedMinutes ≤ ours-fast's + 1%",
      pass: ours.emptyFeedMinutes <= fast.emptyFeedMinutes * 1.01,
      measured: `${ours.emptyFeedMinutes} vs ${fast.emptyFeedMinutes}`,
    },
    { name: "ours: no feed empty for more than 5 minutes", pass: ours.longestEmptyMin <= 5, measured: `longest ${ours.longestEmptyMin} min` },
  ];
}

export async function runPrefetchDay(): Promise<{ rows: DayRow[]; targets: ReturnType<typeof dayTargets>; calibration: Calibration }> {
  const calibration = await calibrate();
  const results: DayResult[] = [];
  for (const seed of PREFETCH_DAY.seeds) for (const s of ["naive", "ours-fast", "ours"] as const) results.push(simulateDay(s, seed, calibration));
  const rows = dayRows(results);
  return { rows, targets: dayTargets(rows), calibration };
}

export function formatDay(out: Awaited<ReturnType<typeof runPrefetchDay>>): string {
  const c = out.calibration;
  const lines = [
    `prefetch-day: ${PREFETCH_DAY.learners} learners, ${PREFETCH_DAY.topics} topics, 24 simulated hours, seeds ${PREFETCH_DAY.seeds.join(", ")} (medians)`,
    `batches: completion log-normal, median ${PREFETCH_DAY.batchMedianMin} min, σ ${PREFETCH_DAY.batchSigma}, ${PREFETCH_DAY.batchExpireRate * 100}% expiring at 24 h; fast horizon ${PREFETCH_DAY.fastHorizonH} h, slices ${PREFETCH_DAY.slowSliceH} h, deadline margin ${PREFETCH_DAY.deadlineMarginMin} min, ${PREFETCH_DAY.linePerBatch} lessons per batch line, flex ${PREFETCH_DAY.flex ? `on (${PREFETCH_DAY.flex429Rate * 100}% 429)` : "off"}`,
    `calibration (measured on the simulator, ${c.calls} calls): naive call $${c.naiveCall.toFixed(6)}; fast call k=1..5 ${c.fastCall.map((x) => `$${x.toFixed(6)}`).join(" ")}; batch line k=1..${c.batchLine.length} ${c.batchLine.map((x) => `$${x.toFixed(6)}`).join(" ")}; flex call k=1..5 ${c.flexCall.map((x) => `$${x.toFixed(6)}`).join(" ")}`,
    "",
    "strategy   | $/lesson served | emptyFeedMinutes (share) | longest empty | generated | served | calls | lane split",
    ...out.rows.map(
      (r) =>
        `${r.strategy.padEnd(10)} | ${r.usdPerLessonServed.toExponential(3).padStart(15)} | ${String(r.emptyFeedMinutes).padStart(7)} (${(r.emptyShare * 100).toFixed(2)}%)       | ${String(r.longestEmptyMin).padStart(6)} min   | ${String(r.generated).padStart(9)} | ${String(r.served).padStart(6)} | ${String(r.calls).padStart(6)} | ${r.laneSplit}`,
    ),
    "",
    "Targets:",
    ...out.targets.map((t) => `  ${t.pass ? "PASS" : "FAIL"}  ${t.name}: ${t.measured}`),
  ];
  return lines.join("\n");
}

export async function printPrefetchDay(json: boolean): Promise<void> {
  const out = await runPrefetchDay();
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else console.log(formatDay(out));
}

if (process.argv[1]?.endsWith("prefetch-day.ts")) {
  printPrefetchDay(process.argv.includes("--json")).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
