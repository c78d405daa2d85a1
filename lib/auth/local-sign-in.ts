// Local email sign-in (POST /api/auth/local): parse {email} from JSON or a form, create the user and
// profile on first sign-in (ADMIN_EMAILS promotes), and issue the session cookie.
import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { serviceDb } from "@/lib/db";
import { runtimeMode, serverEnv } from "@/lib/env";
import { localAdminListed } from "./admin-emails";
import { localAuthEnabled } from "./local-auth-enabled";
import { openSession, sessionSetCookie } from "./local-session";
import { viewerFromProfile, type Viewer } from "./viewer";


const maxBodyBytes = 4096;

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "Enter a valid email address." }).max(254)),
  next: z.string().max(512).optional(),
});

export interface SignInInput {
  email: string;
  next?: string;
  form: boolean;
}

/** Local sign-in is off when Supabase Auth is configured, and refused in production unless allowed. */
export function assertLocalAuthAllowed(): void {
  const env = serverEnv();
  if (runtimeMode(env).auth === "supabase") throw new AppError("not_found");
  if (!localAuthEnabled()) {
    throw new AppError("forbidden", "Local sign-in is disabled here; set LOCAL_AUTH=allow to enable it for demos.");
  }
}

export async function readSignInBody(req: Request): Promise<SignInInput> {
  const contentType = req.headers.get("content-type") ?? "";
  const type = contentType.split(";")[0].trim().toLowerCase();
  const bytes = await req.arrayBuffer();
  if (bytes.byteLength > maxBodyBytes) throw new AppError("payload_too_large");
  const text = new TextDecoder().decode(bytes);
  let raw: unknown;
  let form = false;
  if (type === "application/json") {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError("invalid_request", "The body is not valid JSON.");
    }
  } else if (type === "application/x-www-form-urlencoded") {
    raw = Object.fromEntries(new URLSearchParams(text));
    form = true;
  } else if (type === "multipart/form-data") {
    // What `fetch(url, { body: new FormData(form) })` sends.
    try {
      const data = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
      raw = Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === "string"));
    } catch {
      throw new AppError("invalid_request", "The form body could not be read.");
    }
    form = true;
  } else {
    throw new AppError("unsupported_media_type", "Send {\"email\"} as application/json or a form.");
  }
  const parsed = signInSchema.parse(raw);
  return { email: parsed.email, next: parsed.next, form };
}

/**
 * A plain HTML form submitted by a browser (no script): errors go back to the login page as
 * `/login?error=<code>` (post/redirect/get) instead of a JSON body the person would have to read.
 * API clients (JSON, or forms without `Accept: text/html`) still get the 4xx error body.
 */
export function isBrowserFormPost(req: Request): boolean {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const form = type === "application/x-www-form-urlencoded" || type === "multipart/form-data";
  return form && (req.headers.get("accept") ?? "").includes("text/html");
}

export { safeNextPath } from "./safe-next";

export function requestIsHttps(req: Request): boolean {
  if (new URL(req.url).protocol === "https:") return true;
  return serverEnv().TRUST_PROXY && (req.headers.get("x-forwarded-proto") ?? "").split(",")[0].trim() === "https";
}

export async function signInLocal(email: string, req: Request): Promise<{ viewer: Viewer; setCookie: string }> {
  const db = await serviceDb();
  const signedIn = await db.rpc("sign_in_local_user", { p_email: email, p_promote_admin: false });
  // Admin is re-decided on every sign-in: granted while listed in ADMIN_EMAILS, taken back once removed.
  const profile = await db.rpc("sync_admin_role", { p_user_id: signedIn.userId, p_listed_and_verified: localAdminListed(email) });
  const viewer = viewerFromProfile(profile);
  const token = await openSession({ userId: viewer.userId, email: viewer.email });
  return { viewer, setCookie: sessionSetCookie(token, requestIsHttps(req)) };
}
