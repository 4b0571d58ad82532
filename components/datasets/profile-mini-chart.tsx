"use client";
// A column's distribution in 120×32 px: histogram bars for numbers, top-value bars for categories, summarised in its aria-label.
import { useMemo } from "react";
import { Bar, BarChart, Tooltip, XAxis, YAxis } from "recharts";
import type { DatasetProfileOutput } from "@/server/datasets/schema";
import { histogramBars, summariseBars, topValueBars } from "./profile-format";
import { formatCount } from "./format-bytes";
import styles from "./version-pages.module.css";

type ColumnProfile = DatasetProfileOutput["columns"][number];

const WIDTH = 120;
const HEIGHT = 32;

/** `rows` is the version's row count: top-value bars are drawn against the column's non-missing rows, so a few of many distinct values look small. */
export function ProfileMiniChart({ column, rows }: { column: ColumnProfile; rows: number }) {
  const chart = useMemo(() => {
    if (column.histogram && column.histogram.counts.length) {
      const bars = histogramBars(column.histogram);
      return { bars, summary: summariseBars("histogram", column.name, bars), top: undefined };
    }
    if (column.topValues && column.topValues.length) {
      const bars = topValueBars(column.topValues);
      // Missing values may be one of the top values; then the whole column is the scale.
      const scale = bars.some((bar) => bar.label === "(missing)") ? rows : rows - column.missing;
      return { bars, summary: summariseBars("top values", column.name, bars, scale), top: scale > 0 ? scale : undefined };
    }
    return null;
  }, [column, rows]);

  if (!chart) return <span className={styles.miniEmpty}>no chart</span>;
  return (
    // The bars are decoration for sighted readers; the label carries the same facts for everyone else.
    <div role="img" aria-label={chart.summary} title={chart.summary} className={styles.miniChart}>
      <BarChart width={WIDTH} height={HEIGHT} data={chart.bars} margin={{ top: 1, right: 0, bottom: 0, left: 0 }} barCategoryGap={1} accessibilityLayer={false}>
        <XAxis dataKey="label" hide />
        <YAxis hide domain={chart.top ? [0, chart.top] : [0, "auto"]} allowDataOverflow />
        <Tooltip
          cursor={{ fill: "var(--border)" }}
          allowEscapeViewBox={{ x: true, y: true }}
          wrapperStyle={{ zIndex: 5 }}
          contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)", fontSize: "0.8rem", padding: "0.2rem 0.4rem" }}
          formatter={(value) => [typeof value === "number" ? formatCount(value) : String(value), "rows"]}
        />
        <Bar dataKey="count" fill="var(--accent)" isAnimationActive={false} minPointSize={1} />
      </BarChart>
    </div>
  );
}
