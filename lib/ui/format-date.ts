// Dates and times shown to people: in the viewer's own time zone (the browser's), never the server's.

/** "today at 1:00 AM" / "tomorrow at 1:00 AM" / "Tue, Nov 25, 1:00 AM", in the browser's local time. */
export function formatResetTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "soon";
  const time = at.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
  const dayDiff = Math.round((startOfDay(at) - startOfDay(now)) / 86_400_000);
  if (dayDiff === 0) return `today at ${time}`;
  if (dayDiff === 1) return `tomorrow at ${time}`;
  return at.toLocaleString(undefined, { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}

/** The viewer's time zone name, e.g. "Europe/Berlin", for "(your time)" hints. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Short timestamp for tables: "Nov 23, 14:05:09" (local time). */
export function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

/** YYYY-MM-DD of a Date in UTC (the dashboard's day boundaries are UTC). */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
