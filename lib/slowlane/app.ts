// The app's slow lane: the provider's Files/Batches client from the environment (the in-process
// simulator's fetch in sim mode), batches in Postgres, lessons saved to the shared library under a
// generation request and delivered to the group's learners up to the feed cap. What goes beyond the
// cap stays in the library, where the sweep's library fill serves it when the feeds run low.
import "server-only";
import OpenAI from "openai";
import { BACKGROUND_SUBJECT, refundAllowance, takeAllowance } from "@/lib/budget/allowance";
import { spendCapStatus } from "@/lib/budget/spend-cap";
import { serverEnv, runtimeMode } from "@/lib/env";
import { defaultGenerationDeps, type GenerationDeps } from "@/lib/generation/deps";
import { beginGeneration, bodyHash, finishGeneration } from "@/lib/generation/generation-request";
import { createLessonSaver, lessonRow } from "@/lib/generation/lesson-saver";
import { getSimulator } from "@/lib/llm";
import { presetFor } from "@/lib/llm/presets";
import { hasBatchLane, pollSlowLane, submitSlowGroup } from "./engine";
import { planHorizon } from "./horizon";
import { enqueueSlow, slowGroupKey, type SlowLaneHandlers, type SlowSubmitJob } from "./queues";
import { createDbSlowLaneStore } from "./store";
import type { BatchClient, SlowLaneDelivery, SlowLaneDeps } from "./types";

export function batchClientFromEnv(): BatchClient {
  const env = serverEnv();
  const provider = runtimeMode(env).provider;
  const sim = provider === "sim" ? getSimulator() : null;
  const baseURL = env.LLM_BASE_URL ?? presetFor(provider).baseURL ?? undefined;
  return new OpenAI({ apiKey: env.LLM_API_KEY ?? "not-needed", baseURL, maxRetries: 2, ...(sim ? { fetch: sim.fetch } : {}) });
}

/** Saves each lesson into its slot of the group's generation request and delivers up to the cap. */
export function libraryDelivery(deps: GenerationDeps, cap: number): SlowLaneDelivery {
  return {
    async deliver(group, lessons) {
      if (!group.requestId) throw new Error(`slow group ${group.key} has no generation request to save under`);
      const saver = createLessonSaver(deps.service, group.requestId, deps.clock);
      const records = await Promise.all(lessons.map((l) => saver.save(lessonRow(l.slot, group.topicId, l.lesson, l.model))));
      await saver.flush();
      const ids = records.filter((r) => r !== null).map((r) => r.id);
      if (ids.length === 0) return;
      const db = await deps.service();
      for (const userId of group.learners) await db.rpc("fyp_deliver", { p_user_id: userId, p_lesson_ids: ids, p_cap: cap });
    },
    async finish(group, summary) {
      if (!group.requestId) return;
      const db = await deps.service();
      const delivered = summary.fromBatch + summary.fromFastLane;
      await refundAllowance(db, "background", BACKGROUND_SUBJECT, group.need - delivered);
      await finishGeneration(db, group.requestId, delivered === group.need ? "succeeded" : delivered === 0 ? "failed" : "partial", { slowLane: summary });
    },
  };
}

export function slowLaneDepsFromEnv(gen: GenerationDeps = defaultGenerationDeps()): SlowLaneDeps {
  const env = serverEnv();
  return {
    client: batchClientFromEnv(),
    store: createDbSlowLaneStore(gen.service),
    llm: gen.llm,
    usage: gen.usage,
    clock: gen.clock,
    delivery: libraryDelivery(gen, env.FYP_PENDING_PER_TOPIC),
    config: { deadlineMarginMs: env.SLOW_LANE_DEADLINE_MARGIN_MINUTES * 60_000 },
  };
}

/** A submit job: take the background allowance, open a generation request, hand the group to the engine. */
export async function submitSlowJob(gen: GenerationDeps, deps: SlowLaneDeps, job: SlowSubmitJob) {
  const db = await gen.service();
  // A batch is created with the provider's client, not through the capped gateway: check the
  // deployment's daily spend cap here, before anything is submitted (docs/security.md).
  if ((await spendCapStatus(db)).exhausted) return { lane: "none" as const, reason: "spend_cap" };
  const grant = await takeAllowance(db, "background", BACKGROUND_SUBJECT, job.need);
  if (grant.granted === 0) return { lane: "none" as const, reason: "allowance" };
  const begun = await beginGeneration(db, { userId: null, idempotencyKey: null, bodyHash: bodyHash([job.topicId, job.difficulty, grant.granted]), feature: "fyp-sweep", playlistId: null, count: grant.granted });
  const out = await submitSlowGroup(deps, { ...job, key: slowGroupKey(job), need: grant.granted, requestId: begun.requestId });
  if (out.lane === "slow" && !out.created) {
    // A retry of a job whose batch already exists: this attempt's request and allowance are not needed.
    await refundAllowance(db, "background", BACKGROUND_SUBJECT, grant.granted);
    await finishGeneration(db, begun.requestId, "cancelled", { slowLane: "duplicate submit", batch: out.batch.id });
  }
  return out;
}

export function appSlowLaneHandlers(gen: () => GenerationDeps = defaultGenerationDeps): SlowLaneHandlers | undefined {
  const env = serverEnv();
  if (env.SLOW_LANE === "off") return undefined;
  return {
    pollCron: env.SLOW_LANE_POLL_CRON,
    submit: (job) => {
      const g = gen();
      return submitSlowJob(g, slowLaneDepsFromEnv(g), job);
    },
    poll: (ctx) => pollSlowLane(slowLaneDepsFromEnv(gen()), { signal: ctx.signal }),
    plan: async (ctx) => {
      const g = gen();
      const plan = await planHorizon(await g.service(), g.clock.now(), {
        fastHorizonMs: env.SLOW_LANE_FAST_HORIZON_HOURS * 3600_000,
        sliceMs: 3600_000,
        windowHours: 24,
        feedCap: env.FYP_PENDING_PER_TOPIC,
        slowAvailable: hasBatchLane(g.llm.target("background")),
      });
      let enqueued = 0;
      for (const job of plan.jobs) if (await enqueueSlow(ctx.engine, job)) enqueued++;
      return { topics: plan.topics, slowLessons: plan.slowLessons, enqueued };
    },
  };
}
