// Reading a JSON request body safely: at most 64 KB (checked on the header and on the bytes streamed),
// `application/json` only, parsed with a zod schema. Empty bodies are allowed where the schema says so.
import type { z } from "zod";
import { AppError } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () => new AppError("payload_too_large", `The request body must be at most ${MAX_BODY_BYTES / 1024} KB.`);

async function readCapped(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Stop reading: the sender may be streaming without end.
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const mediaType = value.split(";")[0].trim().toLowerCase();
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

export interface ReadBodyOptions {
  /** An empty body is read as `{}` (still validated by the schema). */
  allowEmpty?: boolean;
  maxBytes?: number;
}

/** Reads, size-checks and validates the JSON body; throws AppError (413, 415, 400) on bad input. */
export async function readJsonBody<S extends z.ZodType>(req: Request, schema: S, opts: ReadBodyOptions = {}): Promise<z.output<S>> {
  const bytes = await readCapped(req, opts.maxBytes ?? MAX_BODY_BYTES);
  if (bytes.byteLength === 0 || new TextDecoder().decode(bytes).trim() === "") {
    if (!opts.allowEmpty) throw new AppError("invalid_request", "A JSON request body is required.");
    return parseWith(schema, {});
  }
  if (!isJsonContentType(req.headers.get("content-type"))) throw new AppError("unsupported_media_type");
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("invalid_request", "The request body is not valid JSON.");
  }
  return parseWith(schema, data);
}

/** Validates any input (query, params, body) with a schema; a ZodError becomes 400 invalid_request. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new AppError(
      "invalid_request",
      "The request is not valid.",
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
    );
  }
  return parsed.data;
}

/** Query string as a plain object (repeated keys keep the last value). */
export function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams.entries());
}
