export default function Loading() {
  return (
    <div role="status" className="space-y-6">
      <span className="sr-only">Loading playlists…</span>
      <div aria-hidden className="h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div aria-hidden className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-32 animate-pulse rounded-xl border border-slate-200 bg-white" />
        ))}
      </div>
    </div>
  );
}
