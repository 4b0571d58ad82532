"use client";
// A metric every run logged once (a final score, a test accuracy): one bar per run, not a dot per run
// stacked at step 0. Hover or focus a bar for its run's full name and value (and its difference from the
// pinned baseline); the baseline's value is drawn as a dashed line across the bars.
import { useId, useRef, useState } from "react";
import { makeScale, niceTicks } from "@/lib/chart-scale";
import { useTranslations } from "next-intl";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import styles from "./compare-charts.module.css";
import { formatDelta } from "./summary-table";
import { useElementWidth } from "./use-element-width";

export interface ChartBar {
  runId: string;
  name: string;
  color: string;
  value: number;
}

const MARGIN = { top: 8, right: 16, bottom: 10, left: 68 };
const HEIGHT = 260;

export function CompareBarChart({
  metricKey,
  bars,
  baseline,
  loading,
  summary,
}: {
  metricKey: string;
  bars: ChartBar[];
  baseline: string | null;
  loading: boolean;
  summary: string;
}) {
  const t = useTranslations("compareRuns.chart");
  const format = useLocaleFormat();
  const captionId = useId();
  const plot = useRef<HTMLDivElement>(null);
  const width = useElementWidth(plot, 1) ?? 0;
  const [hovered, setHovered] = useState<ChartBar | null>(null);
  const baselineBar = baseline ? bars.find((bar) => bar.runId === baseline) : undefined;

  let low = 0;
  let high = 0;
  for (const bar of bars) {
    low = Math.min(low, bar.value);
    high = Math.max(high, bar.value);
  }
  if (low === high) high = low + 1;
  const ticks = niceTicks(low, high, 5);
  const domain = { min: Math.min(low, ticks[0] ?? low), max: Math.max(high, ticks.at(-1) ?? high) };
  const left = MARGIN.left;
  const right = Math.max(left + 1, width - MARGIN.right);
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  const sy = makeScale(domain, { min: bottom, max: top });
  const slot = (right - left) / Math.max(1, bars.length);
  const gap = slot > 6 ? Math.min(8, slot * 0.2) : 0;
  const zero = sy.toPx(0);

  return (
    <figure className={styles.figure} aria-labelledby={captionId} data-testid="compare-chart" data-metric={metricKey} data-kind="bars" data-ready={loading ? "false" : "true"} data-lines={bars.length}>
      <div className={styles.plot} ref={plot}>
        {width > 0 ? (
          <svg className={styles.bars} width={width} height={HEIGHT} role="img" aria-label={t("barLabel", { metric: metricKey, count: bars.length })}>
            {ticks.map((tick) => (
              <g key={tick}>
                <line x1={left} x2={right} y1={sy.toPx(tick)} y2={sy.toPx(tick)} stroke="var(--border)" strokeDasharray="3 3" />
                <text x={left - 6} y={sy.toPx(tick)} textAnchor="end" dominantBaseline="middle" fontSize={11} fill="var(--muted)">
                  {format.metricValue(tick)}
                </text>
              </g>
            ))}
            <line x1={left} x2={right} y1={zero} y2={zero} stroke="var(--muted)" />
            {bars.map((bar, i) => {
              const y = sy.toPx(bar.value);
              return (
                <rect
                  key={bar.runId}
                  data-testid="chart-bar"
                  x={left + i * slot + gap / 2}
                  y={Math.min(y, zero)}
                  width={Math.max(1, slot - gap)}
                  height={Math.max(1, Math.abs(zero - y))}
                  fill={bar.color}
                  stroke={bar.runId === baseline ? "var(--text)" : "none"}
                  strokeWidth={2}
                  onMouseEnter={() => setHovered(bar)}
                  onMouseLeave={() => setHovered(null)}
                >
                  <title>{`${bar.name}: ${format.metricValue(bar.value)}`}</title>
                </rect>
              );
            })}
            {baselineBar ? (
              <line x1={left} x2={right} y1={sy.toPx(baselineBar.value)} y2={sy.toPx(baselineBar.value)} stroke="var(--text)" strokeDasharray="6 4" pointerEvents="none" />
            ) : null}
          </svg>
        ) : null}
        {loading && !bars.length ? (
          <p className={styles.loading} role="status">
            {t("loading", { metric: metricKey })}
          </p>
        ) : null}
        {hovered ? (
          <div className={`${styles.readout} ${styles.readoutRight}`} data-testid="chart-readout">
            <table>
              <tbody>
                <tr>
                  <td title={hovered.name}>
                    <span className={styles.swatch} style={{ background: hovered.color }} aria-hidden="true" />
                    {hovered.name}
                  </td>
                  <td className={styles.readoutValue}>
                    {format.metricValue(hovered.value)}
                    {baselineBar && hovered.runId !== baselineBar.runId ? <span className={styles.raw}> Δ {formatDelta(hovered.value, baselineBar.value, format.locale)}</span> : null}
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      <figcaption id={captionId} className={styles.caption}>
        <strong>{metricKey}</strong> — {summary}
      </figcaption>
    </figure>
  );
}
