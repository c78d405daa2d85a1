// Reading a finished batch: output and error files joined to the chunks by `custom_id`; every lesson
// parsed, checked and deduplicated exactly as the fast lane does (lib/batch parse, lib/lessons
// validate and TitleRegistry); one usage event per line at the batch price.
import { createHash } from "node:crypto";
import { answerText, parseLessons } from "@/lib/batch/parse";
import { TitleRegistry } from "@/lib/lessons/dedup";
import { shuffleLessonChoices } from "@/lib/lessons/shuffle";
import { checkLesson } from "@/lib/lessons/validate";
import type { LlmGateway, ModelTarget } from "@/lib/llm/types";
import { roundUsd } from "@/lib/usage/cost";
import { lanePriceFor, PRICE_VERSION, type BillingLane } from "@/lib/usage/prices";
import type { UsageEvent } from "@/lib/usage/types";
import type { DeliveredLesson, SlowChunk, SlowGroup } from "./types";

/** One line of an output or error file (OpenAI's BatchRequestOutput). */
export interface BatchOutputLine {
  id?: string;
  custom_id: string;
  response: { status_code: number; request_id?: string; body: unknown } | null;
  error: { code: string | null; message: string } | null;
}

interface ChatBody {
  choices?: { finish_reason?: string | null; message?: { content?: string | null; tool_calls?: { function?: { arguments?: string } }[] } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
}

/** A stable UUID (v5 layout) for a name: the same batch line always gets the same usage event id. */
export function stableUuid(name: string): string {
  const h = createHash("sha256").update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function parseJsonl(text: string): BatchOutputLine[] {
  const out: BatchOutputLine[] = [];
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    try {
      const line = JSON.parse(raw) as BatchOutputLine;
      if (typeof line.custom_id === "string") out.push(line);
    } catch {
      // a damaged line answers nothing; its chunk is treated as missing
    }
  }
  return out;
}

/** Why a slot is still open after the batch: `retry` ones may be resubmitted, the rest go fast. */
export type OpenReason = "expired" | "cancelled" | "failed" | "invalid" | "missing" | "duplicate";

export interface ReadResult {
  accepted: DeliveredLesson[];
  open: { slot: number; reason: OpenReason }[];
  events: UsageEvent[];
  titles: string[];
}

/** USD of a call in a lane, split like the bill (uncached input, cached input, output). */
export function laneCost(provider: string, model: string, lane: BillingLane, usage: { promptTokens: number; cachedTokens: number; completionTokens: number }) {
  const { price } = lanePriceFor(provider, model, lane);
  const cached = Math.min(Math.max(usage.cachedTokens, 0), usage.promptTokens);
  const inputUsd = roundUsd(((usage.promptTokens - cached) * price.inputPerMTok) / 1e6);
  const cachedUsd = roundUsd((cached * price.cachedInputPerMTok) / 1e6);
  const outputUsd = roundUsd((usage.completionTokens * price.outputPerMTok) / 1e6);
  return { inputUsd, cachedUsd, outputUsd, totalUsd: roundUsd(inputUsd + cachedUsd + outputUsd) };
}

export function readBatchResults(opts: {
  llm: Pick<LlmGateway, "countTokens">;
  target: Pick<ModelTarget, "provider" | "model">;
  group: SlowGroup;
  /** The provider's batch id: with the chunk id it names each line's usage event, so reading a batch twice records it once. */
  batchId: string;
  chunks: readonly SlowChunk[];
  lines: readonly BatchOutputLine[];
  /** The provider's final status: what an unanswered line means (expired, cancelled, failed). */
  providerStatus: string;
  createdAt: number;
  finishedAt: number;
  random?: () => number;
}): ReadResult {
  const { group, target } = opts;
  const byId = new Map(opts.lines.map((l) => [l.custom_id, l]));
  const registry = new TitleRegistry(group.avoidTitles, [group.topic, group.subject]);
  const result: ReadResult = { accepted: [], open: [], events: [], titles: [] };
  const notRun: OpenReason = opts.providerStatus === "expired" ? "expired" : opts.providerStatus === "cancelled" ? "cancelled" : "failed";

  for (const chunk of opts.chunks) {
    const line = byId.get(chunk.chunkId);
    const k = chunk.slots.length;
    const filled = new Set<number>();
    let reason: OpenReason = "missing";
    let usage = { promptTokens: 0, cachedTokens: 0, completionTokens: 0 };
    let finishReason: string | null = null;
    let errorCode: string | null = null;
    const status = line?.response?.status_code ?? null;
    if (!line) {
      reason = notRun;
      errorCode = `batch_${notRun}`;
    } else if (line.error || !line.response || line.response.status_code !== 200) {
      const code = line.error?.code ?? null;
      reason = code === "batch_expired" ? "expired" : code === "batch_cancelled" ? "cancelled" : "failed";
      errorCode = code ?? "provider_error";
    } else {
      const body = line.response.body as ChatBody;
      const choice = body.choices?.[0];
      finishReason = choice?.finish_reason ?? null;
      usage = {
        promptTokens: body.usage?.prompt_tokens ?? 0,
        cachedTokens: body.usage?.prompt_tokens_details?.cached_tokens ?? 0,
        completionTokens: body.usage?.completion_tokens ?? 0,
      };
      const text = answerText({ toolArguments: choice?.message?.tool_calls?.[0]?.function?.arguments ?? null, content: choice?.message?.content ?? null });
      const parsed = parseLessons(text);
      reason = parsed.problem ? "invalid" : "missing";
      for (const raw of parsed.lessons) {
        const check = checkLesson(raw);
        if (!check.ok) {
          reason = "invalid";
          continue;
        }
        // A lesson goes to the slot it names; without a usable one, to the first open slot.
        const s = check.slot !== undefined && check.slot < k && !filled.has(check.slot) ? check.slot : [...Array(k).keys()].find((i) => !filled.has(i));
        if (s === undefined) continue; // more lessons than asked
        if (registry.claim(check.lesson.title) !== null) {
          reason = "duplicate";
          continue;
        }
        filled.add(s);
        const lesson = { ...shuffleLessonChoices(check.lesson, opts.random), difficulty: group.difficulty, subject: group.subject, topic: group.topic };
        result.accepted.push({ slot: chunk.slots[s], lesson, via: k > 1 ? "single-call" : "single", model: target.model, lane: "batch" });
        result.titles.push(check.lesson.title);
      }
      if (filled.size === 0) errorCode = parsed.problem ? "invalid_output" : "missing";
    }
    for (let s = 0; s < k; s++) if (!filled.has(s)) result.open.push({ slot: chunk.slots[s], reason });
    const split = laneCost(target.provider, target.model, "batch", usage);
    result.events.push({
      id: stableUuid(`${opts.batchId}:${chunk.chunkId}`),
      createdAt: new Date(opts.finishedAt).toISOString(),
      requestId: group.requestId,
      userId: null,
      feature: "fyp-sweep",
      mode: k > 1 ? "single-call" : "single",
      provider: target.provider,
      model: target.model,
      attempt: 1,
      lessonsAsked: k,
      lessonsValid: filled.size,
      promptTokens: usage.promptTokens,
      cachedTokens: usage.cachedTokens,
      completionTokens: usage.completionTokens,
      latencyMs: Math.max(0, Math.round(opts.finishedAt - opts.createdAt)),
      ttftMs: null,
      httpStatus: status,
      finishReason,
      errorCode: filled.size > 0 ? null : errorCode,
      costUsd: split.totalUsd,
      inputUsd: split.inputUsd,
      cachedUsd: split.cachedUsd,
      outputUsd: split.outputUsd,
      // The batch saving is by lane (cost ÷ the lane's factor − cost), not the one-call-per-lesson
      // counterfactual, which these lines do not claim.
      counterfactualPromptTokens: null,
      counterfactualCostUsd: null,
      priceVersion: PRICE_VERSION,
      circuitOpen: false,
      lane: "batch",
    });
  }
  return result;
}
