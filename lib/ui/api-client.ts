// Browser-side calls to the HTTP API (docs/api.md): JSON in, JSON out, errors as ApiError values.

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

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Turns a non-2xx response into an ApiError, tolerating bodies that are not the standard shape. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: ErrorBody | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    body = null;
  }
  const retry = Number(res.headers.get("retry-after"));
  const code = typeof body?.error?.code === "string" ? body.error.code : `http_${res.status}`;
  const message =
    typeof body?.error?.message === "string" ? body.error.message : `The server answered ${res.status}.`;
  return new ApiError(res.status, code, message, body?.error?.details, Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** fetch + JSON for the app's own API. Throws ApiError on a 4xx/5xx and a plain Error when offline. */
export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A message fit to show a learner for anything apiFetch threw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.name === "AbortError") return "The request was cancelled.";
  return "Could not reach Lessonloom. Check your connection and try again.";
}
