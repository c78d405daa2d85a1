// Local sessions (development and demos): an HS256 JWT in an httpOnly, SameSite=Lax cookie. The token
// carries the id of a row in `auth_sessions`; a session is valid only while that row is live, so
// sign-out revokes it for good (a copied cookie stops working too).
import "server-only";
import { randomUUID } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { serviceDb } from "@/lib/db";
import { DbError } from "@/lib/db/port";
import { authSecret } from "./auth-secret";

export const sessionCookieName = "ll_session";
export const sessionMaxAgeSeconds = 60 * 60 * 24 * 30;
const maxAgeSeconds = sessionMaxAgeSeconds;
const issuer = "lessonloom-local";

export interface SessionClaims {
  userId: string;
  email: string;
  /** The `auth_sessions` row this token stands for. */
  sessionId: string;
}

export async function signSession(s: SessionClaims): Promise<string> {
  return new SignJWT({ email: s.email, role: "authenticated", sid: s.sessionId })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(s.userId)
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(`${maxAgeSeconds}s`)
    .sign(await authSecret());
}

export async function verifySession(token: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await authSecret(), { issuer, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || typeof payload.email !== "string" || typeof payload.sid !== "string") return null;
    return { userId: payload.sub, email: payload.email, sessionId: payload.sid };
  } catch {
    return null; // expired, forged or signed with another secret: simply not signed in
  }
}

/** The value of our cookie in a Cookie request header, if any. */
export function readCookie(header: string | null, name: string = sessionCookieName): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

/** Set-Cookie header value for a new session. */
export function sessionSetCookie(token: string, secure: boolean): string {
  return [
    `${sessionCookieName}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** Set-Cookie header value that removes the session. */
export function clearSessionCookie(secure: boolean): string {
  return [`${sessionCookieName}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join("; ");
}

/** Opens a session row for the user and returns its signed token. */
export async function openSession(user: { userId: string; email: string }): Promise<string> {
  const db = await serviceDb();
  const s = await db.rpc("create_auth_session", { p_user_id: user.userId, p_ttl_seconds: maxAgeSeconds });
  return signSession({ ...user, sessionId: s.sessionId });
}

/** Revokes the session a token stands for; a token that does not verify has nothing to revoke. */
export async function revokeSession(token: string | null): Promise<void> {
  const claims = token ? await verifySession(token) : null;
  if (!claims) return;
  await (await serviceDb()).rpc("revoke_auth_session", { p_session_id: claims.sessionId });
}

/** Tests: a `Cookie` header (`name=value`) that signs the given user in (with a live session row). */
export async function sessionCookieFor(viewer: { userId: string; email: string }): Promise<string> {
  try {
    return `${sessionCookieName}=${await openSession(viewer)}`;
  } catch (err) {
    // A user without a profile gets a well-signed token for a session that does not exist.
    if (!DbError.is(err) || err.message !== "not_found") throw err;
    return `${sessionCookieName}=${await signSession({ ...viewer, sessionId: randomUUID() })}`;
  }
}
