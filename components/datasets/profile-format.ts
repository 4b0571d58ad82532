// How the dataset version and compare pages write numbers, shares, masking choices and drift verdicts (pure, browser-safe).
import { formatMetricValue } from "@/components/ui/time-format";
import type { ColumnDrift, DatasetVersionSummary, MaskAction, PiiFindingOutput, VersionComparison } from "@/server/datasets/schema";

import { formatCount, formatShare } from "./format-bytes";

/** A profile statistic: numbers short but exact enough to read, text (dates, strings) as stored, absent as a dash. */
export function formatStat(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return formatMetricValue(value);
}

/**
 * A quantile from the profile's map. The profiler may key quantiles as "p25", "q25", "25", "0.25" or "25%";
 * every spelling of the same fraction is accepted so the table does not depend on one of them.
 */
export function quantileOf(quantiles: Record<string, number> | null | undefined, fraction: number): number | null {
  if (!quantiles) return null;
  for (const [key, value] of Object.entries(quantiles)) {
    const match = /^[pq]?(\d+(?:\.\d+)?)%?$/i.exec(key.trim());
    if (!match) continue;
    const number = Number(match[1]);
    const keyed = key.includes(".") && number <= 1 && !/^[pq]/i.test(key) ? number : number / 100;
    if (Math.abs(keyed - fraction) < 1e-9) return value;
  }
  return null;
}

/** The profiler reports progress in 0..1; the progress bar and its text use whole percent. */
export function progressPercent(progress: number): number {
  if (!Number.isFinite(progress)) return 0;
  return Math.round(Math.min(1, Math.max(0, progress)) * 100);
}

/**
 * Whether the version page should keep asking the server: while profiling, and while the rules are
 * evaluated (that follows a finished profile). A failed profile leaves nothing more to wait for.
 */
export function versionNeedsPolling(version: Pick<DatasetVersionSummary, "profileStatus" | "qualityStatus"> | undefined): boolean {
  if (!version) return false;
  if (version.profileStatus === "pending" || version.profileStatus === "running") return true;
  return version.profileStatus === "done" && version.qualityStatus === "pending";
}

export interface MiniBar {
  label: string;
  count: number;
}

/** Histogram bins as labelled bars: "[lo, hi)" for each bin, the last one closed. */
export function histogramBars(histogram: { edges: number[]; counts: number[] }): MiniBar[] {
  return histogram.counts.map((count, i) => {
    const lo = histogram.edges[i];
    const hi = histogram.edges[i + 1];
    const label = lo === undefined || hi === undefined ? `bin ${i + 1}` : `${formatMetricValue(lo)} – ${formatMetricValue(hi)}`;
    return { label, count };
  });
}

/** Top values as bars; a missing value is labelled so it is not confused with the empty string. */
export function topValueBars(topValues: { value: string | null; count: number }[]): MiniBar[] {
  return topValues.map((top) => ({ label: top.value === null ? "(missing)" : top.value === "" ? "(empty)" : top.value, count: top.count }));
}

/**
 * One sentence for screen readers and tooltips: what the mini chart shows and where most values are.
 * Shares are of `total` when given (top values: the column's non-missing rows, as the bars are few of
 * many values), else of the bars' sum (a histogram covers every value).
 */
export function summariseBars(kind: "histogram" | "top values", column: string, bars: MiniBar[], total?: number): string {
  if (!bars.length) return `${column}: no values to chart`;
  const sum = bars.reduce((acc, bar) => acc + bar.count, 0);
  const whole = total !== undefined && total > 0 ? total : sum;
  let peak = bars[0];
  for (const bar of bars) if (bar.count > peak.count) peak = bar;
  const peakShare = whole > 0 ? ` (${formatShare(peak.count / whole, 0)})` : "";
  if (kind === "histogram") {
    return `Histogram of ${column}: ${bars.length} bin${bars.length === 1 ? "" : "s"}, ${formatCount(sum)} values; most between ${peak.label}${peakShare}`;
  }
  return `Top values of ${column}: ${bars
    .slice(0, 3)
    .map((bar) => `${bar.label} ${formatCount(bar.count)}`)
    .join(", ")}${bars.length > 3 ? ` and ${bars.length - 3} more` : ""}; most common ${peak.label}${peakShare}`;
}

const MASK_LABELS: Record<MaskAction, string> = {
  keep: "Keep",
  drop: "Dropped",
  hash: "Salted hash",
  redact: "Redacted",
  generalise: "Generalised",
};

/** How a column was masked, as the masking table says it: "Generalised (band 10)" names the band width. */
export function maskActionLabel(mask: { action: MaskAction; bandWidth?: number } | undefined): string {
  if (!mask) return MASK_LABELS.keep;
  if (mask.action === "generalise" && mask.bandWidth !== undefined) return `Generalised (band ${formatMetricValue(mask.bandWidth)})`;
  return MASK_LABELS[mask.action];
}

const PII_LABELS: Record<PiiFindingOutput["kind"], string> = {
  email: "E-mail address",
  phone: "Phone number",
  iban: "IBAN",
  card: "Payment card number",
  nir: "French social security number (NIR)",
  ip: "IP address",
  name: "Likely personal name (header)",
};

export function piiKindLabel(kind: PiiFindingOutput["kind"]): string {
  return PII_LABELS[kind];
}

const TEST_LABELS: Record<ColumnDrift["test"], string> = {
  ks: "KS p-value",
  wasserstein: "Normalised Wasserstein",
  "chi-square": "Chi-square p-value",
  "jensen-shannon": "Jensen–Shannon distance",
};

export function driftTestLabel(test: ColumnDrift["test"]): string {
  return TEST_LABELS[test];
}

/** P-value tests drift below their threshold; distance tests drift above it. */
export function driftRule(test: ColumnDrift["test"], threshold: number): string {
  const bound = formatMetricValue(threshold);
  return test === "ks" || test === "chi-square" ? `drift if p < ${bound}` : `drift if > ${bound}`;
}

const PSI_BANDS: Record<ColumnDrift["psiBand"], string> = {
  stable: "stable (< 0.1)",
  moderate: "moderate (0.1–0.25)",
  significant: "significant (≥ 0.25)",
};

export function psiBandLabel(band: ColumnDrift["psiBand"]): string {
  return PSI_BANDS[band];
}

/** The compare page's headline: "3 of 12 columns drifted — dataset drift". */
export function comparisonSummary(comparison: Pick<VersionComparison, "driftedColumns" | "comparedColumns" | "datasetDrift">): string {
  const { driftedColumns, comparedColumns, datasetDrift } = comparison;
  if (comparedColumns === 0) return "No column is in both versions, so none could be compared";
  const head = `${driftedColumns} of ${comparedColumns} column${comparedColumns === 1 ? "" : "s"} drifted`;
  return `${head} — ${datasetDrift ? "dataset drift" : "no dataset drift"}`;
}

/**
 * The rule behind the headline, said where it could surprise: drifted columns below the dataset share (a reader
 * sees a p-value of 1e-25 beside "no dataset drift"), or drift declared on a share.
 */
export function driftRuleSentence(comparison: Pick<VersionComparison, "driftedColumns" | "comparedColumns" | "datasetDrift" | "driftShareLimit">): string | null {
  const { driftedColumns, comparedColumns, datasetDrift, driftShareLimit } = comparison;
  if (comparedColumns === 0 || driftedColumns === 0) return null;
  const share = `${Math.round((driftedColumns / comparedColumns) * 100)}%`;
  const limit = `${Math.round(driftShareLimit * 100)}%`;
  return datasetDrift
    ? `Dataset drift is declared when at least ${limit} of the compared columns drift; here ${share} did.`
    : `Dataset drift is declared when at least ${limit} of the compared columns drift; here ${share} did. The drifted columns below changed on their own: check them even so.`;
}

export function skippedColumnText(skipped: VersionComparison["skippedColumns"][number]): string {
  return skipped.reason === "identifier-name"
    ? `${skipped.column} (its name says it identifies rows)`
    : `${skipped.column} (nearly every value appears once: it identifies rows)`;
}

/**
 * Bins hold counts or shares. They are shares when each side's values lie in 0..1 and sum to about 1
 * (an empty side sums to 0); shares read better as percentages.
 */
export function binScale(bins: { reference: number; current: number }[]): "share" | "count" {
  const isShares = (values: number[]) => {
    const sum = values.reduce((total, v) => total + v, 0);
    return values.every((v) => v >= 0 && v <= 1) && (Math.abs(sum - 1) < 1e-6 || sum === 0);
  };
  const reference = bins.map((b) => b.reference);
  const current = bins.map((b) => b.current);
  return bins.length > 0 && isShares(reference) && isShares(current) && reference.concat(current).some((v) => v > 0 && v < 1) ? "share" : "count";
}

export function formatBinValue(value: number, scale: "share" | "count"): string {
  return scale === "share" ? formatShare(value) : formatCount(value);
}

/** A version number from the query string, or null when absent or not a positive whole number. */
export function parseVersionParam(value: string | null | undefined): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const version = Number(value);
  return Number.isSafeInteger(version) && version > 0 ? version : null;
}

/** A preview cell as text: null shown distinctly from the empty string; booleans and numbers as written. */
export function formatPreviewCell(value: string | number | boolean | null): string {
  if (value === null) return "null";
  return String(value);
}
