export default function Loading() {
  return (
    <div role="status" className="space-y-6">
      <span className="sr-only">Loading playlist…</span>
      <div aria-hidden className="h-4 w-28 animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="h-9 w-64 animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-2">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="h-[6.5rem] animate-pulse rounded-xl border border-slate-200 bg-white" />
          ))}
        </div>
        <div className="h-80 animate-pulse rounded-2xl border border-slate-200 bg-white" />
      </div>
    </div>
  );
}
