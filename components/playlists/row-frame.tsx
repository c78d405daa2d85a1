// Every row in a playlist — lesson, placeholder or failure — has this exact height, so a placeholder
// turning into its lesson never moves anything on the page.
export const ROW_HEIGHT = "h-[6.5rem]";

export function RowFrame({
  position,
  children,
  tone = "default",
  testId,
  state,
}: {
  position: number;
  children: React.ReactNode;
  tone?: "default" | "pending" | "failed";
  testId: string;
  state?: string;
}) {
  const tones = {
    default: "border-slate-200 bg-white",
    pending: "border-brand-100 bg-brand-50/40",
    failed: "border-red-200 bg-red-50/60",
  };
  return (
    <div className={`flex ${ROW_HEIGHT} items-center gap-3 overflow-hidden rounded-xl border px-3 shadow-sm sm:gap-4 sm:px-4 ${tones[tone]}`} data-testid={testId} data-state={state}>
      <span aria-hidden className="grid h-8 w-8 shrink-0 place-items-center rounded-full bg-slate-100 text-sm font-semibold tabular-nums text-slate-700">
        {position}
      </span>
      {children}
    </div>
  );
}
