// The caller's IP for per-IP rate limits. Forwarding headers are only believed behind a proxy we trust
// (TRUST_PROXY); anyone can send them otherwise. Route handlers see no socket address, so without a
// trusted proxy the IP is unknown and only the per-user limit applies.
import { isIP } from "node:net";
import { serverEnv } from "@/lib/env";

export function clientIp(req: Request): string | null {
  if (!serverEnv().TRUST_PROXY) return null;
  // X-Real-IP is set (overwritten) by the proxy. In X-Forwarded-For the proxy APPENDS the address it
  // saw, so only the right-most entry is the proxy's word; entries to its left came from the client.
  const real = req.headers.get("x-real-ip")?.trim();
  if (real && isIP(real)) return real;
  const forwarded = req.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded && isIP(forwarded) ? forwarded : null;
}
