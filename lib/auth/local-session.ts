// Local sessions (development and demos): an HS256 JWT in an httpOnly, SameSite=Lax cookie.
import "server-only";
import { jwtVerify, SignJWT } from "jose";
import { authSecret } from "./auth-secret";

export const sessionCookieName = "ll_session";
const maxAgeSeconds = 60 * 60 * 24 * 30;
const issuer = "lessonloom-local";

export interface SessionClaims {
  userId: string;
  email: string;
}

export async function signSession(s: SessionClaims): Promise<string> {
  return new SignJWT({ email: s.email, role: "authenticated" })
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
    if (typeof payload.sub !== "string" || typeof payload.email !== "string") return null;
    return { userId: payload.sub, email: payload.email };
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

/** Tests: a `Cookie` header (`name=value`) that signs the given user in. */
export async function sessionCookieFor(viewer: SessionClaims): Promise<string> {
  return `${sessionCookieName}=${await signSession(viewer)}`;
}
