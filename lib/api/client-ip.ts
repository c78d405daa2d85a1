// The caller's IP for per-IP rate limits. Forwarding headers are only believed behind a proxy we trust
// (TRUST_PROXY); anyone can send them otherwise. Route handlers see no socket address, so without a
// trusted proxy the IP is unknown and only the per-user limit applies.
import { isIP } from "node:net";
import { serverEnv } from "@/lib/env";

export function clientIp(req: Request): string | null {
  if (!serverEnv().TRUST_PROXY) return null;
  // The proxy appends the address it saw; the left-most entry is the original client.
  const forwarded = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const candidate = forwarded || req.headers.get("x-real-ip")?.trim();
  return candidate && isIP(candidate) ? candidate : null;
}
