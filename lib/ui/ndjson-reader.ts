// Reads a newline-delimited JSON response body one object at a time, as the bytes arrive.

/** Yields each parsed line of `body`. Blank lines are skipped; a line that is not JSON throws. */
export async function* readNdjson<T = unknown>(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<T> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    while (true) {
      if (signal?.aborted) throw signal.reason ?? new DOMException("Aborted", "AbortError");
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf("\n");
      while (newline !== -1) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line) as T;
        newline = buffer.indexOf("\n");
      }
    }
    const last = (buffer + decoder.decode()).trim();
    if (last) yield JSON.parse(last) as T;
  } finally {
    reader.releaseLock();
  }
}
