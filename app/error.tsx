"use client";

import { buttonClass } from "@/components/ui/button-styles";

// Anything a page throws lands here; the message stays generic (no internals), the digest helps support.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section role="alert" className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Something went wrong</h1>
      <p className="mt-2 text-slate-600">We couldn’t load this page. Try again in a moment.</p>
      {error.digest ? <p className="mt-2 text-xs text-slate-600">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset} className={`${buttonClass("primary")} mt-6`}>
        Try again
      </button>
    </section>
  );
}
