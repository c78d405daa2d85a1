// Who ADMIN_EMAILS makes an admin. With Supabase Auth only a verified address counts (an unverified
// sign-up could claim any address); local sign-in has no verification at all, so there the listed
// address is trusted as typed — which is why local sign-in stays off in production unless LOCAL_AUTH=allow
// (docs/security.md). The role is synced on every sign-in (local) or request (Supabase): removing an
// address demotes an admin that ADMIN_EMAILS made.
import "server-only";
import { serverEnv } from "@/lib/env";

export function isListedAdmin(email: string): boolean {
  return serverEnv().ADMIN_EMAILS.includes(email.trim().toLowerCase());
}

export function localAdminListed(email: string): boolean {
  return isListedAdmin(email);
}

type Claims = Record<string, unknown>;

/** Supabase access-token claims: is the email verified? GoTrue puts it in user_metadata.email_verified. */
export function claimsEmailVerified(claims: Claims): boolean {
  const meta = claims.user_metadata as Claims | undefined;
  return claims.email_verified === true || meta?.email_verified === true;
}
