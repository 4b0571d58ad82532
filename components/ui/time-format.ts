// How the studio writes times and durations: absolute, relative ("3 minutes ago") and elapsed.

// The locale-aware formatters live in lib/i18n/format (pure, tested); here for the pages that import them from ui.
export { formatMetricValue, formatRelativeTime, formatTimestamp } from "@/lib/i18n/format";

export function formatDuration(startMs: number, endMs: number | undefined): string {
  if (!endMs || endMs < startMs) return "—";
  const seconds = Math.round((endMs - startMs) / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes % 60}m`;
}
