// The slow-lane engine (docs/slow-lane.md): submit a group as a provider batch, poll it, settle it.
//   submit  record the batch in Postgres (idempotent by key and chunk id), upload the JSONL, create the
//           batch with the key and chunk ids in its metadata, save the batch id;
//   poll    recover rows whose batch id was never saved (list the provider's batches, match the key),
//           cancel batches whose deadline nears, settle finished ones;
//   settle  download output and error files, join by custom_id, validate and dedupe like the fast
//           lane, deliver, one usage event per line at the batch price; resubmit what expired when
//           the deadline allows, everything else still open goes through the fast lane.
import { toFile } from "openai";
import type { Batch } from "openai/resources/batches";
import { generateLessonBatch } from "@/lib/batch";
import { resolveBatchConfig } from "@/lib/batch/config";
import { outputBudget } from "@/lib/batch/plan";
import { slowLanesFor } from "@/lib/llm/capabilities";
import type { ChatOptions, LlmGateway, ModelTarget } from "@/lib/llm/types";
import { lanePriceFor } from "@/lib/usage/prices";
import { roundUsd } from "@/lib/usage/cost";
import type { UsageEvent, UsageSink } from "@/lib/usage/types";
import { BATCH_ENDPOINT, buildBatchJsonl, planChunks } from "./lines";
import { parseJsonl, readBatchResults, type BatchOutputLine, type OpenReason } from "./results";
import type { SlowLaneBatchRow } from "./store";
import { defaultSlowLaneConfig, type DeliveredLesson, type SettleSummary, type SlowGroup, type SlowLaneConfig, type SlowLaneDeps, type SlowPayload } from "./types";

export const METADATA_KEY = "lessonloom_key";
const TERMINAL = new Set(["completed", "expired", "cancelled", "failed"]);

function configOf(deps: SlowLaneDeps): SlowLaneConfig {
  return { ...defaultSlowLaneConfig, ...deps.config };
}

function target(deps: SlowLaneDeps): ModelTarget {
  return deps.llm.target("background");
}

/** Whether this provider/model has a Batch API at all (a provider without one keeps one lane). */
export function hasBatchLane(t: Pick<ModelTarget, "provider" | "model">): boolean {
  return slowLanesFor(t.provider, t.model).batch !== null;
}

/** Stamps usage events of the fast lane with their lane. */
function laneSink(sink: UsageSink): UsageSink {
  return { record: (events) => sink.record(events.map((e) => ({ ...e, lane: e.lane ?? "fast" }))) };
}

/** Whether the slow lane's synchronous variant (flex) is sold for this provider/model. */
export function hasFlexLane(t: Pick<ModelTarget, "provider" | "model">): boolean {
  return slowLanesFor(t.provider, t.model).flex !== null;
}

/**
 * Lessons per batch line: the configured size, within what the model may write in one answer (the
 * fast lane's output budget per lesson plus its margin must fit maxOutputTokens, or lines truncate).
 */
export function lineSize(t: Pick<ModelTarget, "capabilities">, maxPerLine: number): number {
  const limits = resolveBatchConfig(undefined);
  let k = Math.max(1, Math.floor(maxPerLine));
  while (k > 1 && k * limits.outputTokensPerLesson + limits.outputMarginTokens > outputBudget(k, t.capabilities, limits)) k--;
  return k;
}

/** Usage events of flex calls: lane "flex", priced at the provider's flex rate (the batch rate at OpenAI). */
export function flexEvent(e: UsageEvent): UsageEvent {
  const { factor, lane } = lanePriceFor(e.provider, e.model, "flex");
  const scale = (x: number) => roundUsd(x * factor);
  return { ...e, lane, costUsd: scale(e.costUsd), inputUsd: scale(e.inputUsd), cachedUsd: scale(e.cachedUsd), outputUsd: scale(e.outputUsd) };
}

/** The gateway with `service_tier: "flex"` on every call (the caller's fast lane is untouched). */
export function flexGateway(llm: LlmGateway): LlmGateway {
  return Object.assign(Object.create(llm) as LlmGateway, {
    chat: (params: Parameters<LlmGateway["chat"]>[0], options?: ChatOptions) => llm.chat({ ...params, service_tier: "flex" }, options),
  });
}

export type SubmitOutcome =
  | { lane: "slow"; created: boolean; batch: SlowLaneBatchRow }
  | { lane: "fast"; reason: "no_batch_api" | "deadline_near"; delivered: number; failed: number; viaFlex: number };

/**
 * Sends a group to the slow lane, or straight to the fast lane when the provider has no Batch API or
 * the deadline is too near. A retried job with the same key never creates a second batch.
 */
export async function submitSlowGroup(deps: SlowLaneDeps, group: SlowGroup): Promise<SubmitOutcome> {
  const config = configOf(deps);
  const t = target(deps);
  const slots = Array.from({ length: group.need }, (_, i) => i);
  // Work that cannot wait for a batch: flex where the provider sells it, the fast lane for the rest.
  const fast = async (reason: "no_batch_api" | "deadline_near"): Promise<SubmitOutcome> => {
    const out = await runSyncLanes(deps, group, slots, []);
    if (out.delivered.length > 0) await deps.delivery.deliver(group, out.delivered);
    const failed = slots.length - out.delivered.length;
    await deps.delivery.finish?.(group, { providerStatus: "none", lines: 0, fromBatch: 0, toFastLane: slots.length, fromFastLane: out.delivered.length, resubmitted: 0, failed, batchCostUsd: 0 });
    return { lane: "fast", reason, delivered: out.delivered.length, failed: slots.length - out.delivered.length, viaFlex: out.delivered.filter((d) => d.lane === "flex").length };
  };
  if (!hasBatchLane(t)) return fast("no_batch_api");
  if (group.deadlineAt - deps.clock.now() < config.minLeadMs) return fast("deadline_near");
  return submitSlots(deps, group, slots, 0);
}

async function submitSlots(deps: SlowLaneDeps, group: SlowGroup, slots: number[], attempt: number): Promise<SubmitOutcome & { lane: "slow" }> {
  const config = configOf(deps);
  const t = target(deps);
  const key = attempt === 0 ? group.key : `${group.key}~r${attempt}`;
  const chunks = planChunks(key, slots, lineSize(t, config.maxPerLine));
  const payload: SlowPayload = { group, chunks, attempt };
  const rec = await deps.store.record({ key, provider: t.provider, model: t.model, chunkIds: chunks.map((c) => c.chunkId), payload, deadlineAt: group.deadlineAt });
  // Already recorded by an earlier attempt of this job: its batch exists or the poller recovers it.
  if (!rec.created) return { lane: "slow", created: false, batch: rec.batch };
  return { lane: "slow", created: true, batch: await createProviderBatch(deps, rec.batch) };
}

/** Uploads the row's JSONL, creates the batch (key and chunk ids in its metadata) and saves its id. */
async function createProviderBatch(deps: SlowLaneDeps, row: SlowLaneBatchRow): Promise<SlowLaneBatchRow> {
  const payload = row.payload as SlowPayload;
  const t = target(deps);
  const jsonl = buildBatchJsonl({ ...t, model: row.model }, payload.group, payload.chunks);
  const file = await deps.client.files.create({ file: await toFile(Buffer.from(jsonl, "utf8"), `${row.submissionKey.replace(/[^\w.-]+/g, "_")}.jsonl`), purpose: "batch" });
  const ids = row.chunkIds.join(",");
  const batch = await deps.client.batches.create({
    input_file_id: file.id,
    endpoint: BATCH_ENDPOINT,
    completion_window: "24h",
    metadata: { [METADATA_KEY]: row.submissionKey, chunks: ids.length <= 512 ? ids : `${row.chunkIds.length} chunks of ${row.submissionKey}`, row: row.id },
  });
  await deps.afterCreate?.(batch.id);
  return deps.store.setBatch(row.id, batch.id, file.id, batch.status);
}

/** Finds the provider's batch of a row whose id was never saved (the worker died in between). */
export async function findBatchByKey(deps: SlowLaneDeps, key: string): Promise<Batch | null> {
  const config = configOf(deps);
  let after: string | undefined;
  for (let page = 0; page < config.recoverPages; page++) {
    const list = await deps.client.batches.list({ limit: 100, ...(after ? { after } : {}) });
    for (const b of list.data) if (b.metadata?.[METADATA_KEY] === key) return b;
    if (!list.hasNextPage() || list.data.length === 0) return null;
    after = list.data[list.data.length - 1].id;
  }
  return null;
}

export interface PollSummary {
  open: number;
  recovered: number;
  resubmittedLost: number;
  cancelledNearDeadline: number;
  settled: number;
  inFlight: number;
  summaries: SettleSummary[];
}

/** One poll over every open batch; safe to run again at any time (a poll that dies settles nothing twice). */
export async function pollSlowLane(deps: SlowLaneDeps, opts: { signal?: AbortSignal } = {}): Promise<PollSummary> {
  const config = configOf(deps);
  const rows = await deps.store.open(100);
  const out: PollSummary = { open: rows.length, recovered: 0, resubmittedLost: 0, cancelledNearDeadline: 0, settled: 0, inFlight: 0, summaries: [] };
  for (const row of rows) {
    if (opts.signal?.aborted) break;
    try {
      let current = row;
      if (row.status === "submitting") {
        // Database time on both sides; a younger row may still be on its way to the provider.
        if (Date.now() - Date.parse(row.createdAt) < config.recoverAfterMs) continue;
        const found = await findBatchByKey(deps, row.submissionKey);
        if (found) {
          current = await deps.store.setBatch(row.id, found.id, found.input_file_id, found.status);
          out.recovered++;
        } else {
          // Never created: create it now (the row is the record that it is owed).
          current = await createProviderBatch(deps, row);
          out.resubmittedLost++;
          continue;
        }
      }
      if (!current.providerBatchId) continue;
      let batch = await deps.client.batches.retrieve(current.providerBatchId);
      const payload = current.payload as SlowPayload;
      if (!TERMINAL.has(batch.status) && payload.group.deadlineAt - deps.clock.now() < config.deadlineMarginMs && batch.status !== "cancelling") {
        // Too close to the deadline: stop waiting; what is done is kept, the rest goes fast.
        batch = await deps.client.batches.cancel(batch.id);
        out.cancelledNearDeadline++;
      }
      if (!TERMINAL.has(batch.status)) {
        out.inFlight++;
        continue;
      }
      const summary = await settleBatch(deps, current, batch);
      if (summary) {
        out.settled++;
        out.summaries.push(summary);
      }
    } catch (err) {
      console.error(`[slowlane] batch ${row.submissionKey} could not be polled; the next poll retries`, err);
    }
  }
  return out;
}

async function fileText(deps: SlowLaneDeps, id: string | null | undefined): Promise<BatchOutputLine[]> {
  if (!id) return [];
  return parseJsonl(await (await deps.client.files.content(id)).text());
}

/** Reads a finished batch, delivers its lessons and sends every open slot on (resubmit or fast lane). */
export async function settleBatch(deps: SlowLaneDeps, row: SlowLaneBatchRow, batch: Batch): Promise<SettleSummary | null> {
  const config = configOf(deps);
  const payload = row.payload as SlowPayload;
  const group = payload.group;
  const t = { provider: target(deps).provider, model: row.model };
  const lines = [...(await fileText(deps, batch.output_file_id)), ...(await fileText(deps, batch.error_file_id))];
  const read = readBatchResults({
    llm: deps.llm,
    target: t,
    group,
    batchId: batch.id,
    chunks: payload.chunks,
    lines,
    providerStatus: batch.status,
    createdAt: batch.created_at * 1000,
    finishedAt: (batch.completed_at ?? batch.expired_at ?? batch.cancelled_at ?? batch.failed_at ?? batch.created_at) * 1000,
    random: deps.random,
  });
  await deps.usage.record(read.events);
  if (read.accepted.length > 0) await deps.delivery.deliver(group, read.accepted);

  // What expired (or was cancelled) may wait for another batch if the deadline is far; the rest is
  // repaired through the fast lane now.
  const retryable = (r: OpenReason) => r === "expired" || r === "cancelled";
  const far = group.deadlineAt - deps.clock.now() >= config.resubmitLeadMs && payload.attempt < config.maxResubmits;
  const resubmit = far ? read.open.filter((o) => retryable(o.reason)).map((o) => o.slot) : [];
  const fastSlots = read.open.map((o) => o.slot).filter((s) => !resubmit.includes(s));
  // The resubmitted group owes only those slots (its finish settles what this batch could not).
  if (resubmit.length > 0) await submitSlots(deps, { ...group, need: resubmit.length, avoidTitles: [...group.avoidTitles, ...read.titles] }, resubmit, payload.attempt + 1);
  const summary: SettleSummary = {
    providerStatus: batch.status,
    lines: payload.chunks.length,
    fromBatch: read.accepted.length,
    toFastLane: fastSlots.length,
    fromFastLane: 0,
    resubmitted: resubmit.length,
    failed: 0,
    batchCostUsd: read.events.reduce((s, e) => s + e.costUsd, 0),
  };
  // Close the row before the fast lane runs: only the poller that closes it repairs, so two pollers
  // (or a poll retried after a crash) never pay for the same slot twice. A crash during the repair
  // leaves those slots to the sweep; the row's result says how many were handed to the fast lane.
  if (!(await deps.store.finish(row.id, batch.status, summary))) return null;
  if (fastSlots.length > 0) {
    const fromFast = (await runSyncLanes(deps, group, fastSlots, read.titles)).delivered;
    if (fromFast.length > 0) await deps.delivery.deliver(group, fromFast);
    summary.fromFastLane = fromFast.length;
    summary.failed = fastSlots.length - fromFast.length;
  }
  if (resubmit.length === 0) await deps.delivery.finish?.(group, summary);
  return summary;
}

/**
 * Slots that cannot wait for a batch: flex calls first where the provider sells flex for the model
 * (batch price, may answer 429 resource unavailable), then the fast lane for whatever flex did not
 * deliver. Both run the ordinary engine (same prompts, validation and dedupe).
 */
export async function runSyncLanes(deps: SlowLaneDeps, group: SlowGroup, slots: readonly number[], acceptedTitles: readonly string[]): Promise<{ delivered: DeliveredLesson[] }> {
  const config = configOf(deps);
  if (slots.length === 0) return { delivered: [] };
  if (!config.flex || !hasFlexLane(target(deps))) return runFastLane(deps, group, slots, acceptedTitles);
  const flex = await runFastLane(deps, group, slots, acceptedTitles, "flex");
  const got = new Set(flex.delivered.map((d) => d.slot));
  const rest = slots.filter((s) => !got.has(s));
  if (rest.length === 0) return flex;
  const fast = await runFastLane(deps, group, rest, [...acceptedTitles, ...flex.delivered.map((d) => d.lesson.title)]);
  return { delivered: [...flex.delivered, ...fast.delivered] };
}

/** Some slots of a group through the ordinary engine, background model: lane "fast", or "flex" calls. */
export async function runFastLane(deps: SlowLaneDeps, group: SlowGroup, slots: readonly number[], acceptedTitles: readonly string[], lane: "fast" | "flex" = "fast"): Promise<{ delivered: DeliveredLesson[] }> {
  const avoidTitles = [...group.avoidTitles, ...acceptedTitles];
  const requests = slots.map(() => ({ subject: group.subject, topic: group.topic, difficulty: group.difficulty, avoidTitles }));
  const delivered: DeliveredLesson[] = [];
  const llm = lane === "flex" ? flexGateway(deps.llm) : deps.llm;
  const usage: UsageSink = lane === "flex" ? { record: (events) => deps.usage.record(events.map(flexEvent)) } : laneSink(deps.usage);
  const results = generateLessonBatch({ llm, usage, clock: deps.clock, random: deps.random }, requests, {
    priority: "background",
    feature: "fyp-sweep",
    requestId: group.requestId,
    stream: false,
  });
  for await (const r of results) {
    if (r.ok) delivered.push({ slot: slots[r.index], lesson: r.lesson, via: r.via, model: r.model, lane });
  }
  return { delivered };
}
