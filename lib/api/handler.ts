// Route handler wrappers: find who is calling, refuse who may not, and turn anything thrown into the
// standard error body. Route files stay a paragraph long.
import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { getViewer, type Viewer } from "@/lib/auth";
import { serverEnv } from "@/lib/env";
import { AppError, toErrorResponse } from "./errors";
import { withServerTiming } from "./server-timing";

export type RouteParams = Record<string, string | string[] | undefined>;
/** What Next passes as the second argument of a route handler (params is a Promise since Next 15). */
export interface RouteContext {
  params?: Promise<RouteParams>;
}
export type RouteHandler = (req: Request, ctx: RouteContext) => Promise<Response>;

export interface ViewerContext {
  viewer: Viewer;
  params: RouteParams;
}
export type Caller = { kind: "viewer"; viewer: Viewer } | { kind: "cron" };

async function resolveParams(ctx: RouteContext | undefined): Promise<RouteParams> {
  return (await ctx?.params) ?? {};
}

function guard(run: (req: Request, params: RouteParams) => Promise<Response>): RouteHandler {
  return (req, ctx) =>
    withServerTiming(async () => {
      try {
        return await run(req, await resolveParams(ctx));
      } catch (err) {
        return toErrorResponse(err);
      }
    });
}

async function requireViewer(req: Request): Promise<Viewer> {
  const viewer = await getViewer(req);
  if (!viewer) throw new AppError("unauthenticated");
  return viewer;
}

/** Signed-in users only; 401 otherwise. */
export function withViewer(handler: (req: Request, ctx: ViewerContext) => Promise<Response>): RouteHandler {
  return guard(async (req, params) => handler(req, { viewer: await requireViewer(req), params }));
}

/** Admins only: 401 without a session, 403 for everyone else (the admin page itself answers 404). */
export function withAdmin(handler: (req: Request, ctx: ViewerContext) => Promise<Response>): RouteHandler {
  return guard(async (req, params) => {
    const viewer = await requireViewer(req);
    if (!viewer.isAdmin) throw new AppError("forbidden", "Admins only.");
    return handler(req, { viewer, params });
  });
}

function bearerToken(req: Request): string | null {
  const header = req.headers.get("authorization");
  if (header === null) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1].trim() : "";
}

// Hash both sides so the buffers have equal length and the comparison time says nothing about the secret.
function secretMatches(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Does the request carry `Authorization: Bearer $CRON_SECRET`? (Constant time; false when cron is off.) */
export function hasCronSecret(req: Request): boolean {
  const token = bearerToken(req);
  const secret = serverEnv().CRON_SECRET;
  // No configured secret means cron mode is off: nothing can match.
  return Boolean(token && secret && secretMatches(token, secret));
}

function requireCron(req: Request): void {
  if (!hasCronSecret(req)) throw new AppError("unauthenticated", "A valid cron secret is required.");
}

/** The scheduler only: `Authorization: Bearer $CRON_SECRET`, compared in constant time; 401 otherwise. */
export function withCron(handler: (req: Request, ctx: { params: RouteParams }) => Promise<Response>): RouteHandler {
  return guard(async (req, params) => {
    requireCron(req);
    return handler(req, { params });
  });
}

/** Cron when an Authorization header is present (and must then be right), a signed-in viewer otherwise. */
export function withViewerOrCron(handler: (req: Request, ctx: { caller: Caller; params: RouteParams }) => Promise<Response>): RouteHandler {
  return guard(async (req, params) => {
    if (req.headers.has("authorization")) {
      requireCron(req);
      return handler(req, { caller: { kind: "cron" }, params });
    }
    return handler(req, { caller: { kind: "viewer", viewer: await requireViewer(req) }, params });
  });
}
