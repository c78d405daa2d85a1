import { describe, expect, it } from "vitest";
import { readNdjson } from "@/lib/ui/ndjson-reader";

// A body that arrives in the given byte chunks, like a streamed fetch response.
function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of readNdjson(body)) out.push(item);
  return out;
}

describe("readNdjson", () => {
  it("yields objects split anywhere across chunks, including inside a multi-byte character", async () => {
    const text = '{"type":"started","count":2}\n\n{"type":"lesson","title":"Ångström — naïve café"}\n{"type":"done"}';
    const bytes = new TextEncoder().encode(text);
    const at = text.indexOf("Å") + 1; // the byte after Å's first UTF-8 byte
    const cuts = [5, 29, 30, at, at + 3, bytes.length - 4];
    const chunks = [0, ...cuts].map((start, i) => bytes.slice(start, cuts[i] ?? bytes.length));
    expect(await collect(bodyOf(chunks))).toEqual([
      { type: "started", count: 2 },
      { type: "lesson", title: "Ångström — naïve café" },
      { type: "done" },
    ]);
  });

  it("throws on a line that is not JSON", async () => {
    await expect(collect(bodyOf([new TextEncoder().encode('{"ok":1}\nnot json\n')]))).rejects.toThrow(SyntaxError);
  });

  it("stops when the signal is aborted", async () => {
    const ctrl = new AbortController();
    const seen: unknown[] = [];
    const body = bodyOf([new TextEncoder().encode('{"n":1}\n'), new TextEncoder().encode('{"n":2}\n')]);
    await expect(
      (async () => {
        for await (const item of readNdjson(body, ctrl.signal)) {
          seen.push(item);
          ctrl.abort();
        }
      })(),
    ).rejects.toBeDefined();
    expect(seen).toEqual([{ n: 1 }]);
  });
});
