"use client";

import { useSyncExternalStore } from "react";
import { formatResetTime, formatTimestamp } from "@/lib/ui/format-date";

const subscribe = () => () => {};
const formats = { timestamp: formatTimestamp, reset: (iso: string) => formatResetTime(iso) } as const;

/** True after hydration; false while rendering on the server. */
export function useOnClient(): boolean {
  return useSyncExternalStore(subscribe, () => true, () => false);
}

/**
 * A time in the browser's time zone. The server cannot know it, so the server HTML carries the UTC
 * form and the client swaps in local time after hydration.
 */
export function LocalTime({ iso, style = "timestamp" }: { iso: string; style?: keyof typeof formats }) {
  const onClient = useOnClient();
  return <time dateTime={iso}>{onClient ? formats[style](iso) : `${iso.slice(0, 16).replace("T", " ")} UTC`}</time>;
}
