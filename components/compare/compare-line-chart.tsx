"use client";
// One metric of many runs: a line per run in its colour, a readout of every run's value at the x under
// the pointer, and drag-to-zoom (double-click resets).
import { memo, useId, useMemo, useState, type MouseEvent } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis, usePlotArea, useXAxisInverseScale } from "recharts";
import { formatX, pointNearest, type PlotPoint } from "@/lib/compare-series";
import type { CompareXAxis } from "@/lib/compare-state";
import { formatMetricValue } from "@/components/ui/time-format";
import { createHoverStore, useHover, type HoverStore } from "./hover-store";
import styles from "./compare-charts.module.css";

export interface ChartLine {
  runId: string;
  name: string;
  color: string;
  points: PlotPoint[];
}

export interface CompareLineChartProps {
  metricKey: string;
  lines: ChartLine[];
  axis: CompareXAxis;
  logScale: boolean;
  smoothed: boolean;
  /** The zoomed range; null fits the data. */
  range: { min: number; max: number } | null;
  loading: boolean;
  /** One sentence under the chart: points drawn, downsampling, values hidden by the log scale. */
  summary: string;
  onZoom: (range: { min: number; max: number }) => void;
  onResetZoom: () => void;
}

const AXIS_TICK = { fill: "var(--muted)", fontSize: 11 };
/** A drag shorter than this is a click, not a zoom. */
const MIN_DRAG_PX = 6;

export function CompareLineChart(props: CompareLineChartProps) {
  const captionId = useId();
  const [hover] = useState(createHoverStore);
  const { lines, axis, logScale, range } = props;
  const yDomain = useMemo(() => (logScale ? logDomain(lines) : undefined), [lines, logScale]);
  return (
    <figure className={styles.figure} aria-labelledby={captionId} data-testid="compare-chart" data-metric={props.metricKey} data-ready={props.loading ? "false" : "true"}>
      <div className={styles.plot}>
        {props.loading && !lines.length ? <p className={styles.loading} role="status">Loading {props.metricKey}…</p> : null}
        <ResponsiveContainer width="100%" height="100%">
          <LineChart margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              domain={range ? [range.min, range.max] : ["dataMin", "dataMax"]}
              allowDataOverflow={Boolean(range)}
              tick={AXIS_TICK}
              stroke="var(--border)"
              tickFormatter={(x: number) => formatX(x, axis)}
            />
            <YAxis
              dataKey="y"
              type="number"
              scale={logScale ? "log" : "auto"}
              domain={yDomain ?? ["auto", "auto"]}
              allowDataOverflow={logScale}
              width={64}
              tick={AXIS_TICK}
              stroke="var(--border)"
              tickFormatter={(v: number) => formatMetricValue(v)}
            />
            {lines.map((line) => (
              <Line
                key={line.runId}
                data={line.points}
                dataKey="y"
                name={line.name}
                stroke={line.color}
                strokeWidth={1.5}
                dot={line.points.length === 1}
                isAnimationActive={false}
                connectNulls
              />
            ))}
            <PointerOverlay hover={hover} axis={axis} onZoom={props.onZoom} onResetZoom={props.onResetZoom} />
          </LineChart>
        </ResponsiveContainer>
        <HoverReadout hover={hover} lines={lines} axis={axis} smoothed={props.smoothed} />
      </div>
      <figcaption id={captionId} className={styles.caption}>
        <strong>{props.metricKey}</strong> — {props.summary}
      </figcaption>
    </figure>
  );
}

function logDomain(lines: ChartLine[]): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const line of lines)
    for (const p of line.points) {
      if (p.y < min) min = p.y;
      if (p.y > max) max = p.y;
    }
  if (!(min > 0) || !(max >= min)) return undefined;
  // Whole decades, so the ticks fall on 0.01, 0.1, 1…
  return [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max))];
}

/**
 * A transparent layer over the plot area, inside the chart so that recharts' scales can turn pixels
 * into x values. Its own state (the hover line, the drag band) re-renders only itself.
 */
const PointerOverlay = memo(function PointerOverlay({
  hover,
  axis,
  onZoom,
  onResetZoom,
}: {
  hover: HoverStore;
  axis: CompareXAxis;
  onZoom: (range: { min: number; max: number }) => void;
  onResetZoom: () => void;
}) {
  const area = usePlotArea();
  const invert = useXAxisInverseScale();
  const [hoverPx, setHoverPx] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  if (!area || !invert) return null;
  const left = area.x;
  const right = area.x + area.width;
  const pixelOf = (event: MouseEvent<SVGRectElement>) => {
    const svg = event.currentTarget.ownerSVGElement;
    const box = svg ? svg.getBoundingClientRect() : { left: 0 };
    return Math.min(right, Math.max(left, event.clientX - box.left));
  };
  const xAt = (px: number) => Number(invert(px));
  return (
    <g>
      {hoverPx !== null ? (
        <line x1={hoverPx} x2={hoverPx} y1={area.y} y2={area.y + area.height} stroke="var(--muted)" strokeDasharray="3 3" pointerEvents="none" />
      ) : null}
      {drag ? (
        <rect
          x={Math.min(drag.from, drag.to)}
          y={area.y}
          width={Math.abs(drag.to - drag.from)}
          height={area.height}
          fill="var(--accent)"
          fillOpacity={0.15}
          pointerEvents="none"
        />
      ) : null}
      <rect
        data-testid="chart-pointer-layer"
        x={area.x}
        y={area.y}
        width={Math.max(0, area.width)}
        height={Math.max(0, area.height)}
        fill="transparent"
        style={{ cursor: "crosshair" }}
        onMouseMove={(event) => {
          const px = pixelOf(event);
          setHoverPx(px);
          hover.set({ x: xAt(px), across: area.width > 0 ? (px - left) / area.width : 0 });
          if (drag) setDrag({ from: drag.from, to: px });
        }}
        onMouseLeave={() => {
          setHoverPx(null);
          hover.set(null);
          setDrag(null);
        }}
        onMouseDown={(event) => {
          event.preventDefault();
          const px = pixelOf(event);
          setDrag({ from: px, to: px });
        }}
        onMouseUp={(event) => {
          if (!drag) return;
          const px = pixelOf(event);
          setDrag(null);
          if (Math.abs(px - drag.from) < MIN_DRAG_PX) return;
          let min = xAt(Math.min(px, drag.from));
          let max = xAt(Math.max(px, drag.from));
          // Steps are whole numbers; time axes are milliseconds.
          min = Math.floor(min);
          max = Math.ceil(max);
          if (Number.isFinite(min) && Number.isFinite(max) && min < max) onZoom({ min, max });
        }}
        onDoubleClick={onResetZoom}
      >
        <title>{`Drag across the chart to zoom into a ${axis === "step" ? "step" : "time"} range; double-click to zoom out`}</title>
      </rect>
    </g>
  );
});

/** Every visible run's value at the x under the pointer, highest first. */
function HoverReadout({ hover, lines, axis, smoothed }: { hover: HoverStore; lines: ChartLine[]; axis: CompareXAxis; smoothed: boolean }) {
  const current = useHover(hover);
  if (current === null || !Number.isFinite(current.x)) return null;
  const { x } = current;
  const rows = lines
    .map((line) => ({ line, point: pointNearest(line.points, x) }))
    .filter((row): row is { line: ChartLine; point: PlotPoint } => row.point !== null)
    .sort((a, b) => b.point.y - a.point.y);
  return (
    // Shown on the side away from the pointer, so it never hides the lines being read.
    <div className={`${styles.readout} ${current.across > 0.5 ? styles.readoutLeft : styles.readoutRight}`} data-testid="chart-readout">
      <div className={styles.readoutTitle}>
        {axis === "step" ? "step " : ""}
        {formatX(rows[0]?.point.x ?? x, axis)}
      </div>
      {rows.length ? (
        <table>
          <tbody>
            {rows.map(({ line, point }) => (
              <tr key={line.runId}>
                <td>
                  <span className={styles.swatch} style={{ background: line.color }} aria-hidden="true" />
                  {line.name}
                </td>
                <td className={styles.readoutValue}>
                  {formatMetricValue(point.y)}
                  {smoothed ? <span className={styles.raw}> ({formatMetricValue(point.raw)})</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No run has a value here.</p>
      )}
    </div>
  );
}
