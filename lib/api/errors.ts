// Errors are values with codes: one AppError, one code→status table (docs/api.md), one mapper that turns
// anything thrown into the standard body `{"error": {"code", "message", "details"?}}` without leaking internals.
import { z } from "zod";
import { DbError } from "@/lib/db/port";
import { LlmError } from "@/lib/llm/types";

export const errorStatus = {
  invalid_request: 400,
  playlist_empty: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  quota_exceeded: 429,
  rate_limited: 429,
  topup_limit_reached: 429,
  internal: 500,
  provider_unavailable: 503,
  budget_exhausted: 503,
} as const;

export type AppErrorCode = keyof typeof errorStatus;

const defaultMessages: Record<AppErrorCode, string> = {
  invalid_request: "The request is not valid.",
  playlist_empty: "This playlist has no lessons to base new ones on.",
  unauthenticated: "Sign in first.",
  forbidden: "You are not allowed to do that.",
  not_found: "Not found.",
  conflict: "The request conflicts with an earlier one.",
  payload_too_large: "The request body is too large.",
  unsupported_media_type: "Send the body as application/json.",
  quota_exceeded: "You have used today's lesson quota.",
  rate_limited: "Too many requests; try again shortly.",
  topup_limit_reached: "Your feed has had today's new lessons; more arrive tomorrow.",
  internal: "Something went wrong on our side.",
  provider_unavailable: "The lesson generator is unavailable right now; try again shortly.",
  budget_exhausted: "Lesson generation is paused for today; try again tomorrow.",
};

const appErrorBrand: unique symbol = Symbol.for("lessonloom.AppError");

export class AppError extends Error {
  readonly status: number;
  // Same reason as DbError.is: `instanceof` can miss across server chunks; the registered symbol cannot.
  readonly [appErrorBrand] = true;

  static is(err: unknown): err is AppError {
    return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[appErrorBrand] === true;
  }

  constructor(
    readonly code: AppErrorCode,
    message: string = defaultMessages[code],
    readonly details?: unknown,
    /** Seconds for the `Retry-After` header (429s). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
    this.status = errorStatus[code];
  }
}

export function isAppErrorCode(code: string): code is AppErrorCode {
  return Object.hasOwn(errorStatus, code);
}

// Database functions raise P0001 with an app code as the message (docs/database.md); their `detail`
// is written for humans, so it may be shown.
const dbAppCodes = new Set<AppErrorCode>(["not_found", "forbidden", "invalid_request", "conflict", "playlist_empty", "quota_exceeded", "rate_limited"]);

/** Normalises anything thrown into an AppError; unexpected errors are logged here and become `internal`. */
export function toAppError(err: unknown): AppError {
  if (AppError.is(err)) return err;
  if (err instanceof z.ZodError) {
    return new AppError(
      "invalid_request",
      "The request is not valid.",
      err.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
    );
  }
  if (DbError.is(err) && err.code === "P0001" && isAppErrorCode(err.message) && dbAppCodes.has(err.message)) {
    return new AppError(err.message, err.details ?? defaultMessages[err.message]);
  }
  if (DbError.is(err) && (err.code === "22P02" || err.code === "22007" || err.code === "22008")) {
    // invalid text representation / datetime: bad input that slipped past the schema.
    return new AppError("invalid_request");
  }
  if (LlmError.is(err) && err.code !== "aborted") {
    return new AppError("provider_unavailable");
  }
  console.error("[api] unexpected error", err);
  return new AppError("internal");
}

export function errorBody(err: AppError): { error: { code: AppErrorCode; message: string; details?: unknown } } {
  return { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
}

/** The standard error response for anything thrown. */
export function toErrorResponse(err: unknown): Response {
  const appError = toAppError(err);
  const headers = new Headers({ "Cache-Control": "no-store" });
  if (appError.retryAfterSeconds !== undefined) headers.set("Retry-After", String(Math.max(1, Math.ceil(appError.retryAfterSeconds))));
  return Response.json(errorBody(appError), { status: appError.status, headers });
}
