// Browser-side calls to the HTTP API (docs/api.md): JSON in, JSON out parsed with the route's response
// schema from lib/contracts, errors as ApiError values.
import type { z } from "zod";
import { errorBody } from "@/lib/contracts/responses";

/** The standard error body, plus the status and any Retry-After the server sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Turns a non-2xx response into an ApiError, tolerating bodies that are not the standard shape. */
export async function toApiError(res: Response): Promise<ApiError> {
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  const body = errorBody.safeParse(json).data;
  const retry = Number(res.headers.get("retry-after"));
  const code = body?.error.code ?? `http_${res.status}`;
  const message = body?.error.message ?? `The server answered ${res.status}.`;
  return new ApiError(res.status, code, message, body?.error.details, Number.isFinite(retry) && retry > 0 ? retry : null);
}

/**
 * fetch + JSON for the app's own API, the answer parsed with `schema`. Throws ApiError on a 4xx/5xx or an
 * answer that does not fit the schema, and a plain Error when offline.
 */
export async function apiFetch<S extends z.ZodType>(
  path: string,
  schema: S,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<z.output<S>> {
  const res = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!res.ok) throw await toApiError(res);
  const parsed = schema.safeParse(res.status === 204 ? undefined : await res.json());
  if (!parsed.success) throw new ApiError(res.status, "invalid_response", "The server's answer was not understood; reload the page.");
  return parsed.data;
}

/** A message fit to show a learner for anything apiFetch threw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.name === "AbortError") return "The request was cancelled.";
  return "Could not reach Lessonloom. Check your connection and try again.";
}
