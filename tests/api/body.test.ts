import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_BODY_BYTES, readJsonBody } from "@/lib/api/body";
import { AppError } from "@/lib/api/errors";
import { generateSimilarBody } from "@/lib/contracts";

const schema = z.strictObject({ a: z.number().optional() });

function req(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new Request("http://test/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return err instanceof AppError ? `${err.status} ${err.code}` : `thrown ${String(err)}`;
  }
}

function streamOf(totalBytes: number, chunk = 8192): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= totalBytes) return c.close();
      const n = Math.min(chunk, totalBytes - sent);
      sent += n;
      c.enqueue(new Uint8Array(n).fill(32));
    },
  });
}

describe("readJsonBody", () => {
  it("parses a valid body", async () => {
    expect(await readJsonBody(req('{"a":1}'), schema)).toEqual({ a: 1 });
    expect(await readJsonBody(req('{"a":1}', { "content-type": "application/json; charset=utf-8" }), schema)).toEqual({ a: 1 });
  });

  it("refuses oversize bodies by header and by streamed size", async () => {
    const big = JSON.stringify({ a: 1, pad: "x".repeat(MAX_BODY_BYTES) });
    expect(await codeOf(readJsonBody(req(big), schema))).toBe("413 payload_too_large");
    // No Content-Length: a stream that keeps going is cut at the cap.
    expect(await codeOf(readJsonBody(req(streamOf(MAX_BODY_BYTES * 4)), schema))).toBe("413 payload_too_large");
    // A lying Content-Length header does not get past the streamed count.
    const lying = new Request("http://test/x", {
      method: "POST",
      body: streamOf(MAX_BODY_BYTES + 10),
      headers: { "content-type": "application/json", "content-length": "10" },
      duplex: "half",
    } as RequestInit);
    expect(await codeOf(readJsonBody(lying, schema))).toBe("413 payload_too_large");
  });

  it("refuses wrong content types, bad JSON and bad shapes", async () => {
    expect(await codeOf(readJsonBody(req('{"a":1}', { "content-type": "text/plain" }), schema))).toBe("415 unsupported_media_type");
    expect(await codeOf(readJsonBody(req('{"a":1}', {}), schema))).toBe("415 unsupported_media_type");
    expect(await codeOf(readJsonBody(req('{"a":1'), schema))).toBe("400 invalid_request");
    expect(await codeOf(readJsonBody(req('{"a":"1"}'), schema))).toBe("400 invalid_request");
    expect(await codeOf(readJsonBody(req('{"a":1,"b":2}'), schema))).toBe("400 invalid_request");
    expect(await codeOf(readJsonBody(req(new Uint8Array([0x7b, 0xff, 0x7d])), schema))).toBe("400 invalid_request");
  });

  it("allows an empty body only where asked", async () => {
    expect(await codeOf(readJsonBody(req(null, {}), schema))).toBe("400 invalid_request");
    expect(await readJsonBody(req(null, {}), schema, { allowEmpty: true })).toEqual({});
    expect(await readJsonBody(req("", {}), schema, { allowEmpty: true })).toEqual({});
  });
});

describe("generateSimilarBody", () => {
  const cases: [unknown, boolean][] = [
    [{ count: 1 }, true],
    [{ count: 10, difficulty: "hard", instructions: "more examples" }, true],
    [{ count: 0 }, false],
    [{ count: 11 }, false],
    [{ count: 2.5 }, false],
    [{ count: "3" }, false],
    [{ count: -1 }, false],
    [{ count: 1e9 }, false],
    [{ count: null }, false],
    [{}, false],
    [{ count: 3, difficulty: "impossible" }, false],
    [{ count: 3, instructions: "x".repeat(501) }, false],
    [{ count: 3, extra: true }, false],
    [[3], false],
  ];
  it.each(cases)("%j → valid %s", (input, valid) => {
    expect(generateSimilarBody.safeParse(input).success).toBe(valid);
  });
});
