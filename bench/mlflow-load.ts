// The ingestion load of bench/mlflow, shared by the HTTP clients (both servers) and the bare-INSERT baseline
// (bench/mlflow-bare-insert.ts), so every side writes exactly the same points.

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** Batch `index` of a client: 10 keys × batchSize/10 consecutive steps, every point new (as bench/tracking). */
export function batchPoints(index: number, batchSize: number): MetricPoint[] {
  const perKey = batchSize / 10;
  const timestamp = Date.now();
  const metrics: MetricPoint[] = [];
  for (let k = 0; k < 10; k++) {
    for (let s = 0; s < perKey; s++) {
      const step = index * perKey + s;
      metrics.push({ key: `metric_${k}`, value: Math.sin(step / 100 + k) + k, timestamp, step });
    }
  }
  return metrics;
}

export interface LoadResult {
  /** Points of the batches the server acknowledged (2xx). */
  acknowledged: number;
  /** Batches that failed (non-2xx or a network error): their points are not counted as acknowledged. */
  failedBatches: number;
  firstError: string | null;
  elapsed: number;
}

/**
 * `clients` concurrent loops calling work(client, batch) until `seconds` have passed. work returns the points it
 * wrote; a thrown error counts as a failed batch and the loop goes on (MLflow on sqlite can answer "database is
 * locked" under concurrent writers; that is part of what is measured, not a reason to stop).
 */
export async function runFor(seconds: number, clients: number, work: (client: number, batch: number) => Promise<number>): Promise<LoadResult> {
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  let failedBatches = 0;
  let firstError: string | null = null;
  const counts = await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let points = 0;
      for (let batch = 0; performance.now() < deadline; batch++) {
        try {
          points += await work(client, batch);
        } catch (error) {
          failedBatches++;
          firstError ??= (error as Error).message;
        }
      }
      return points;
    }),
  );
  return { acknowledged: counts.reduce((a, b) => a + b, 0), failedBatches, firstError, elapsed: (performance.now() - start) / 1000 };
}
