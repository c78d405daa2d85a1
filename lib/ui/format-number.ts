// Number formatting for the dashboard and quota displays (en-US, compact where it helps).

const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function formatInteger(n: number): string {
  return integer.format(Math.round(n));
}

/** 1234567 → "1.2M"; small numbers stay exact. */
export function formatCompact(n: number): string {
  return Math.abs(n) < 10_000 ? integer.format(Math.round(n)) : compact.format(n);
}

/** Dollars with enough precision that a fraction of a cent still shows: $0.0042, $1.23, $1,234. */
export function formatUsd(n: number): string {
  const abs = Math.abs(n);
  const digits = abs === 0 ? 2 : abs < 0.01 ? 4 : abs < 1 ? 3 : abs < 1000 ? 2 : 0;
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}

/** 0.1234 → "12.3%". */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return "–";
  return `${(ratio * 100).toFixed(ratio === 0 || ratio >= 0.1 ? 0 : 1)}%`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "–";
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}
