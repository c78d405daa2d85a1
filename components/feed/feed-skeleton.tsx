// Placeholder while the feed loads or is being written: same footprint as the real cards.
export function FeedSkeleton({ label = "Loading your feed…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">{label}</span>
      <div aria-hidden className="animate-pulse rounded-2xl border border-slate-200 bg-white p-5 sm:p-7">
        <div className="h-4 w-40 rounded bg-slate-200" />
        <div className="mt-4 h-7 w-3/4 rounded bg-slate-200" />
        <div className="mt-4 space-y-2">
          <div className="h-4 w-full rounded bg-slate-100" />
          <div className="h-4 w-11/12 rounded bg-slate-100" />
          <div className="h-4 w-2/3 rounded bg-slate-100" />
        </div>
        <div className="mt-6 flex gap-2">
          <div className="h-10 w-32 rounded-lg bg-slate-200" />
          <div className="h-10 w-28 rounded-lg bg-slate-100" />
        </div>
      </div>
      <div aria-hidden className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-44 animate-pulse rounded-xl border border-slate-200 bg-white p-4">
            <div className="h-3 w-24 rounded bg-slate-200" />
            <div className="mt-3 h-5 w-3/4 rounded bg-slate-200" />
            <div className="mt-3 h-3 w-full rounded bg-slate-100" />
            <div className="mt-2 h-3 w-5/6 rounded bg-slate-100" />
          </div>
        ))}
      </div>
      {label !== "Loading your feed…" ? <p className="text-center text-sm text-slate-600">{label}</p> : null}
    </div>
  );
}
