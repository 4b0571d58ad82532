"use client";
// One metric of many runs: a line per run in its colour, a readout of every run's value at the x under
// the pointer, and drag-to-zoom (double-click resets). Drawn on a canvas: 100 runs × 1,000 points as SVG
// paths cost recharts about a second of layout and paint per chart; a canvas draws them in milliseconds.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import { logExtent, logTicks, makeScale, niceTicks, paddedExtent, type Extent } from "@/lib/chart-scale";
import { formatX, pointNearest, type PlotSeries } from "@/lib/compare-series";
import type { CompareXAxis } from "@/lib/compare-state";
import { useTranslations } from "next-intl";
import { formatMetricValue } from "@/components/ui/time-format";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import { createHoverStore, useHover, type HoverStore } from "./hover-store";
import { formatDelta } from "./summary-table";
import styles from "./compare-charts.module.css";

export interface ChartLine {
  /** A run's id, or for a group of runs "group:" and its value. */
  runId: string;
  name: string;
  color: string;
  plot: PlotSeries;
  /** A group's lowest and highest value along x (the plot is then the group's mean). */
  band?: { x: Float64Array; lo: Float64Array; hi: Float64Array };
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
  /** The pinned baseline run's id: its line is drawn on top, thicker, and the readout gives differences from it. */
  baselineId?: string | null;
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
  for (const { plot } of lines) {
    const n = plot.x.length;
    if (!n) continue;
    // x is ascending: its ends are its extent.
    if (plot.x[0] < xMin) xMin = plot.x[0];
    if (plot.x[n - 1] > xMax) xMax = plot.x[n - 1];
    const ys = plot.y;
    for (let i = 0; i < n; i++) {
      const y = ys[i];
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  }
  for (const { band } of lines) {
    if (!band) continue;
    for (let i = 0; i < band.x.length; i++) {
      if (band.lo[i] < yMin && (!logScale || band.lo[i] > 0)) yMin = band.lo[i];
      if (band.hi[i] > yMax) yMax = band.hi[i];
    }
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
function paint(canvas: HTMLCanvasElement, frame: Frame, lines: ChartLine[], axis: CompareXAxis, baselineId: string | null) {
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
  ctx.lineJoin = "round";
  // Group bands first, translucent, so every mean line stays visible over them.
  ctx.globalAlpha = 0.18;
  for (const line of lines) {
    const band = line.band;
    if (!band || !band.x.length) continue;
    ctx.fillStyle = line.color;
    const yOf = (v: number) => sy.toPx(frame.log && v <= 0 ? frame.y.min : v);
    ctx.beginPath();
    ctx.moveTo(sx.toPx(band.x[0]), yOf(band.hi[0]));
    for (let i = 1; i < band.x.length; i++) ctx.lineTo(sx.toPx(band.x[i]), yOf(band.hi[i]));
    for (let i = band.x.length - 1; i >= 0; i--) ctx.lineTo(sx.toPx(band.x[i]), yOf(band.lo[i]));
    ctx.closePath();
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  // The baseline last, on top of the others.
  const ordered = baselineId ? [...lines.filter((l) => l.runId !== baselineId), ...lines.filter((l) => l.runId === baselineId)] : lines;
  const text = cssVar(canvas, "--text", "#1d2430");
  for (const line of ordered) {
    const { x, y } = line.plot;
    const n = x.length;
    if (!n) continue;
    const isBaseline = line.runId === baselineId;
    if (isBaseline && n > 1) {
      // A halo in the text colour sets the baseline apart whatever its own colour.
      ctx.strokeStyle = text;
      ctx.lineWidth = 4.5;
      ctx.beginPath();
      ctx.moveTo(sx.toPx(x[0]), sy.toPx(y[0]));
      for (let i = 1; i < n; i++) ctx.lineTo(sx.toPx(x[i]), sy.toPx(y[i]));
      ctx.stroke();
    }
    ctx.lineWidth = isBaseline ? 2.5 : line.band ? 2 : 1.5;
    ctx.strokeStyle = line.color;
    ctx.fillStyle = line.color;
    if (n === 1) {
      ctx.beginPath();
      ctx.arc(sx.toPx(x[0]), sy.toPx(y[0]), 3, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(sx.toPx(x[0]), sy.toPx(y[0]));
    for (let i = 1; i < n; i++) ctx.lineTo(sx.toPx(x[i]), sy.toPx(y[i]));
    ctx.stroke();
  }
  ctx.restore();
}

export function CompareLineChart(props: CompareLineChartProps) {
  const t = useTranslations("compareRuns.chart");
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
    if (canvas.current && frame) paint(canvas.current, frame, lines, axis, props.baselineId ?? null);
    else if (canvas.current) canvas.current.getContext("2d")?.clearRect(0, 0, canvas.current.width, canvas.current.height);
  }, [frame, lines, axis, theme, props.baselineId]);

  const drawn = frame ? lines.filter((line) => line.plot.x.length).length : 0;
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
            {t("loading", { metric: props.metricKey })}
          </p>
        ) : null}
        <canvas
          ref={canvas}
          className={styles.canvas}
          role="img"
          aria-label={t("lineLabel", { metric: props.metricKey, count: drawn })}
        />
        {frame ? <PointerOverlay frame={frame} hover={hover} axis={axis} onZoom={props.onZoom} onResetZoom={props.onResetZoom} /> : null}
        <HoverReadout hover={hover} lines={lines} axis={axis} smoothed={props.smoothed} baselineId={props.baselineId ?? null} />
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
function HoverReadout({
  hover,
  lines,
  axis,
  smoothed,
  baselineId,
}: {
  hover: HoverStore;
  lines: ChartLine[];
  axis: CompareXAxis;
  smoothed: boolean;
  baselineId: string | null;
}) {
  const current = useHover(hover);
  const t = useTranslations("compareRuns.chart");
  const format = useLocaleFormat();
  if (current === null || !Number.isFinite(current.x)) return null;
  const { x } = current;
  const rows = lines
    .map((line) => {
      const i = pointNearest(line.plot.x, x);
      if (i < 0) return null;
      const b = line.band ? pointNearest(line.band.x, x) : -1;
      return { line, point: { x: line.plot.x[i], y: line.plot.y[i], raw: line.plot.raw[i] }, band: b < 0 ? null : { lo: line.band!.lo[b], hi: line.band!.hi[b] } };
    })
    .filter((row) => row !== null)
    .sort((a, b) => b.point.y - a.point.y);
  const baseline = baselineId ? rows.find((row) => row.line.runId === baselineId) : undefined;
  return (
    // Shown on the side away from the pointer, so it never hides the lines being read.
    <div className={`${styles.readout} ${current.across > 0.5 ? styles.readoutLeft : styles.readoutRight}`} data-testid="chart-readout">
      <div className={styles.readoutTitle}>
        {axis === "step" ? t("step", { step: formatX(rows[0]?.point.x ?? x, axis) }) : formatX(rows[0]?.point.x ?? x, axis)}
      </div>
      {rows.length ? (
        <table>
          <tbody>
            {rows.map(({ line, point, band }) => (
              <tr key={line.runId}>
                <td title={line.name}>
                  <span className={styles.swatch} style={{ background: line.color }} aria-hidden="true" />
                  {line.name}
                </td>
                <td className={styles.readoutValue}>
                  {format.metricValue(point.y)}
                  {smoothed && !band ? <span className={styles.raw}> ({format.metricValue(point.raw)})</span> : null}
                  {band ? <span className={styles.raw}> ({format.metricValue(band.lo)} – {format.metricValue(band.hi)})</span> : null}
                  {baseline && line.runId !== baselineId ? <span className={styles.raw}> Δ {formatDelta(point.y, baseline.point.y, format.locale)}</span> : null}
                  {line.runId === baselineId ? <span className={styles.raw}> {t("baseline")}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("noValue")}</p>
      )}
    </div>
  );
}
