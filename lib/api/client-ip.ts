// The caller's IP for per-IP rate limits. Forwarding headers are only believed behind a proxy we trust
// (TRUST_PROXY=1); anyone can send them otherwise. Route handlers see no socket address, so without a
// trusted proxy the IP is unknown and only the per-user limit applies.
import { isIP } from "node:net";
import { serverEnv } from "@/lib/env";

export function clientIp(req: Request): string | null {
  const env = serverEnv();
  if (!env.TRUST_PROXY) return null;
  // X-Real-IP only when the operator says the proxy overwrites it (TRUST_PROXY_IP_HEADER=x-real-ip):
  // a proxy that does not set it passes the client's own value through.
  if (env.TRUST_PROXY_IP_HEADER === "x-real-ip") {
    const real = req.headers.get("x-real-ip")?.trim();
    return real && isIP(real) ? real : null;
  }
  // The proxy APPENDS the address it saw to X-Forwarded-For, so only the right-most entry is its word;
  // entries to its left came from the client.
  const forwarded = req.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded && isIP(forwarded) ? forwarded : null;
}
