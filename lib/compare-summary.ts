// The compare page's summary table: per run the last, lowest and highest value of a metric with their
// steps, sorted by any column, extremes marked, and each value's difference from a pinned baseline run.
// No metric in the studio records whether lower or higher is better, so nothing is guessed from a name
// like "loss": the table shows both the lowest and the highest value and marks the extreme of each.

export interface MetricSummary {
  runId: string;
  key: string;
  /** Finite points logged. */
  count: number;
  /** The value at the highest step (the latest timestamp on ties), as MLflow's "latest" metric. */
  last: number;
  lastStep: number;
  /** The lowest value and the earliest step it was logged at. */
  min: number;
  minStep: number;
  /** The highest value and the earliest step it was logged at. */
  max: number;
  maxStep: number;
}

export type SummaryValueColumn = "last" | "min" | "max";
export type SummarySortColumn = "run" | SummaryValueColumn | "lastStep" | "minStep" | "maxStep" | "count";

export interface SummarySort {
  column: SummarySortColumn;
  descending: boolean;
}

/**
 * Rows sorted by a column; ties keep the runs' order. The run column sorts by name (natural order:
 * "run-2" before "run-10").
 */
export function sortSummaryRows<T extends MetricSummary>(rows: readonly T[], sort: SummarySort, nameOf: (runId: string) => string): T[] {
  const sign = sort.descending ? -1 : 1;
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  const indexed = rows.map((row, index) => ({ row, index }));
  indexed.sort((a, b) => {
    const order = sort.column === "run" ? collator.compare(nameOf(a.row.runId), nameOf(b.row.runId)) : a.row[sort.column] - b.row[sort.column];
    return sign * order || a.index - b.index;
  });
  return indexed.map((entry) => entry.row);
}

/** The runs holding the lowest "min" and the highest "max" (every run on a tie), to be marked in the table. */
export function summaryExtremes(rows: readonly MetricSummary[]): { lowest: Set<string>; highest: Set<string> } {
  let low = Infinity;
  let high = -Infinity;
  for (const row of rows) {
    if (row.min < low) low = row.min;
    if (row.max > high) high = row.max;
  }
  return {
    lowest: new Set(rows.filter((row) => row.min === low).map((row) => row.runId)),
    highest: new Set(rows.filter((row) => row.max === high).map((row) => row.runId)),
  };
}

export interface BaselineDelta {
  /** value − baseline. */
  difference: number;
  /** (value − baseline) / |baseline|, or null when the baseline is 0. */
  relative: number | null;
}

export function deltaVsBaseline(value: number, baseline: number): BaselineDelta {
  const difference = value - baseline;
  return { difference, relative: baseline === 0 ? null : difference / Math.abs(baseline) };
}

/** A metric every run logged once (a final score), drawn as bars rather than a dot per run at one step. */
export function isSingleValueMetric(pointsPerRun: readonly number[]): boolean {
  return pointsPerRun.length > 0 && pointsPerRun.every((n) => n <= 1) && pointsPerRun.some((n) => n === 1);
}
