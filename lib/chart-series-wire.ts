// The compare charts' series on the wire: per series a few fields of JSON and its x and y as one base64
// block of little-endian float64s. A 100-run chart was ~73k {step, timestamp, value} objects (~4.7 MB
// through superjson, which walks every one of them, then React Query's structural sharing walked them
// again); now superjson sees one string, and the page turns it into typed arrays without parsing numbers.
import type { CompareXAxis } from "./compare-state";

export interface SeriesPointLike {
  step: number;
  timestamp: number;
  value: number;
}

/** A series as the server holds it: points in x order. */
export interface PointSeries {
  runId: string;
  key: string;
  points: readonly SeriesPointLike[];
  total: number;
  downsampled: boolean;
  runStartTime: number;
}

export interface PackedSeriesInfo {
  runId: string;
  key: string;
  /** Points of this series in `data`. */
  length: number;
  /** Finite points the series has in the range before reduction. */
  total: number;
  downsampled: boolean;
  /** Epoch ms: on the relative axis a point's x is its timestamp minus this. */
  runStartTime: number;
}

export interface PackedChartSeries {
  /** What x holds: the step, or (time and relative axes) the point's epoch-ms timestamp. */
  xAxis: "step" | "time";
  series: PackedSeriesInfo[];
  /** Base64 of float64s (little-endian): each series' x values, then its y values, series after series. */
  data: string;
}

/** One series as the page draws it: x (step or timestamp) and the logged value, in x order. */
export interface SeriesColumns {
  runId: string;
  key: string;
  total: number;
  downsampled: boolean;
  runStartTime: number;
  x: Float64Array;
  y: Float64Array;
}

function littleEndian(): boolean {
  return new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;
}

export function packChartSeries(series: readonly PointSeries[], axis: CompareXAxis): PackedChartSeries {
  const xAxis = axis === "step" ? "step" : "time";
  let count = 0;
  for (const s of series) count += s.points.length;
  const numbers = new Float64Array(2 * count);
  let at = 0;
  for (const s of series) {
    const n = s.points.length;
    for (let i = 0; i < n; i++) {
      const p = s.points[i];
      numbers[at + i] = xAxis === "step" ? p.step : p.timestamp;
      numbers[at + n + i] = p.value;
    }
    at += 2 * n;
  }
  if (!littleEndian()) throw new Error("packChartSeries assumes a little-endian machine");
  return {
    xAxis,
    series: series.map((s) => ({ runId: s.runId, key: s.key, length: s.points.length, total: s.total, downsampled: s.downsampled, runStartTime: s.runStartTime })),
    data: bytesToBase64(new Uint8Array(numbers.buffer)),
  };
}

export function unpackChartSeries(packed: PackedChartSeries): SeriesColumns[] {
  const bytes = base64ToBytes(packed.data);
  if (bytes.byteLength % 8 !== 0) throw new Error("Chart data is cut short");
  // A fresh Uint8Array starts at offset 0 of its own buffer, so the float64 view needs no copy.
  const numbers = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  const out: SeriesColumns[] = [];
  let at = 0;
  for (const s of packed.series) {
    if (at + 2 * s.length > numbers.length) throw new Error("Chart data is cut short");
    out.push({
      runId: s.runId,
      key: s.key,
      total: s.total,
      downsampled: s.downsampled,
      runStartTime: s.runStartTime,
      x: numbers.subarray(at, at + s.length),
      y: numbers.subarray(at + s.length, at + 2 * s.length),
    });
    at += 2 * s.length;
  }
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  if (typeof Buffer !== "undefined") return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (fromBase64) return fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
