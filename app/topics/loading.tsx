export default function Loading() {
  return (
    <div role="status" className="space-y-6">
      <span className="sr-only">Loading topics…</span>
      <div aria-hidden className="h-8 w-40 animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="grid gap-4 md:grid-cols-2">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-56 animate-pulse rounded-xl border border-slate-200 bg-white" />
        ))}
      </div>
    </div>
  );
}
