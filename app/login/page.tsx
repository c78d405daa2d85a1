import type { Metadata } from "next";
import Link from "next/link";
import { EmailField } from "@/components/auth/email-field";
import { MagicLinkForm } from "@/components/auth/magic-link-form";
import { buttonClass } from "@/components/ui/button-styles";
import { safeNextPath } from "@/lib/auth/safe-next";
import { clientEnv } from "@/lib/env";
import { getPageSession } from "@/lib/ui/server-session";

export const metadata: Metadata = { title: "Sign in" };

const demoUsers = [
  { email: "learner@example.com", label: "Learner", note: "follows a few topics, has playlists" },
  { email: "pro@example.com", label: "Pro learner", note: "a higher daily quota" },
  { email: "admin@example.com", label: "Admin", note: "sees the usage dashboard" },
];

// Sign-in: Supabase Auth's email link when Supabase is configured, otherwise local email sign-in.
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [session, params] = await Promise.all([getPageSession(), searchParams]);
  const error = typeof params.error === "string" ? params.error : null;
  // Where to go after signing in; the sign-in route accepts only same-site paths.
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  const supabase =
    clientEnv.NEXT_PUBLIC_SUPABASE_URL && clientEnv.NEXT_PUBLIC_SUPABASE_ANON_KEY
      ? { url: clientEnv.NEXT_PUBLIC_SUPABASE_URL, anonKey: clientEnv.NEXT_PUBLIC_SUPABASE_ANON_KEY }
      : null;

  if (session) {
    return (
      <section className="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-semibold tracking-tight">You&rsquo;re signed in</h1>
        <p className="mt-2 text-slate-600">
          Signed in as <strong className="text-slate-900">{session.viewer.email}</strong>.
        </p>
        <Link href="/" className={`${buttonClass("primary")} mt-6`}>
          Go to your feed
        </Link>
      </section>
    );
  }

  return (
    <section className="mx-auto max-w-md">
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in to Lessonloom</h1>
        <p className="mt-2 text-sm text-slate-600">
          {supabase ? "We’ll email you a sign-in link. No password needed." : "Enter your email to sign in. New here? The same form creates your account."}
        </p>
        {error ? (
          <p role="alert" className="mt-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {error === "invalid_request" ? "Please enter a valid email address." : "Sign-in failed. Please try again."}
          </p>
        ) : null}
        {supabase ? (
          <MagicLinkForm supabase={supabase} />
        ) : (
          <form method="post" action="/api/auth/local" className="mt-6 space-y-4">
            <input type="hidden" name="next" value={next} />
            <EmailField />
            <button type="submit" className={`${buttonClass("primary")} w-full`}>
              Sign in
            </button>
          </form>
        )}
      </div>

      {supabase ? null : (
        <div className="mt-6 rounded-2xl border border-dashed border-slate-300 bg-white/60 p-5">
          <h2 className="text-sm font-semibold text-slate-800">Demo accounts</h2>
          <p className="mt-1 text-xs text-slate-600">Local sign-in is for development and demos.</p>
          <ul className="mt-3 space-y-2">
            {demoUsers.map((u) => (
              <li key={u.email}>
                <form method="post" action="/api/auth/local" className="flex items-center justify-between gap-3">
                  <input type="hidden" name="email" value={u.email} />
                  <input type="hidden" name="next" value={next} />
                  <span className="min-w-0 text-sm">
                    <span className="block font-medium text-slate-900">{u.label}</span>
                    <span className="block truncate text-xs text-slate-600">
                      {u.email} · {u.note}
                    </span>
                  </span>
                  <button type="submit" className={buttonClass("secondary", "sm")}>
                    Use<span className="sr-only"> {u.email}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
