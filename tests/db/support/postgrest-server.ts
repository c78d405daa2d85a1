// A small HTTP server that speaks PostgREST's RPC wire format, on top of our SQL adapter: enough of
// PostgREST for a contract test of the supabase-js adapter over real HTTP.
//   POST /rest/v1/rpc/{fn}   body: JSON object of named arguments
//   Authorization: Bearer <JWT> (HS256) → role and claims; no token → anon (the apikey's role)
//   200 with the function's JSON result; errors as {code, message, details, hint} with PostgREST's statuses.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";
import { DbError, type DbActor, type DbProvider } from "@/lib/db/port";
import { rpcUnchecked } from "@/lib/db/contract-db";

// PostgREST's mapping of SQLSTATE to HTTP status (the subset our functions can produce).
export function postgrestStatus(code: string, authenticated: boolean): number {
  if (code === "42501") return authenticated ? 403 : 401; // insufficient_privilege
  if (code === "42883" || code === "42P01") return 404; // undefined function / table
  if (code === "23505" || code === "23503") return 409; // unique / foreign key violation
  if (code === "P0001") return 400; // raise_exception
  if (code === "25006") return 405; // read_only_sql_transaction
  if (code.startsWith("08") || code.startsWith("53") || code === "57P01") return 503;
  if (code === "57014") return 504; // query_canceled (statement timeout)
  if (code.startsWith("22") || code.startsWith("23") || code.startsWith("42")) return 400;
  return 500;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface PostgrestTestServer {
  url: string;
  requests: { fn: string; status: number; role: string }[];
  close(): Promise<void>;
}

export async function startPostgrestServer(provider: DbProvider, jwtSecret: Uint8Array): Promise<PostgrestTestServer> {
  const requests: PostgrestTestServer["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown, role = "?", fn = "?") => {
      requests.push({ fn, status, role });
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    };
    const match = /^\/rest\/v1\/rpc\/([^/?]+)/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) {
      return send(404, { code: "PGRST125", message: "Invalid path specified in request URL", details: null, hint: null });
    }
    const fn = decodeURIComponent(match[1]);

    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? (req.headers.apikey as string | undefined);
    let actor: DbActor = { role: "anon" };
    if (bearer) {
      try {
        const { payload } = await jwtVerify(bearer, jwtSecret, { algorithms: ["HS256"] });
        if (payload.role === "service_role") actor = { role: "service_role" };
        else if (payload.role === "authenticated" && typeof payload.sub === "string") {
          actor = { role: "authenticated", userId: payload.sub, email: typeof payload.email === "string" ? payload.email : null };
        }
      } catch {
        return send(401, { code: "PGRST301", message: "JWSError JWSInvalidSignature", details: null, hint: null }, "invalid", fn);
      }
    }

    let args: Record<string, unknown>;
    try {
      const text = await readBody(req);
      args = text.trim() === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
      if (typeof args !== "object" || args === null || Array.isArray(args)) throw new Error("not an object");
    } catch {
      return send(400, { code: "PGRST102", message: "Empty or invalid json", details: null, hint: null }, actor.role, fn);
    }

    try {
      // A stand-in for PostgREST, which knows nothing of the TypeScript contracts: it passes any call through.
      const result = await rpcUnchecked(provider.as(actor), fn, args);
      send(200, result, actor.role, fn);
    } catch (err) {
      const e = err instanceof DbError ? err : new DbError("internal error", "XX000");
      send(postgrestStatus(e.code, actor.role !== "anon"), { code: e.code, message: e.message, details: e.details, hint: e.hint }, actor.role, fn);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
