// Newline-delimited JSON responses (`application/x-ndjson`): one object per line, flushed as produced.
// When the client goes away (request aborted or stream cancelled) the producer's signal aborts; the
// producer decides what to finish (generation finishes and saves calls already in flight).

export const NDJSON = "application/x-ndjson";

export function wantsNdjson(req: Request): boolean {
  return (req.headers.get("accept") ?? "").toLowerCase().includes(NDJSON);
}

export function ndjsonResponse(
  produce: (emit: (value: unknown) => void, signal: AbortSignal) => Promise<void>,
  opts: { requestSignal?: AbortSignal; headers?: HeadersInit } = {},
): Response {
  const abort = new AbortController();
  const onRequestAbort = () => abort.abort(new Error("client disconnected"));
  if (opts.requestSignal?.aborted) onRequestAbort();
  else opts.requestSignal?.addEventListener("abort", onRequestAbort, { once: true });

  const encoder = new TextEncoder();
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const emit = (value: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
        } catch {
          open = false;
        }
      };
      // Not awaited: start() must return so the first lines reach the client while work continues.
      void produce(emit, abort.signal)
        .catch((err) => {
          console.error("[api] ndjson producer failed", err);
          emit({ type: "error", error: { code: "internal", message: "Something went wrong on our side." } });
        })
        .finally(() => {
          opts.requestSignal?.removeEventListener("abort", onRequestAbort);
          if (open) {
            open = false;
            try {
              controller.close();
            } catch {
              // already closed by a cancel
            }
          }
        });
    },
    cancel() {
      open = false;
      abort.abort(new Error("client disconnected"));
    },
  });

  const headers = new Headers(opts.headers);
  headers.set("Content-Type", `${NDJSON}; charset=utf-8`);
  headers.set("Cache-Control", "no-store, no-transform");
  headers.set("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
  return new Response(stream, { status: 200, headers });
}
