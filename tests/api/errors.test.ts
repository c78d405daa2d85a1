import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, errorStatus, toErrorResponse } from "@/lib/api/errors";
import { DbError } from "@/lib/db/port";
import { LlmError } from "@/lib/llm/types";

async function body(res: Response) {
  return (await res.json()) as { error: { code: string; message: string; details?: unknown } };
}

describe("toErrorResponse", () => {
  it("maps every AppError code to its documented status", async () => {
    for (const [code, status] of Object.entries(errorStatus)) {
      const res = toErrorResponse(new AppError(code as keyof typeof errorStatus));
      expect(res.status).toBe(status);
      expect((await body(res)).error.code).toBe(code);
    }
  });

  it("sets Retry-After on 429s", () => {
    const res = toErrorResponse(new AppError("quota_exceeded", "no", { remaining: 0 }, 3600.2));
    expect(res.headers.get("retry-after")).toBe("3601");
  });

  it("turns zod errors into invalid_request with the issue list", async () => {
    const parsed = z.strictObject({ count: z.number() }).safeParse({ count: "3" });
    const res = toErrorResponse(parsed.error);
    expect(res.status).toBe(400);
    const b = await body(res);
    expect(b.error.code).toBe("invalid_request");
    expect(b.error.details).toEqual([{ path: "count", message: expect.any(String) }]);
  });

  it("maps P0001 app codes from the database and hides anything else", async () => {
    const nf = toErrorResponse(new DbError("not_found", "P0001", "No such playlist."));
    expect(nf.status).toBe(404);
    expect(await body(nf)).toEqual({ error: { code: "not_found", message: "No such playlist." } });
    expect(toErrorResponse(new DbError("playlist_empty", "P0001")).status).toBe(400);

    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = toErrorResponse(new DbError('relation "secret_table" does not exist', "42P01"));
    expect(res.status).toBe(500);
    const text = JSON.stringify(await body(res));
    expect(text).not.toContain("secret_table");
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it("maps provider failures to 503 and unknown errors to a generic 500", async () => {
    expect(toErrorResponse(new LlmError("provider_error", "upstream 502 from api.example")).status).toBe(503);
    const spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = toErrorResponse(new Error("ECONNREFUSED 10.0.0.3:5432 password=hunter2"));
    expect(res.status).toBe(500);
    expect(JSON.stringify(await body(res))).not.toMatch(/ECONNREFUSED|hunter2/);
    spy.mockRestore();
  });
});

describe("error brands", () => {
  // Next can load a module once per server chunk; an error built by another copy of the class must
  // still be recognised, or a 404 turns into a 500.
  it("recognise errors from another copy of the class, and nothing else", () => {
    const fromOtherCopy = Object.assign(new Error("not_found"), { [Symbol.for("lessonloom.DbError")]: true, code: "P0001" });
    expect(DbError.is(fromOtherCopy)).toBe(true);
    expect(DbError.is(new Error("not_found"))).toBe(false);
    expect(DbError.is(null)).toBe(false);
    expect(toErrorResponse(fromOtherCopy).status).toBe(404);
    expect(AppError.is(new AppError("conflict"))).toBe(true);
    expect(LlmError.is(new LlmError("timeout", "slow"))).toBe(true);
    expect(LlmError.is(new DbError("x", "P0001"))).toBe(false);
  });
});
