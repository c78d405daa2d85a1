export default function Loading() {
  return (
    <div role="status" className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <span className="sr-only">Loading lesson…</span>
      <div aria-hidden className="h-96 animate-pulse rounded-2xl border border-slate-200 bg-white" />
      <div aria-hidden className="h-64 animate-pulse rounded-2xl border border-slate-200 bg-white" />
    </div>
  );
}
