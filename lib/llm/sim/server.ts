// The simulator as a standalone OpenAI-compatible HTTP server (npm run sim), sharing the fetch handler.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createSimulator, type SimOptions, type Simulator } from "./simulator";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function serve(sim: Simulator, req: IncomingMessage, res: ServerResponse, baseUrl: string) {
  const controller = new AbortController();
  // The client went away (timeout, abort): stop any hang or stream in progress.
  res.on("close", () => {
    if (!res.writableFinished) controller.abort(new DOMException("client closed the connection", "AbortError"));
  });
  const body = req.method === "GET" || req.method === "HEAD" ? "" : await readBody(req);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  let response: Response;
  try {
    response = await sim.fetch(new URL(req.url ?? "/", baseUrl).href, { method: req.method, headers, body: body || undefined, signal: controller.signal });
  } catch (err) {
    // A simulated connection reset (or an aborted hang): drop the socket without an HTTP answer.
    if (!(err instanceof DOMException && err.name === "AbortError")) req.socket.destroy();
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  if (!response.body) return void res.end();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
    }
    res.end();
  } catch {
    res.destroy();
  }
}

export async function startSimServer(
  opts: SimOptions & { port: number; host?: string },
): Promise<{ url: string; close(): Promise<void>; sim: Simulator }> {
  const sim = createSimulator(opts);
  const host = opts.host ?? "127.0.0.1";
  let baseUrl = `http://${host}:${opts.port}`;
  const server = createServer((req, res) => {
    serve(sim, req, res, baseUrl).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  if (address && typeof address === "object") baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  return {
    url: `${baseUrl}/v1`,
    sim,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
