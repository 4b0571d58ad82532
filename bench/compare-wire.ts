// bench/compare wire: one 100-run chart response (100 series × 1,000 points) as the server sends it and the
// page reads it, the packed typed-array columns (lib/chart-series-wire) against the point objects they replaced.
import superjson from "superjson";
import { packChartSeries, unpackChartSeries, type PointSeries } from "@/lib/chart-series-wire";
import { formatNumber, percentile, sample, type BenchRow } from "./stats";

export async function benchCompareWire(iterations = 10): Promise<BenchRow[]> {
  const series: PointSeries[] = Array.from({ length: 100 }, (_, r) => ({
    runId: String(r).padStart(32, "0"),
    key: "loss",
    total: 100_000,
    downsampled: true,
    runStartTime: 1_700_000_000_000,
    points: Array.from({ length: 1000 }, (_, i) => ({ step: i * 100, timestamp: 1_700_000_000_000 + i * 1000, value: Math.exp(-i / 300) + Math.random() * 0.01 })),
  }));
  const asObjects = () => JSON.stringify(superjson.serialize({ series }));
  const packed = () => JSON.stringify(superjson.serialize(packChartSeries(series, "step")));
  const objectsText = asObjects();
  const packedText = packed();
  const rows: BenchRow[] = [];
  const row = (measure: string, studio: number[], baseline: number[]): BenchRow => ({
    backend: "—",
    measure,
    studio: `${formatNumber(percentile(studio, 50))} / ${formatNumber(percentile(studio, 95))}`,
    baseline: `${formatNumber(percentile(baseline, 50))} / ${formatNumber(percentile(baseline, 95))}`,
    ratio: `${(percentile(studio, 50) / percentile(baseline, 50)).toFixed(2)}×`,
    target: "—",
    verdict: "—",
  });
  rows.push({
    backend: "—",
    measure: "chart response size, 100 series × 1,000 points (bytes): packed columns vs point objects",
    studio: formatNumber(packedText.length, 0),
    baseline: formatNumber(objectsText.length, 0),
    ratio: `${(packedText.length / objectsText.length).toFixed(2)}×`,
    target: "—",
    verdict: "—",
  });
  rows.push(row("chart response written on the server (superjson + JSON), packed vs point objects (p50 / p95 ms)", await sample(async () => packed(), iterations, 2), await sample(async () => asObjects(), iterations, 2)));
  rows.push(
    row(
      "chart response read on the page (JSON + superjson [+ unpack]), packed vs point objects (p50 / p95 ms)",
      await sample(async () => unpackChartSeries(superjson.deserialize(JSON.parse(packedText))), iterations, 2),
      await sample(async () => superjson.deserialize(JSON.parse(objectsText)), iterations, 2),
    ),
  );
  return rows;
}
