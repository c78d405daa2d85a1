// Says plainly that lessons come from the built-in simulator, not a real model (docs/generation.md).
export function SimulatorBanner() {
  return (
    <div role="note" aria-label="Simulator mode" className="border-b border-amber-200 bg-amber-50 text-amber-900">
      <p className="mx-auto w-full max-w-6xl px-4 py-1.5 text-xs sm:px-6 sm:text-sm">
        <span className="font-semibold">Simulator mode:</span> lessons here are written by Lessonloom&rsquo;s built-in model simulator,
        not a real AI model. Set <code className="rounded bg-amber-100 px-1">LLM_PROVIDER</code> to use one.
      </p>
    </div>
  );
}
