// Cross-site request refusal for cookie-authenticated state changes (and sign-in/sign-out, which a
// cross-site form could otherwise use to log someone in or out). Run once, in proxy.ts, before any route.
// Browsers send Sec-Fetch-Site and Origin on every POST; when both are missing the caller is not a
// browser (curl, the cron scheduler) and carries no ambient cookies to abuse, so it passes.
import { AppError, toErrorResponse } from "@/lib/api/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface OriginCheckOptions {
  /** Believe X-Forwarded-Host / X-Forwarded-Proto (only behind a trusted proxy, TRUST_PROXY=1). */
  trustProxy: boolean;
}

function needsCheck(req: Request, pathname: string): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  if (!pathname.startsWith("/api/")) return false;
  return pathname.startsWith("/api/auth/") || req.headers.has("cookie");
}

/** The origin this request was addressed to, as the browser saw it. */
function ownOrigin(req: Request, opts: OriginCheckOptions): string {
  const url = new URL(req.url);
  const host = (opts.trustProxy && req.headers.get("x-forwarded-host")?.split(",")[0].trim()) || req.headers.get("host") || url.host;
  const proto = (opts.trustProxy && req.headers.get("x-forwarded-proto")?.split(",")[0].trim()) || url.protocol.replace(":", "");
  return `${proto}://${host}`.toLowerCase();
}

/** A 403 response when a browser sent this state-changing request from another site; null otherwise. */
export function crossSiteRefusal(req: Request, pathname: string, opts: OriginCheckOptions): Response | null {
  if (!needsCheck(req, pathname)) return null;
  const site = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  let allowed: boolean;
  // Sec-Fetch-Site is set by the browser itself and cannot be forged by page script (as Go's
  // CrossOriginProtection does); Origin is the fallback for browsers that do not send it.
  if (site !== null) allowed = site === "same-origin" || site === "none";
  else if (origin !== null) allowed = origin !== "null" && origin.toLowerCase() === ownOrigin(req, opts);
  else allowed = true;
  return allowed ? null : toErrorResponse(new AppError("forbidden", "Cross-site requests are not allowed here."));
}
