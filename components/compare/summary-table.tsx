"use client";
// Per run, one metric's last, lowest and highest value with the step each was logged at; sortable by any
// column, the lowest minimum and the highest maximum marked, and with a baseline run pinned, every value's
// difference from the baseline's. No metric records whether lower or higher is better, so both are shown.
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatMetricValue } from "@/components/ui/time-format";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import type { Locale } from "@/lib/i18n/locales";
import ui from "@/components/ui/ui.module.css";
import { deltaVsBaseline, sortSummaryRows, summaryExtremes, type MetricSummary, type SummarySort, type SummarySortColumn } from "@/lib/compare-summary";
import styles from "./compare-charts.module.css";
import type { RunLabel } from "./compare-view";

/** Rows drawn before "Show all": a thousand-run table stays responsive until asked for. */
const ROWS_SHOWN = 100;

/** The columns in order; each header's text is the message `compareRuns.summary.columns.<column>`. */
const COLUMNS: { column: SummarySortColumn; numeric: boolean }[] = [
  { column: "run", numeric: false },
  { column: "last", numeric: true },
  { column: "lastStep", numeric: true },
  { column: "min", numeric: true },
  { column: "minStep", numeric: true },
  { column: "max", numeric: true },
  { column: "maxStep", numeric: true },
  { column: "count", numeric: true },
];

export function formatDelta(value: number, baseline: number, locale: Locale = "en"): string {
  const { difference, relative } = deltaVsBaseline(value, baseline);
  const sign = difference > 0 ? "+" : difference < 0 ? "−" : "±";
  // French sets the percent sign apart with a narrow no-break space, as Intl does.
  const percentSign = locale === "en" ? "%" : "\u202f%";
  const percent = relative === null ? "" : ` (${relative > 0 ? "+" : relative < 0 ? "−" : "±"}${formatMetricValue(Math.abs(relative * 100), locale)}${percentSign})`;
  return `${sign}${formatMetricValue(Math.abs(difference), locale)}${percent}`;
}

export function SummaryTable({
  runs,
  metricKeys,
  metric,
  baseline,
  onMetricChange,
}: {
  runs: RunLabel[];
  metricKeys: string[];
  metric: string | null;
  baseline: string | null;
  onMetricChange: (metric: string) => void;
}) {
  const t = useTranslations("compareRuns.summary");
  const format = useLocaleFormat();
  const trpc = useTRPC();
  const runIds = useMemo(() => runs.map((run) => run.runId), [runs]);
  const summary = useQuery({
    ...trpc.tracking.metricSummary.queryOptions({ runIds: runIds.length ? runIds : ["-"], keys: [metric ?? "-"] }),
    enabled: runIds.length > 0 && metric !== null,
  });
  const [sort, setSort] = useState<SummarySort>({ column: "run", descending: false });
  const [showAll, setShowAll] = useState(false);
  const byId = useMemo(() => new Map(runs.map((run) => [run.runId, run])), [runs]);
  const rows = useMemo(() => sortSummaryRows(summary.data ?? [], sort, (id) => byId.get(id)?.name ?? id), [summary.data, sort, byId]);
  const extremes = useMemo(() => summaryExtremes(rows), [rows]);
  const baselineRow: MetricSummary | undefined = baseline ? rows.find((row) => row.runId === baseline) : undefined;
  if (!metric) return <p className={ui.muted}>{t("noMetrics")}</p>;

  const shown = showAll ? rows : rows.slice(0, ROWS_SHOWN);
  const value = (row: MetricSummary, column: "last" | "min" | "max") => (
    <>
      {format.metricValue(row[column])}
      {baselineRow && row.runId !== baselineRow.runId ? (
        <span className={styles.delta} title={t("deltaTitle", { column: t(`columns.${column}`) })}>
          {" "}
          {formatDelta(row[column], baselineRow[column], format.locale)}
        </span>
      ) : null}
    </>
  );
  return (
    <div>
      <div className={styles.toolbar}>
        <div className={styles.control}>
          <label htmlFor="compare-summary-metric">{t("metric")}</label>
          <select id="compare-summary-metric" className={ui.input} value={metric} onChange={(event) => onMetricChange(event.target.value)}>
            {metricKeys.map((key) => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </select>
        </div>
        <p className={ui.muted}>
          {t("extremesNote")}
          {baselineRow ? ` ${t("deltaNote")}` : ""}
        </p>
      </div>
      {summary.error ? <QueryError error={summary.error} onRetry={() => void summary.refetch()} /> : null}
      {summary.isPending ? (
        <p role="status">{t("loading")}</p>
      ) : (
        <div className={ui.tableWrap} tabIndex={0} role="region" aria-label={t("regionLabel", { metric })}>
          <table className={ui.table} data-testid="compare-summary">
            <caption className="visually-hidden">
              {t("caption", { metric })}
            </caption>
            <thead>
              <tr>
                {COLUMNS.map(({ column, numeric }) => {
                  const active = sort.column === column;
                  return (
                    <th key={column} scope="col" className={numeric ? ui.num : undefined} aria-sort={active ? (sort.descending ? "descending" : "ascending") : undefined}>
                      <button
                        type="button"
                        className={styles.sortButton}
                        onClick={() => setSort({ column, descending: active ? !sort.descending : false })}
                      >
                        {t(`columns.${column}`)}
                        <span aria-hidden="true">{active ? (sort.descending ? " ↓" : " ↑") : ""}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => {
                const run = byId.get(row.runId);
                const isBaseline = row.runId === baseline;
                return (
                  <tr key={row.runId} className={isBaseline ? styles.baselineRow : undefined}>
                    <th scope="row" title={run?.name ?? row.runId}>
                      <span className={styles.swatch} style={{ background: run?.color }} aria-hidden="true" />
                      {run?.name ?? row.runId}
                      {isBaseline ? <span className={styles.baselineBadge}> {t("baseline")}</span> : null}
                    </th>
                    <td className={ui.num}>{value(row, "last")}</td>
                    <td className={ui.num}>{row.lastStep}</td>
                    <td className={`${ui.num} ${extremes.lowest.has(row.runId) ? styles.extreme : ""}`}>
                      {extremes.lowest.has(row.runId) ? <span title={t("lowestTitle")}>▼ </span> : null}
                      {value(row, "min")}
                      {extremes.lowest.has(row.runId) ? <span className="visually-hidden"> {t("lowest")}</span> : null}
                    </td>
                    <td className={ui.num}>{row.minStep}</td>
                    <td className={`${ui.num} ${extremes.highest.has(row.runId) ? styles.extreme : ""}`}>
                      {extremes.highest.has(row.runId) ? <span title={t("highestTitle")}>▲ </span> : null}
                      {value(row, "max")}
                      {extremes.highest.has(row.runId) ? <span className="visually-hidden"> {t("highest")}</span> : null}
                    </td>
                    <td className={ui.num}>{row.maxStep}</td>
                    <td className={ui.num}>{row.count.toLocaleString("en")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > shown.length ? (
        <button type="button" className={ui.secondary} onClick={() => setShowAll(true)}>
          {t("showAll", { count: rows.length })}
        </button>
      ) : null}
      {summary.data && rows.length < runs.length ? (
        <p className={ui.muted}>
          {t("withoutValue", { count: runs.length - rows.length, metric })}
        </p>
      ) : null}
    </div>
  );
}
