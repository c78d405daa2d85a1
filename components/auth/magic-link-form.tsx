"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { EmailField } from "@/components/auth/email-field";
import { buttonClass } from "@/components/ui/button-styles";
import { createSupabaseBrowserClient, type SupabasePublicConfig } from "@/lib/supabase/client";

type State = { kind: "idle" } | { kind: "sending" } | { kind: "sent"; email: string } | { kind: "error"; message: string };

// Supabase Auth email sign-in (magic link). The link brings the learner back to /login with a code;
// the browser client exchanges it on load (PKCE) and we move on to the feed once signed in.
export function MagicLinkForm({ supabase: config }: { supabase: SupabasePublicConfig }) {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: "idle" });

  useEffect(() => {
    const supabase = createSupabaseBrowserClient(config);
    const { data } = supabase.auth.onAuthStateChange((event) => {
      if (event === "SIGNED_IN") {
        router.replace("/");
        router.refresh();
      }
    });
    return () => data.subscription.unsubscribe();
  }, [router, config]);

  if (state.kind === "sent") {
    return (
      <p role="status" className="mt-6 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-3 text-sm text-emerald-900">
        Check <strong>{state.email}</strong> for a sign-in link. You can close this tab.
      </p>
    );
  }

  return (
    <form
      className="mt-6 space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const email = String(new FormData(e.currentTarget).get("email") ?? "").trim();
        setState({ kind: "sending" });
        const { error } = await createSupabaseBrowserClient(config).auth.signInWithOtp({
          email,
          options: { emailRedirectTo: `${window.location.origin}/login` },
        });
        setState(error ? { kind: "error", message: error.message } : { kind: "sent", email });
      }}
    >
      <EmailField />
      {state.kind === "error" ? (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
      <button type="submit" className={`${buttonClass("primary")} w-full`} disabled={state.kind === "sending"}>
        {state.kind === "sending" ? "Sending link…" : "Email me a sign-in link"}
      </button>
    </form>
  );
}
