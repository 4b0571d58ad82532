// Pure logic of the compare views: a run's value in a column, params that differ, parallel-coordinates axes, scatter points.
import type { Run } from "@/server/tracking/schema";

export type ColumnKind = "metrics" | "params" | "tags";
const columnKinds: readonly ColumnKind[] = ["metrics", "params", "tags"];

/** A column id is "<kind>.<key>"; only the first dot separates them, because keys themselves often hold dots. */
export interface ColumnRef {
  kind: ColumnKind;
  key: string;
}

export function toColumnId(kind: ColumnKind, key: string): string {
  return `${kind}.${key}`;
}

export function parseColumnId(id: string): ColumnRef | null {
  const dot = id.indexOf(".");
  if (dot < 0) return null;
  const kind = id.slice(0, dot);
  const key = id.slice(dot + 1);
  if (!key || !(columnKinds as readonly string[]).includes(kind)) return null;
  return { kind: kind as ColumnKind, key };
}

/**
 * What a run holds in a column: the text as logged (metrics: their number written out) and, when it is a
 * finite number, that number. A NaN or infinite metric has text but no number: it cannot be placed on an axis.
 */
export interface RunValue {
  text: string;
  number: number | null;
}

/** Decimal numbers only: "0x10", "1_000", "" or "Infinity" are words to a person reading params, so they stay text. */
const decimalNumber = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function parseNumericText(text: string): number | null {
  const trimmed = text.trim();
  if (!decimalNumber.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

export function runValue(run: Run, columnId: string): RunValue | null {
  const column = parseColumnId(columnId);
  if (!column) return null;
  if (column.kind === "metrics") {
    const metric = run.data.metrics.find((m) => m.key === column.key);
    if (!metric) return null;
    return { text: String(metric.value), number: Number.isFinite(metric.value) ? metric.value : null };
  }
  const entries = column.kind === "params" ? run.data.params : run.data.tags;
  const entry = entries.find((e) => e.key === column.key);
  return entry ? { text: entry.value, number: parseNumericText(entry.value) } : null;
}

export type ColumnType = "numeric" | "categorical";

export interface ColumnInfo {
  id: string;
  kind: ColumnKind;
  key: string;
  /** Metrics are always numeric; a param or tag is numeric when every run that has it logged a finite number. */
  type: ColumnType;
  /** Runs holding a placeable value: a finite number for numeric columns, any text for categorical ones. */
  runsWithValue: number;
}

const collator = new Intl.Collator("en", { numeric: true });
export const compareKeys = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** Numbers in numeric order first, then words in natural order: "2" before "10", "adam" before "sgd". */
export function compareCategories(a: string, b: string): number {
  const na = parseNumericText(a);
  const nb = parseNumericText(b);
  if (na !== null && nb !== null) return na - nb || compareKeys(a, b);
  if (na !== null) return -1;
  if (nb !== null) return 1;
  return compareKeys(a, b);
}

interface ColumnTally {
  present: number;
  numeric: number;
}

/** Every param and metric column found in the runs (params first, each kind sorted by key), in one pass. */
export function describeColumns(runs: readonly Run[], kinds: readonly ColumnKind[] = ["params", "metrics"]): ColumnInfo[] {
  const tallies: Record<ColumnKind, Map<string, ColumnTally>> = { params: new Map(), metrics: new Map(), tags: new Map() };
  const count = (kind: ColumnKind, key: string, numeric: boolean) => {
    const tally = tallies[kind].get(key) ?? { present: 0, numeric: 0 };
    tally.present++;
    if (numeric) tally.numeric++;
    tallies[kind].set(key, tally);
  };
  for (const run of runs) {
    if (kinds.includes("params")) for (const p of run.data.params) count("params", p.key, parseNumericText(p.value) !== null);
    if (kinds.includes("metrics")) for (const m of run.data.metrics) count("metrics", m.key, Number.isFinite(m.value));
    if (kinds.includes("tags")) for (const t of run.data.tags) count("tags", t.key, parseNumericText(t.value) !== null);
  }
  const columns: ColumnInfo[] = [];
  for (const kind of kinds) {
    const keys = [...tallies[kind].keys()].sort(compareKeys);
    for (const key of keys) {
      const tally = tallies[kind].get(key) as ColumnTally;
      const type: ColumnType = kind === "metrics" || tally.numeric === tally.present ? "numeric" : "categorical";
      columns.push({ id: toColumnId(kind, key), kind, key, type, runsWithValue: type === "numeric" ? tally.numeric : tally.present });
    }
  }
  return columns;
}

/** The column's type across these runs, or null when no run holds it. */
export function columnType(runs: readonly Run[], columnId: string): ColumnType | null {
  const column = parseColumnId(columnId);
  if (!column) return null;
  let present = false;
  for (const run of runs) {
    const value = runValue(run, columnId);
    if (!value) continue;
    present = true;
    if (column.kind !== "metrics" && value.number === null) return "categorical";
  }
  return present ? "numeric" : null;
}

/** Whether a run's value can be placed on a column of this type. */
function placeable(value: RunValue | null, type: ColumnType): value is RunValue {
  return value !== null && (type === "categorical" || value.number !== null);
}

// ---------------------------------------------------------------------------------------------------------------
// Params diff

/** One param across the runs; null where a run did not log it (a value of its own: "missing" differs from "0.1"). */
export interface ParamDiffRow {
  key: string;
  values: (string | null)[];
  /** The value most runs share (ties: the one met first); cells holding anything else are the ones to highlight. */
  commonValue: string | null;
}

export interface EqualParam {
  key: string;
  value: string;
}

export interface ParamsDiff {
  differing: ParamDiffRow[];
  equal: EqualParam[];
}

export function diffParams(runs: readonly Run[]): ParamsDiff {
  const byRun = runs.map((run) => new Map(run.data.params.map((p) => [p.key, p.value])));
  const keys = new Set<string>();
  for (const params of byRun) for (const key of params.keys()) keys.add(key);
  const differing: ParamDiffRow[] = [];
  const equal: EqualParam[] = [];
  for (const key of [...keys].sort(compareKeys)) {
    const values = byRun.map((params) => params.get(key) ?? null);
    const first = values[0];
    if (first !== null && values.every((v) => v === first)) {
      equal.push({ key, value: first });
      continue;
    }
    differing.push({ key, values, commonValue: mostCommon(values) });
  }
  return { differing, equal };
}

function mostCommon(values: readonly (string | null)[]): string | null {
  const counts = new Map<string | null, number>();
  let best: string | null = values[0] ?? null;
  let bestCount = 0;
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Parallel coordinates

export type AxisScale =
  | { type: "numeric"; min: number; max: number; ticks: number[] }
  | { type: "categorical"; categories: string[] };

export interface Axis {
  id: string;
  scale: AxisScale;
}

/** Share of the value range added above and below, so the extreme runs do not sit on the chart's edge. */
export const AXIS_PADDING = 0.05;

/**
 * Round steps (1, 2 or 5 × 10ⁿ) inside [min, max], about `count` of them. Float noise is trimmed so a tick
 * reads "0.3", not "0.30000000000000004".
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (!(max > min)) return [min];
  const rawStep = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const residual = rawStep / magnitude;
  // The round step nearest to the raw one on a log scale (d3's thresholds √50, √10, √2).
  const step = (residual >= Math.sqrt(50) ? 10 : residual >= Math.sqrt(10) ? 5 : residual >= Math.SQRT2 ? 2 : 1) * magnitude;
  // The tolerance keeps a bound that is itself a tick (0.3 / 0.05 = 5.999…) on the axis.
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** A linear scale over the runs' values with padding; all-equal values get a range around them so they sit mid-axis. */
export function numericScale(values: readonly number[]): Extract<AxisScale, { type: "numeric" }> | null {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return null;
  let low = Infinity;
  let high = -Infinity;
  for (const v of finite) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const pad = high > low ? (high - low) * AXIS_PADDING : Math.abs(low) * 0.1 || 1;
  const min = low - pad;
  const max = high + pad;
  return { type: "numeric", min, max, ticks: niceTicks(min, max) };
}

export function buildAxis(runs: readonly Run[], columnId: string): Axis | null {
  const type = columnType(runs, columnId);
  if (!type) return null;
  const values = runs.map((run) => runValue(run, columnId)).filter((v) => placeable(v, type));
  if (type === "numeric") {
    const scale = numericScale(values.map((v) => v.number as number));
    return scale ? { id: columnId, scale } : null;
  }
  const categories = [...new Set(values.map((v) => v.text))].sort(compareCategories);
  return { id: columnId, scale: { type: "categorical", categories } };
}

/** Where a value sits on an axis: 0 at the bottom, 1 at the top; null when it cannot be placed (missing, NaN, unknown). */
export function axisPosition(scale: AxisScale, value: RunValue | null): number | null {
  if (!value) return null;
  if (scale.type === "numeric") {
    if (value.number === null) return null;
    return (value.number - scale.min) / (scale.max - scale.min);
  }
  const index = scale.categories.indexOf(value.text);
  if (index < 0) return null;
  // Categories sit in the middle of equal bands, so one category lands mid-axis and none on an edge.
  return (index + 0.5) / scale.categories.length;
}

export function polylinePositions(run: Run, axes: readonly Axis[]): (number | null)[] {
  return axes.map((axis) => axisPosition(axis.scale, runValue(run, axis.id)));
}

/**
 * The run whose polyline passes nearest to a pointer, measured vertically at the pointer's x (what the eye
 * compares on a parallel-coordinates chart); -1 when none is within `maxDistance` pixels. `lines` hold
 * pixel y per axis (null: no value, the line breaks there); `axisXs` the axes' pixel x, ascending.
 */
export function nearestPolyline(lines: readonly (readonly (number | null)[])[], axisXs: readonly number[], x: number, y: number, maxDistance: number): number {
  if (!axisXs.length) return -1;
  let nearest = -1;
  let nearestDistance = maxDistance;
  const right = axisXs.findIndex((axisX) => axisX >= x);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let lineY: number | null;
    if (axisXs.length === 1 || right === 0 || right === -1) {
      // Left of the first axis or right of the last: the nearest axis's point, when the pointer is close to it.
      const index = right === -1 ? axisXs.length - 1 : 0;
      lineY = Math.abs(axisXs[index] - x) <= maxDistance ? line[index] : null;
    } else {
      const a = line[right - 1];
      const b = line[right];
      if (a === null || b === null) lineY = null;
      else lineY = a + ((b - a) * (x - axisXs[right - 1])) / (axisXs[right] - axisXs[right - 1]);
    }
    if (lineY === null) continue;
    const distance = Math.abs(lineY - y);
    if (distance <= nearestDistance) {
      nearest = i;
      nearestDistance = distance;
    }
  }
  return nearest;
}

/**
 * Colours for a metric's low → high, mid-lightness throughout so every line reads on the light and the dark
 * background (the usual viridis ends vanish on one of them). Blue → violet → magenta → orange → gold.
 */
export const METRIC_RAMP = ["#2f6fd6", "#7f5ad8", "#c9449c", "#e5642f", "#c99400"] as const;

export function metricRampColor(position: number): string {
  const t = Math.min(1, Math.max(0, Number.isFinite(position) ? position : 0)) * (METRIC_RAMP.length - 1);
  const index = Math.min(Math.floor(t), METRIC_RAMP.length - 2);
  const mix = t - index;
  const from = hexToRgb(METRIC_RAMP[index]);
  const to = hexToRgb(METRIC_RAMP[index + 1]);
  const channel = (i: number) => Math.round(from[i] + (to[i] - from[i]) * mix).toString(16).padStart(2, "0");
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The parallel-coordinates defaults: up to `limit` params that differ between the runs (when none differ,
 * the first params, so one run still draws), and the first metric.
 */
export function defaultParallelChoice(runs: readonly Run[], limit = 4): { axes: string[]; metric: string | null } {
  const differing = diffParams(runs).differing.map((row) => toColumnId("params", row.key));
  const columns = describeColumns(runs);
  const params = columns.filter((c) => c.kind === "params").map((c) => c.id);
  const axes = (differing.length ? differing : params).slice(0, limit);
  const metric = columns.find((c) => c.kind === "metrics")?.id ?? null;
  return { axes, metric };
}

// ---------------------------------------------------------------------------------------------------------------
// Scatter

export interface ScatterPoint {
  runId: string;
  runName: string;
  /** Numeric columns: the value; categorical: the category's index in `xCategories` / `yCategories`. */
  x: number;
  y: number;
  xText: string;
  yText: string;
}

export interface ScatterData {
  points: ScatterPoint[];
  /** Runs left out because they lack a placeable value on x, on y, or both. */
  missing: number;
  xCategories: string[] | null;
  yCategories: string[] | null;
}

export function scatterData(runs: readonly Run[], x: string, y: string): ScatterData {
  const xType = columnType(runs, x) ?? "numeric";
  const yType = columnType(runs, y) ?? "numeric";
  const xs = runs.map((run) => runValue(run, x));
  const ys = runs.map((run) => runValue(run, y));
  const categoriesOf = (values: (RunValue | null)[], type: ColumnType) =>
    type === "categorical" ? [...new Set(values.filter((v) => v !== null).map((v) => v.text))].sort(compareCategories) : null;
  const xCategories = categoriesOf(xs, xType);
  const yCategories = categoriesOf(ys, yType);
  const coordinate = (value: RunValue, categories: string[] | null) => (categories ? categories.indexOf(value.text) : (value.number as number));
  const points: ScatterPoint[] = [];
  let missing = 0;
  runs.forEach((run, i) => {
    const xv = xs[i];
    const yv = ys[i];
    if (!placeable(xv, xType) || !placeable(yv, yType)) {
      missing++;
      return;
    }
    points.push({
      runId: run.info.run_id,
      runName: run.info.run_name || run.info.run_id,
      x: coordinate(xv, xCategories),
      y: coordinate(yv, yCategories),
      xText: xv.text,
      yText: yv.text,
    });
  });
  return { points, missing, xCategories, yCategories };
}

/**
 * Scatter defaults: the first param against the first metric, preferring a param that differs between the
 * runs (one equal everywhere would stack every point on one x). Without params, the first two metrics; the
 * y axis offers numeric columns only, so it falls back to the first numeric one that is not x.
 */
export function defaultScatterChoice(
  columns: readonly ColumnInfo[],
  differingParamKeys: ReadonlySet<string> = new Set(),
): { x: string | null; y: string | null } {
  const params = columns.filter((c) => c.kind === "params");
  const firstParam = params.find((c) => differingParamKeys.has(c.key)) ?? params[0];
  const metrics = columns.filter((c) => c.kind === "metrics");
  const x = firstParam?.id ?? metrics[0]?.id ?? null;
  const y = metrics.find((c) => c.id !== x)?.id ?? columns.find((c) => c.type === "numeric" && c.id !== x)?.id ?? x;
  return { x, y };
}
