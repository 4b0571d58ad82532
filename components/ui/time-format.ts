// How the studio writes times and durations: absolute, relative ("3 minutes ago") and elapsed.

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
  ["second", 1000],
];

export function formatRelativeTime(epochMs: number, now: number = Date.now()): string {
  const diff = epochMs - now;
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size || unit === "second") return relative.format(Math.round(diff / size), unit);
  }
  return relative.format(0, "second");
}

/** ISO-like and locale-independent, so server and browser render the same text. */
export function formatTimestamp(epochMs: number): string {
  if (!Number.isFinite(epochMs) || epochMs <= 0) return "—";
  return new Date(epochMs).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export function formatDuration(startMs: number, endMs: number | undefined): string {
  if (!endMs || endMs < startMs) return "—";
  const seconds = Math.round((endMs - startMs) / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes % 60}m`;
}

/** Metric values: short but exact enough to compare runs. */
export function formatMetricValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4)) return value.toExponential(4);
  return String(Number(value.toPrecision(6)));
}
