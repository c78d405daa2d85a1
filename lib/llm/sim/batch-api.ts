// The simulator's slow lane: OpenAI's Files API (`/v1/files`, purpose "batch"), Batch API
// (`/v1/batches`: create with metadata, retrieve, cancel, list) and the flex service tier on chat
// completions. Batches run on the simulator's time-scaled clock:
//   - a batch's completion time is drawn from a log-normal (median `batchMedianMs`, default 1 h
//     simulated, σ = `batchSigma`): most finish within the hour, a long tail reaches the 24 h window;
//   - with probability `batchExpireRate` (and whenever the draw passes 24 h) the batch expires at the
//     end of its window with only part of its lines done: the done ones are in the output file, the
//     rest in the error file as `batch_expired` (as OpenAI does);
//   - each line fails on its own with probability `batchLineErrorRate` (an error-file line with a 500);
//   - every line's answer is a real chat completion (same generator, token counts and usage) made by
//     a private twin simulator without rate limits or latency.
// Flex: a chat completion with `service_tier: "flex"` answers 429 "resource unavailable" with
// probability `flex429Rate`; otherwise it is served like any call and says `service_tier: "flex"`.
// Counters: GET /v1/sim/batch-stats. Never imports app code (like the rest of the simulator).
import type { TopicLedger } from "./generation";
import { createRandom } from "./random";

export interface SlowLaneSimOptions {
  /** Median time from create to completed, simulated ms (default 1 h). */
  batchMedianMs?: number;
  /** Spread of the log-normal completion time (default 1.2: p90 ≈ 4.7× the median). */
  batchSigma?: number;
  /** Chance a batch expires at the end of its 24 h window whatever its draw (default 0.02). */
  batchExpireRate?: number;
  /** Fraction of lines done when a batch expires (default: drawn uniformly in 0.2–0.8). */
  batchExpireDoneFraction?: number;
  /** Chance one line fails with a server error in the error file (default 0.005). */
  batchLineErrorRate?: number;
  /** Chance a flex call answers 429 "resource unavailable" (default 0.05). */
  flex429Rate?: number;
  /**
   * Internal: the twin that answers batch lines shares its parent's topic ledger, so a lesson written
   * in a batch line is not written again by an ordinary call (as one model would not repeat itself).
   */
  batchTwinLedger?: TopicLedger;
}

export interface BatchSimStats {
  filesUploaded: number;
  batchesCreated: number;
  batchesByStatus: Record<string, number>;
  /** Lines answered with a chat completion (each billed at the batch price). */
  linesCompleted: number;
  linesFailed: number;
  linesExpired: number;
  promptTokens: number;
  completionTokens: number;
  flexCalls: number;
  flex429: number;
}

export const BATCH_WINDOW_MS = 24 * 3600_000;

type Status = "validating" | "failed" | "in_progress" | "finalizing" | "completed" | "expired" | "cancelling" | "cancelled";

interface SimFile {
  id: string;
  filename: string;
  purpose: string;
  createdAt: number; // simulated ms
  text: string;
}

interface InputLine {
  custom_id: string;
  method: string;
  url: string;
  body: Record<string, unknown>;
}

interface SimBatch {
  id: string;
  endpoint: string;
  inputFileId: string;
  metadata: Record<string, string> | null;
  createdAt: number;
  lines: InputLine[];
  /** When validation ends, when it would complete, and when its window ends (simulated ms). */
  validatedAt: number;
  completesAt: number;
  expiresAt: number;
  /** Fraction of lines done if it expires; null when it completes in time. */
  expireFraction: number | null;
  status: Status;
  errors: { code: string; message: string; line: number | null; param: string | null }[] | null;
  cancelRequestedAt: number | null;
  finishedAt: number | null;
  outputFileId: string | null;
  errorFileId: string | null;
  counts: { total: number; completed: number; failed: number };
  usage: { input_tokens: number; output_tokens: number; total_tokens: number; input_tokens_details: { cached_tokens: number }; output_tokens_details: { reasoning_tokens: number } };
  settling: Promise<void> | null;
}

export interface SlowLaneDeps {
  now(): number;
  seed: number;
  /** Answers one line's body as a chat completion, with no rate limit and no latency. */
  runLine(bodyText: string): Promise<Response>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function apiError(status: number, message: string, code: string | null = null, param: string | null = null): Response {
  return json(status, { error: { message, type: "invalid_request_error", param, code } });
}

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

/** A standard normal draw (Box–Muller). */
function normal(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function createSlowLaneApi(deps: SlowLaneDeps, opts: SlowLaneSimOptions = {}) {
  const median = opts.batchMedianMs ?? 3600_000;
  const sigma = opts.batchSigma ?? 1.2;
  const expireRate = opts.batchExpireRate ?? 0.02;
  const lineErrorRate = opts.batchLineErrorRate ?? 0.005;
  const flexRate = opts.flex429Rate ?? 0.05;
  const rng = createRandom(deps.seed ^ 0x00ba_7c4e);
  const lineRng = createRandom(deps.seed ^ 0x0011_4e5e);
  const flexRng = createRandom(deps.seed ^ 0x00f1_e8a5);
  const files = new Map<string, SimFile>();
  const batches = new Map<string, SimBatch>();
  let seq = 0;
  // Provider ids are unique across accounts and restarts: a random tag per simulator instance.
  const tag = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, "0");
  const stats: BatchSimStats = {
    filesUploaded: 0,
    batchesCreated: 0,
    batchesByStatus: {},
    linesCompleted: 0,
    linesFailed: 0,
    linesExpired: 0,
    promptTokens: 0,
    completionTokens: 0,
    flexCalls: 0,
    flex429: 0,
  };
  const nextId = (prefix: string) => `${prefix}_sim${tag}${(++seq).toString(36).padStart(6, "0")}`;

  function fileObject(f: SimFile) {
    return { id: f.id, object: "file", bytes: Buffer.byteLength(f.text), created_at: seconds(f.createdAt), filename: f.filename, purpose: f.purpose, status: "processed" };
  }

  function addFile(text: string, purpose: string, filename: string): SimFile {
    const f: SimFile = { id: nextId("file"), filename, purpose, createdAt: deps.now(), text };
    files.set(f.id, f);
    return f;
  }

  async function uploadFile(headers: Headers, bodyText: string): Promise<Response> {
    let form: FormData;
    // In fetch mode the SDK hands over a FormData and no content-type (fetch would add it): the
    // boundary is then read from the body's first line.
    let contentType = headers.get("content-type") ?? "";
    if (!contentType.includes("boundary=") && bodyText.startsWith("--")) contentType = `multipart/form-data; boundary=${bodyText.slice(2, bodyText.indexOf("\r\n"))}`;
    try {
      form = await new Response(bodyText, { headers: { "content-type": contentType } }).formData();
    } catch {
      return apiError(400, "The request must be multipart/form-data with `file` and `purpose`.");
    }
    const purpose = form.get("purpose");
    const file = form.get("file");
    if (typeof purpose !== "string" || !purpose) return apiError(400, "Missing required parameter: 'purpose'.", null, "purpose");
    if (!file || typeof file === "string") return apiError(400, "Missing required parameter: 'file'.", null, "file");
    const text = await file.text();
    stats.filesUploaded++;
    return json(200, fileObject(addFile(text, purpose, file.name || "upload.jsonl")));
  }

  /** Parses and checks an input file as OpenAI's validation does; errors fail the batch. */
  function validate(text: string, endpoint: string): { lines: InputLine[]; errors: SimBatch["errors"] } {
    const errors: NonNullable<SimBatch["errors"]> = [];
    const lines: InputLine[] = [];
    const seen = new Set<string>();
    let model: unknown = undefined;
    text.split("\n").forEach((raw, i) => {
      if (raw.trim() === "") return;
      let line: InputLine;
      try {
        line = JSON.parse(raw) as InputLine;
      } catch {
        errors.push({ code: "invalid_json_line", message: "This line is not parseable as valid JSON.", line: i + 1, param: null });
        return;
      }
      if (typeof line.custom_id !== "string" || !line.custom_id) errors.push({ code: "missing_required_parameter", message: "Missing custom_id.", line: i + 1, param: "custom_id" });
      else if (seen.has(line.custom_id)) errors.push({ code: "duplicate_custom_id", message: "The custom_id for this request is a duplicate of another request.", line: i + 1, param: "custom_id" });
      if (line.url !== endpoint) errors.push({ code: "invalid_url", message: `The URL provided for this request does not match the batch endpoint ${endpoint}.`, line: i + 1, param: "url" });
      if (!line.body || typeof line.body !== "object") errors.push({ code: "missing_required_parameter", message: "Missing body.", line: i + 1, param: "body" });
      else if (model !== undefined && line.body.model !== model) errors.push({ code: "mismatched_model", message: "Every request in a batch must use the same model.", line: i + 1, param: "body.model" });
      else model = line.body.model;
      seen.add(line.custom_id);
      lines.push(line);
    });
    if (lines.length === 0 && errors.length === 0) errors.push({ code: "empty_file", message: "The batch input file is empty.", line: null, param: null });
    if (lines.length > 50_000) errors.push({ code: "too_many_requests", message: "A batch can hold at most 50,000 requests.", line: null, param: null });
    return { lines, errors: errors.length > 0 ? errors : null };
  }

  async function createBatch(bodyText: string): Promise<Response> {
    let body: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown };
    try {
      body = JSON.parse(bodyText);
    } catch {
      return apiError(400, "We could not parse the JSON body of your request.");
    }
    if (body.completion_window !== "24h") return apiError(400, "completion_window must be '24h'.", null, "completion_window");
    if (body.endpoint !== "/v1/chat/completions") return apiError(400, "The simulator batches /v1/chat/completions only.", null, "endpoint");
    const file = typeof body.input_file_id === "string" ? files.get(body.input_file_id) : undefined;
    if (!file) return apiError(404, `No such File object: ${String(body.input_file_id)}`, null, "input_file_id");
    if (file.purpose !== "batch") return apiError(400, "The input file must be uploaded with purpose 'batch'.", null, "input_file_id");
    const metadata = body.metadata && typeof body.metadata === "object" ? (body.metadata as Record<string, string>) : null;
    if (metadata) {
      const entries = Object.entries(metadata);
      if (entries.length > 16 || entries.some(([k, v]) => k.length > 64 || typeof v !== "string" || v.length > 512)) {
        return apiError(400, "metadata: at most 16 keys of up to 64 characters, string values of up to 512.", null, "metadata");
      }
    }
    const now = deps.now();
    const { lines, errors } = validate(file.text, body.endpoint);
    // Completion time: log-normal around the median; past the window (or by chance) it expires.
    const drawn = median * Math.exp(sigma * normal(rng));
    const expires = rng() < expireRate || drawn >= BATCH_WINDOW_MS;
    const validatedAt = now + Math.min(60_000, Math.max(1000, drawn * 0.02));
    const batch: SimBatch = {
      id: nextId("batch"),
      endpoint: body.endpoint,
      inputFileId: file.id,
      metadata,
      createdAt: now,
      lines,
      validatedAt,
      completesAt: expires ? now + BATCH_WINDOW_MS : Math.max(validatedAt + 1000, now + drawn),
      expiresAt: now + BATCH_WINDOW_MS,
      expireFraction: expires ? (opts.batchExpireDoneFraction ?? 0.2 + 0.6 * rng()) : null,
      status: "validating",
      errors,
      cancelRequestedAt: null,
      finishedAt: null,
      outputFileId: null,
      errorFileId: null,
      counts: { total: lines.length, completed: 0, failed: 0 },
      usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
      settling: null,
    };
    batches.set(batch.id, batch);
    stats.batchesCreated++;
    return json(200, await view(batch));
  }

  /** Runs the first `done` lines (in input order) and writes the output and error files. */
  async function settle(batch: SimBatch, final: "completed" | "expired" | "cancelled", done: number): Promise<void> {
    const out: string[] = [];
    const err: string[] = [];
    for (let i = 0; i < batch.lines.length; i++) {
      const line = batch.lines[i];
      const reqId = `batch_req_${batch.id}_${i}`;
      if (i >= done) {
        const code = final === "expired" ? "batch_expired" : "batch_cancelled";
        const message = final === "expired" ? "This request could not be executed before the completion window expired." : "This request was not executed because the batch was cancelled.";
        err.push(JSON.stringify({ id: reqId, custom_id: line.custom_id, response: null, error: { code, message } }));
        batch.counts.failed++;
        if (final === "expired") stats.linesExpired++;
        continue;
      }
      if (lineRng() < lineErrorRate) {
        const body = { error: { message: "The server had an error while processing your request. Sorry about that!", type: "server_error", param: null, code: null } };
        err.push(JSON.stringify({ id: reqId, custom_id: line.custom_id, response: { status_code: 500, request_id: `req_${reqId}`, body }, error: null }));
        batch.counts.failed++;
        stats.linesFailed++;
        continue;
      }
      const response = await deps.runLine(JSON.stringify({ ...line.body, stream: false }));
      const body = (await response.json()) as { usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } }; service_tier?: string };
      const record = { id: reqId, custom_id: line.custom_id, response: { status_code: response.status, request_id: `req_${reqId}`, body: { ...body, service_tier: "batch" } }, error: null };
      if (response.status === 200) {
        out.push(JSON.stringify(record));
        batch.counts.completed++;
        stats.linesCompleted++;
        const p = body.usage?.prompt_tokens ?? 0;
        const c = body.usage?.completion_tokens ?? 0;
        batch.usage.input_tokens += p;
        batch.usage.output_tokens += c;
        batch.usage.total_tokens += p + c;
        batch.usage.input_tokens_details.cached_tokens += body.usage?.prompt_tokens_details?.cached_tokens ?? 0;
        stats.promptTokens += p;
        stats.completionTokens += c;
      } else {
        err.push(JSON.stringify(record));
        batch.counts.failed++;
        stats.linesFailed++;
      }
    }
    if (out.length > 0) batch.outputFileId = addFile(out.map((l) => `${l}\n`).join(""), "batch_output", `${batch.id}_output.jsonl`).id;
    if (err.length > 0) batch.errorFileId = addFile(err.map((l) => `${l}\n`).join(""), "batch_output", `${batch.id}_error.jsonl`).id;
    batch.status = final;
    stats.batchesByStatus[final] = (stats.batchesByStatus[final] ?? 0) + 1;
  }

  /** Moves a batch along its timeline up to now. */
  async function advance(batch: SimBatch): Promise<void> {
    if (batch.settling) return batch.settling;
    const now = deps.now();
    if (batch.status === "validating" && now >= batch.validatedAt) {
      if (batch.errors) {
        batch.status = "failed";
        batch.finishedAt = batch.validatedAt;
        stats.batchesByStatus.failed = (stats.batchesByStatus.failed ?? 0) + 1;
        return;
      }
      batch.status = "in_progress";
    }
    if (batch.status === "in_progress" || batch.status === "cancelling") {
      let final: "completed" | "expired" | "cancelled" | null = null;
      let done = batch.lines.length;
      if (batch.status === "cancelling" && batch.cancelRequestedAt !== null) {
        final = "cancelled";
        done = Math.floor(batch.lines.length * progress(batch, batch.cancelRequestedAt));
      } else if (now >= batch.completesAt) {
        final = batch.expireFraction !== null ? "expired" : "completed";
        if (batch.expireFraction !== null) done = Math.floor(batch.lines.length * batch.expireFraction);
      } else if (now >= batch.completesAt - Math.min(60_000, (batch.completesAt - batch.createdAt) * 0.02)) {
        batch.status = "finalizing";
      }
      if (final) {
        const at = final === "cancelled" ? now : batch.completesAt;
        batch.settling = settle(batch, final, done).then(() => {
          batch.finishedAt = at;
          batch.settling = null;
        });
        return batch.settling;
      }
    }
    if (batch.status === "finalizing" && now >= batch.completesAt) {
      batch.status = "in_progress";
      return advance(batch);
    }
  }

  /** Share of the lines done at `at` (for counts in flight and for a cancel). */
  function progress(batch: SimBatch, at: number): number {
    if (at <= batch.validatedAt) return 0;
    const end = batch.completesAt;
    const f = Math.min(1, (at - batch.validatedAt) / Math.max(1, end - batch.validatedAt));
    return batch.expireFraction !== null ? f * batch.expireFraction : f;
  }

  async function view(batch: SimBatch) {
    await advance(batch);
    const inFlight = batch.status === "in_progress" || batch.status === "finalizing" || batch.status === "cancelling";
    const counts = inFlight ? { total: batch.lines.length, completed: Math.floor(batch.lines.length * progress(batch, deps.now())), failed: 0 } : batch.counts;
    const terminal = !inFlight && batch.status !== "validating";
    return {
      id: batch.id,
      object: "batch",
      endpoint: batch.endpoint,
      model: typeof batch.lines[0]?.body.model === "string" ? batch.lines[0].body.model : undefined,
      errors: batch.errors ? { object: "list", data: batch.errors } : null,
      input_file_id: batch.inputFileId,
      completion_window: "24h",
      status: batch.status,
      output_file_id: batch.outputFileId,
      error_file_id: batch.errorFileId,
      created_at: seconds(batch.createdAt),
      in_progress_at: batch.status === "validating" || batch.status === "failed" ? null : seconds(batch.validatedAt),
      expires_at: seconds(batch.expiresAt),
      finalizing_at: batch.status === "finalizing" || (terminal && batch.status !== "failed") ? seconds(Math.min(batch.completesAt, batch.finishedAt ?? batch.completesAt)) : null,
      completed_at: batch.status === "completed" ? seconds(batch.finishedAt) : null,
      failed_at: batch.status === "failed" ? seconds(batch.finishedAt) : null,
      expired_at: batch.status === "expired" ? seconds(batch.finishedAt) : null,
      cancelling_at: seconds(batch.cancelRequestedAt),
      cancelled_at: batch.status === "cancelled" ? seconds(batch.finishedAt) : null,
      request_counts: counts,
      usage: terminal ? batch.usage : undefined,
      metadata: batch.metadata,
    };
  }

  async function listBatches(url: URL): Promise<Response> {
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get("limit") ?? 20) || 20));
    const after = url.searchParams.get("after");
    // Newest first, as the real API lists them.
    const all = [...batches.values()].reverse();
    const start = after ? all.findIndex((b) => b.id === after) + 1 : 0;
    const page = all.slice(start, start + limit);
    const data = [];
    for (const b of page) data.push(await view(b));
    return json(200, { object: "list", data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: start + limit < all.length });
  }

  /** Handles the slow lane's routes; null for anything else (the simulator's router goes on). */
  async function route(method: string, url: string, bodyText: string, headers: Headers): Promise<Response | null> {
    const u = new URL(url, "http://sim.local");
    const path = u.pathname.replace(/\/+$/, "");
    if (method === "POST" && path.endsWith("/chat/completions")) {
      let tier: unknown;
      try {
        tier = (JSON.parse(bodyText) as { service_tier?: unknown }).service_tier;
      } catch {
        return null;
      }
      if (tier !== "flex") return null;
      stats.flexCalls++;
      if (flexRng() < flexRate) {
        stats.flex429++;
        return json(429, { error: { message: "Resource unavailable: flex capacity is exhausted right now. Please retry later or use the default tier.", type: "resource_unavailable", param: null, code: "resource_unavailable" } }, { "retry-after": "1" });
      }
      return null; // served as an ordinary call, billed at the flex price by the caller
    }
    if (path.endsWith("/sim/batch-stats")) return json(200, stats);
    const fileMatch = /\/files(?:\/([^/]+))?(\/content)?$/.exec(path);
    if (fileMatch) {
      const [, id, content] = fileMatch;
      if (!id && method === "POST") return uploadFile(headers, bodyText);
      if (!id && method === "GET") return json(200, { object: "list", data: [...files.values()].map(fileObject), has_more: false });
      const f = id ? files.get(id) : undefined;
      if (!f) return apiError(404, `No such File object: ${id}`, null, "id");
      if (method === "GET" && content) return new Response(f.text, { status: 200, headers: { "content-type": "application/octet-stream" } });
      if (method === "GET") return json(200, fileObject(f));
      if (method === "DELETE") {
        files.delete(f.id);
        return json(200, { id: f.id, object: "file", deleted: true });
      }
      return null;
    }
    const batchMatch = /\/batches(?:\/([^/]+))?(\/cancel)?$/.exec(path);
    if (batchMatch) {
      const [, id, cancel] = batchMatch;
      if (!id && method === "POST") return createBatch(bodyText);
      if (!id && method === "GET") return listBatches(u);
      const b = id ? batches.get(id) : undefined;
      if (!b) return apiError(404, `No batch found with id '${id}'.`, null, "batch_id");
      if (method === "POST" && cancel) {
        await advance(b);
        if (b.status === "validating" || b.status === "in_progress" || b.status === "finalizing") {
          b.status = "cancelling";
          b.cancelRequestedAt = deps.now();
        }
        return json(200, await view(b));
      }
      if (method === "GET") return json(200, await view(b));
      return null;
    }
    return null;
  }

  return { route, stats: (): BatchSimStats => ({ ...stats, batchesByStatus: { ...stats.batchesByStatus } }) };
}
