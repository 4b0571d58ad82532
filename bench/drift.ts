// bench/drift: drift of a 100,000-row × 30-feature window against a 100,000-row reference (the monitoring rule:
// normalised Wasserstein + PSI per numeric feature, share of drifted features), next to the floor any exact
// distribution test pays in the same run: sorting both samples of every feature.
import { datasetDrift } from "@/lib/drift";
import { seededNormal } from "@/lib/seeded-random";
import { windowFeatureDrift } from "@/server/monitoring/monitoring";
import type { ReferenceData } from "@/server/monitoring/reference-data";
import { defaultMonitoringThresholds } from "@/server/monitoring/schema";
import { formatNumber, percentile, type BenchRow } from "./stats";

const TARGET_MS = 1000;

export async function benchDrift(options: { rows?: number; features?: number; iterations?: number } = {}): Promise<BenchRow[]> {
  const rows = options.rows ?? 100_000;
  const featureCount = options.features ?? 30;
  const iterations = options.iterations ?? 5;
  const normal = seededNormal(7);
  const features = Array.from({ length: featureCount }, (_, i) => `f${i}`);
  const reference: ReferenceData = { rowCount: rows, columns: new Map() };
  const current: Record<string, number[]> = {};
  features.forEach((feature, i) => {
    // A third of the features shift by half a standard deviation: the verdicts are not all "stable".
    const shift = i % 3 === 0 ? 0.5 : 0;
    reference.columns.set(feature, { kind: "numeric", numbers: Array.from({ length: rows }, () => 10 + normal()), counts: {} });
    current[feature] = Array.from({ length: rows }, () => 10 + shift + normal());
  });
  // What the monitoring view reads: one log entry holding the window's rows column by column.
  const window = [{ at: 0, latencyMs: 1, rowCount: rows, requestId: "bench", inputs: current, predictions: [] as number[] }];

  const driftTimes: number[] = [];
  let drifted = 0;
  for (let i = 0; i < iterations + 1; i++) {
    const start = performance.now();
    const results = windowFeatureDrift(window, reference, defaultMonitoringThresholds);
    drifted = datasetDrift(results).driftedColumns;
    if (i > 0) driftTimes.push(performance.now() - start);
  }
  const sortTimes: number[] = [];
  for (let i = 0; i < iterations + 1; i++) {
    const start = performance.now();
    for (const feature of features) {
      Float64Array.from(reference.columns.get(feature)!.numbers).sort();
      Float64Array.from(current[feature]).sort();
    }
    if (i > 0) sortTimes.push(performance.now() - start);
  }
  const p50 = percentile(driftTimes, 50);
  const floor = percentile(sortTimes, 50);
  return [
    {
      backend: "node",
      measure: `${featureCount} features × ${rows.toLocaleString("en-US")} rows vs ${rows.toLocaleString("en-US")}-row reference, p50 ms (${drifted} drifted)`,
      studio: formatNumber(p50),
      baseline: `${formatNumber(floor)} (sort both samples only)`,
      ratio: `${(p50 / floor).toFixed(1)}×`,
      target: `≤ ${TARGET_MS} ms`,
      verdict: p50 <= TARGET_MS ? "met" : "MISSED",
    },
  ];
}
