// Downsampling of long metric series for charts: Largest-Triangle-Three-Buckets (Steinarsson, 2013),
// plus a variant that also keeps every bucket's minimum and maximum so that spikes stay visible.

export interface Point {
  x: number;
  y: number;
}

/**
 * Classic LTTB: keeps the first and last points and, from each of `threshold - 2` equal-count
 * buckets in between, the point forming the largest triangle with the previously kept point and
 * the average of the next bucket. Points must be sorted by x and finite. Returns the input when it
 * is already short enough.
 */
export function lttb<P extends Point>(points: readonly P[], threshold: number): P[] {
  const n = points.length;
  if (threshold >= n || n <= 2) return points.slice();
  if (threshold < 3) return threshold <= 1 ? [points[0]] : [points[0], points[n - 1]];
  const kept: P[] = [points[0]];
  const bucketSize = (n - 2) / (threshold - 2);
  let previous = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    // The average of the next bucket (the last point when this is the last bucket).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      avgX += points[i].x;
      avgY += points[i].y;
    }
    const count = nextEnd - nextStart;
    if (count > 0) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = points[n - 1].x;
      avgY = points[n - 1].y;
    }
    const a = points[previous];
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const area = Math.abs((a.x - avgX) * (points[i].y - a.y) - (a.x - points[i].x) * (avgY - a.y));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    kept.push(points[best]);
    previous = best;
  }
  kept.push(points[n - 1]);
  return kept;
}

/**
 * At most `maxPoints` points: the first and last, and from each bucket the LTTB choice together with
 * the bucket's minimum and maximum (each kept once, in x order). A single spike therefore survives
 * any reduction, and the series' global minimum and maximum are always present.
 */
export function downsampleKeepingExtremes<P extends Point>(points: readonly P[], maxPoints: number): P[] {
  const n = points.length;
  if (n <= maxPoints) return points.slice();
  if (maxPoints < 5) return lttb(points, maxPoints);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = points[i].x;
    ys[i] = points[i].y;
  }
  return indicesKeepingExtremes(xs, ys, maxPoints).map((i) => points[i]);
}

/**
 * downsampleKeepingExtremes over a series held as x and y columns (sorted by x, finite), answering the indices it
 * keeps in x order: a caller holding thousands of candidate points per series as typed arrays then builds objects
 * for the kept ones only. maxPoints must be at least 5 (below that downsampleKeepingExtremes is plain LTTB).
 */
export function indicesKeepingExtremes(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): number[] {
  const n = xs.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  if (maxPoints < 5) throw new RangeError(`indicesKeepingExtremes: maxPoints ${maxPoints} is below 5`);
  const buckets = Math.floor((maxPoints - 2) / 3);
  const bucketSize = (n - 2) / buckets;
  const kept: number[] = [0];
  let previous = 0;
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = xs[n - 1];
    let avgY = ys[n - 1];
    if (nextEnd > nextStart) {
      avgX = 0;
      avgY = 0;
      for (let i = nextStart; i < nextEnd; i++) {
        avgX += xs[i];
        avgY += ys[i];
      }
      avgX /= nextEnd - nextStart;
      avgY /= nextEnd - nextStart;
    }
    const ax = xs[previous];
    const ay = ys[previous];
    let best = start;
    let bestArea = -1;
    let min = start;
    let max = start;
    for (let i = start; i < end; i++) {
      const area = Math.abs((ax - avgX) * (ys[i] - ay) - (ax - xs[i]) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
      if (ys[i] < ys[min]) min = i;
      if (ys[i] > ys[max]) max = i;
    }
    // best, min and max, each once, in index order.
    const lo = Math.min(best, min, max);
    const hi = Math.max(best, min, max);
    const mid = best + min + max - lo - hi;
    kept.push(lo);
    if (mid !== lo) kept.push(mid);
    if (hi !== mid) kept.push(hi);
    previous = best;
  }
  kept.push(n - 1);
  return kept;
}
