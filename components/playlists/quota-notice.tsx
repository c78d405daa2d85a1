"use client";

import { useOnClient } from "@/components/ui/local-time";
import { formatResetTime, localTimeZone } from "@/lib/ui/format-date";

/** "tomorrow at 1:00 AM (Europe/Berlin)", rendered in the learner's own time zone once in the browser. */
export function ResetTime({ iso }: { iso: string }) {
  const onClient = useOnClient();
  return (
    <time dateTime={iso} data-testid="quota-reset-time">
      {onClient ? `${formatResetTime(iso)} (${localTimeZone()} time)` : `${iso.slice(0, 16).replace("T", " ")} UTC`}
    </time>
  );
}

// Today's lessons left, and when the allowance comes back.
export function QuotaLine({ remaining, lessonsPerDay, resetsAt }: { remaining: number; lessonsPerDay: number | null; resetsAt: string }) {
  return (
    <p className="text-sm text-slate-700" data-testid="quota-left">
      <strong className="font-semibold text-slate-900">{remaining}</strong>
      {lessonsPerDay ? ` of ${lessonsPerDay} lessons` : ` lesson${remaining === 1 ? "" : "s"}`} left today
      {remaining === 0 ? (
        <>
          {" "}
          · resets <ResetTime iso={resetsAt} />
        </>
      ) : null}
    </p>
  );
}

export function QuotaExceeded({ asked, remaining, resetsAt }: { asked: number; remaining: number; resetsAt: string | null }) {
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="quota-message">
      <p className="font-semibold">Daily lesson limit reached</p>
      <p className="mt-1">
        You asked for {asked} lesson{asked === 1 ? "" : "s"} but have {remaining} left today.
        {remaining > 0 ? ` Ask for ${remaining} or fewer, or wait for your quota to reset.` : ""}
      </p>
      {resetsAt ? (
        <p className="mt-1">
          Your quota resets <ResetTime iso={resetsAt} />.
        </p>
      ) : null}
    </div>
  );
}
