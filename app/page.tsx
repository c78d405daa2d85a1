// The For You feed. The feed itself arrives with the web-app issue; this is the welcome shell.
export default function HomePage() {
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">For You</h1>
      <p className="max-w-prose text-slate-600">
        Short lessons on the topics you follow, written on demand and kept topped up in the background.
      </p>
    </section>
  );
}
