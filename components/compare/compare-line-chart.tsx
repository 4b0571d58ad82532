"use client";
// One metric of many runs: a line per run in its colour, a readout of every run's value at the x under
// the pointer, and drag-to-zoom (double-click resets). Drawn on a canvas: 100 runs × 1,000 points as SVG
// paths cost recharts about a second of layout and paint per chart; a canvas draws them in milliseconds.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { logExtent, logTicks, makeScale, niceTicks, paddedExtent, type Extent } from "@/lib/chart-scale";
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

/** Room around the plot area for the axes' labels, in CSS pixels. */
const MARGIN = { top: 8, right: 16, bottom: 24, left: 68 };
/** A drag shorter than this is a click, not a zoom. */
const MIN_DRAG_PX = 6;
const FONT = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";

interface Frame {
  width: number;
  height: number;
  x: Extent;
  y: Extent;
  log: boolean;
}

/** The x and y extents of what is drawn: the zoomed range or the data's span; whole decades on a log scale. */
function frameOf(lines: ChartLine[], range: { min: number; max: number } | null, logScale: boolean, width: number, height: number): Frame | null {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const line of lines)
    for (const p of line.points) {
      if (p.x < xMin) xMin = p.x;
      if (p.x > xMax) xMax = p.x;
      if (p.y < yMin) yMin = p.y;
      if (p.y > yMax) yMax = p.y;
    }
  if (!Number.isFinite(xMin)) return null;
  const x = range ? { min: range.min, max: range.max } : xMin === xMax ? { min: xMin - 1, max: xMax + 1 } : { min: xMin, max: xMax };
  const logY = logScale ? logExtent(yMin, yMax) : null;
  return { width, height, x, y: logY ?? paddedExtent(yMin, yMax), log: logY !== null };
}

function cssVar(element: Element, name: string, fallback: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}

/** Paints grid, axes and every line; the theme's colours are read at paint time so dark mode repaints right. */
function paint(canvas: HTMLCanvasElement, frame: Frame, lines: ChartLine[], axis: CompareXAxis) {
  const ratio = window.devicePixelRatio || 1;
  const { width, height } = frame;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  if (right <= left || bottom <= top) return;
  const sx = makeScale(frame.x, { min: left, max: right });
  const sy = makeScale(frame.y, { min: bottom, max: top }, frame.log);
  const border = cssVar(canvas, "--border", "#d0d4da");
  const muted = cssVar(canvas, "--muted", "#5b6472");

  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeStyle = border;
  ctx.fillStyle = muted;
  ctx.setLineDash([3, 3]);
  const xTicks = niceTicks(frame.x.min, frame.x.max, Math.max(2, Math.floor((right - left) / 90)));
  const yTicks = frame.log ? logTicks(frame.y.min, frame.y.max) : niceTicks(frame.y.min, frame.y.max, 5);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of xTicks) {
    const px = Math.round(sx.toPx(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, bottom);
    ctx.stroke();
    ctx.fillText(formatX(t, axis), px, bottom + 6);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of yTicks) {
    const py = Math.round(sy.toPx(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, py);
    ctx.lineTo(right, py);
    ctx.stroke();
    ctx.fillText(formatMetricValue(t), left - 6, py);
  }
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(left + 0.5, top);
  ctx.lineTo(left + 0.5, bottom + 0.5);
  ctx.lineTo(right, bottom + 0.5);
  ctx.stroke();

  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, right - left, bottom - top);
  ctx.clip();
  ctx.lineWidth = 1.5;
  ctx.lineJoin = "round";
  for (const line of lines) {
    const { points } = line;
    if (!points.length) continue;
    ctx.strokeStyle = line.color;
    ctx.fillStyle = line.color;
    if (points.length === 1) {
      ctx.beginPath();
      ctx.arc(sx.toPx(points[0].x), sy.toPx(points[0].y), 3, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(sx.toPx(points[0].x), sy.toPx(points[0].y));
    for (let i = 1; i < points.length; i++) ctx.lineTo(sx.toPx(points[i].x), sy.toPx(points[i].y));
    ctx.stroke();
  }
  ctx.restore();
}

export function CompareLineChart(props: CompareLineChartProps) {
  const captionId = useId();
  const [hover] = useState(createHoverStore);
  const { lines, axis, logScale, range } = props;
  const plot = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  // The theme changes colours under the canvas: a repaint follows it.
  const [theme, setTheme] = useState<string | null>(null);

  useEffect(() => {
    const element = plot.current;
    if (!element) return;
    const measure = () => setSize((old) => (old && old.width === element.clientWidth && old.height === element.clientHeight ? old : { width: element.clientWidth, height: element.clientHeight }));
    measure();
    const resize = new ResizeObserver(measure);
    resize.observe(element);
    const root = document.documentElement;
    const themeWatch = new MutationObserver(() => setTheme(`${root.getAttribute("data-theme")}|${root.className}`));
    themeWatch.observe(root, { attributes: true, attributeFilter: ["data-theme", "class", "style"] });
    return () => {
      resize.disconnect();
      themeWatch.disconnect();
    };
  }, []);

  const frame = useMemo(() => (size ? frameOf(lines, range, logScale, size.width, size.height) : null), [lines, range, logScale, size]);
  // Painted in the same commit that sets data-ready, so "ready" never shows before the lines are on the canvas.
  useLayoutEffect(() => {
    if (canvas.current && frame) paint(canvas.current, frame, lines, axis);
    else if (canvas.current) canvas.current.getContext("2d")?.clearRect(0, 0, canvas.current.width, canvas.current.height);
  }, [frame, lines, axis, theme]);

  const drawn = frame ? lines.filter((line) => line.points.length).length : 0;
  return (
    <figure
      className={styles.figure}
      aria-labelledby={captionId}
      data-testid="compare-chart"
      data-metric={props.metricKey}
      data-ready={props.loading ? "false" : "true"}
      data-lines={drawn}
    >
      <div className={styles.plot} ref={plot}>
        {props.loading && !lines.length ? (
          <p className={styles.loading} role="status">
            Loading {props.metricKey}…
          </p>
        ) : null}
        <canvas
          ref={canvas}
          className={styles.canvas}
          role="img"
          aria-label={`Line chart of ${props.metricKey} for ${drawn} run${drawn === 1 ? "" : "s"}; hover for each run's value`}
        />
        {frame ? <PointerOverlay frame={frame} hover={hover} axis={axis} onZoom={props.onZoom} onResetZoom={props.onResetZoom} /> : null}
        <HoverReadout hover={hover} lines={lines} axis={axis} smoothed={props.smoothed} />
      </div>
      <figcaption id={captionId} className={styles.caption}>
        <strong>{props.metricKey}</strong> — {props.summary}
      </figcaption>
    </figure>
  );
}

/** A transparent layer over the plot area: the hover line, the drag band, and the pixels → x map. */
function PointerOverlay({
  frame,
  hover,
  axis,
  onZoom,
  onResetZoom,
}: {
  frame: Frame;
  hover: HoverStore;
  axis: CompareXAxis;
  onZoom: (range: { min: number; max: number }) => void;
  onResetZoom: () => void;
}) {
  const [hoverPx, setHoverPx] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const areaWidth = Math.max(0, frame.width - MARGIN.left - MARGIN.right);
  const areaHeight = Math.max(0, frame.height - MARGIN.top - MARGIN.bottom);
  const sx = makeScale(frame.x, { min: 0, max: areaWidth });
  const pixelOf = (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return Math.min(areaWidth, Math.max(0, event.clientX - box.left));
  };
  return (
    <div
      data-testid="chart-pointer-layer"
      className={styles.pointerLayer}
      style={{ left: MARGIN.left, top: MARGIN.top, width: areaWidth, height: areaHeight }}
      title={`Drag across the chart to zoom into a ${axis === "step" ? "step" : "time"} range; double-click to zoom out`}
      onMouseMove={(event) => {
        const px = pixelOf(event);
        setHoverPx(px);
        hover.set({ x: sx.fromPx(px), across: areaWidth > 0 ? px / areaWidth : 0 });
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
        // Steps are whole numbers; time axes are milliseconds.
        const min = Math.floor(sx.fromPx(Math.min(px, drag.from)));
        const max = Math.ceil(sx.fromPx(Math.max(px, drag.from)));
        if (Number.isFinite(min) && Number.isFinite(max) && min < max) onZoom({ min, max });
      }}
      onDoubleClick={onResetZoom}
    >
      {hoverPx !== null ? <div className={styles.hoverLine} style={{ left: hoverPx }} /> : null}
      {drag ? <div className={styles.dragBand} style={{ left: Math.min(drag.from, drag.to), width: Math.abs(drag.to - drag.from) }} /> : null}
    </div>
  );
}

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
                <td title={line.name}>
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
