import { describe, expect, it } from "vitest";
import { rollupBucketsOf, type RollupPointArrays } from "./metric-rollup-buckets";
import { seededRandom } from "./seeded-random";

type Point = [key: string, step: number, timestamp: number, value: number];

const arrays = (points: Point[]): RollupPointArrays => ({
  keys: points.map((p) => p[0]),
  steps: points.map((p) => p[1]),
  timestamps: points.map((p) => p[2]),
  values: points.map((p) => p[3]),
});

/** Lexicographic order of number tuples, as PostgreSQL compares float8 arrays of finite values. */
const tupleOrder = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
};

/**
 * The rollups as the database's rebuild computes them (migration 0003, rebuildMetricRollups): for each width straight
 * from the points, min/max of [v, s, t], [v, -s, t], [s, t, v], with the bucket's extreme point given as a tuple.
 */
function rebuild(points: Point[], widths: number[]) {
  const rows: { key: string; width: number; bucket: number; n: number; lo: number[]; hi: number[]; first: number[]; last: number[] }[] = [];
  const finite = points.filter((p) => Number.isFinite(p[3]));
  const keys = [...new Set(finite.map((p) => p[0]))].sort();
  for (const key of keys) {
    for (const width of widths) {
      const byBucket = new Map<number, Point[]>();
      for (const p of finite.filter((q) => q[0] === key)) {
        const b = Math.floor(p[1] / width);
        byBucket.set(b, [...(byBucket.get(b) ?? []), p]);
      }
      for (const b of [...byBucket.keys()].sort((x, y) => x - y)) {
        const ps = byBucket.get(b)!;
        const pick = (tuple: (p: Point) => number[], sign: 1 | -1) =>
          ps.map(tuple).reduce((best, t) => (sign * tupleOrder(t, best) < 0 ? t : best));
        rows.push({
          key, width, bucket: b, n: ps.length,
          lo: pick((p) => [p[3], p[1], p[2]], 1),
          hi: pick((p) => [p[3], -p[1], p[2]], -1),
          first: pick((p) => [p[1], p[2], p[3]], 1),
          last: pick((p) => [p[1], p[2], p[3]], -1),
        });
      }
    }
  }
  return rows;
}

/** rollupBucketsOf's answer in rebuild's shape: the extreme points' indices turned back into tuples. */
function computed(points: Point[], widths: number[]) {
  const r = rollupBucketsOf(arrays(points), widths);
  const at = (i: number) => points[i];
  return r.keys.map((key, j) => ({
    key, width: r.widths[j], bucket: r.buckets[j], n: r.counts[j],
    lo: [at(r.lo[j])[3], at(r.lo[j])[1], at(r.lo[j])[2]],
    hi: [at(r.hi[j])[3], -at(r.hi[j])[1], at(r.hi[j])[2]],
    first: [at(r.first[j])[1], at(r.first[j])[2], at(r.first[j])[3]],
    last: [at(r.last[j])[1], at(r.last[j])[2], at(r.last[j])[3]],
  }));
}

describe("rollupBucketsOf", () => {
  it("gives each bucket its count and lowest, highest, first and last point (a worked example)", () => {
    const points: Point[] = [
      ["loss", 0, 100, 0.9],
      ["loss", 3, 103, 0.2],
      ["loss", 5, 105, 0.2], // ties the lowest value: the lower step is the lowest
      ["loss", 2, 102, 1.5],
      ["loss", 4, 104, 0.7],
      ["loss", 9, 109, 0.4],
    ];
    const r = rollupBucketsOf(arrays(points), [4, 8]);
    expect(r.keys).toEqual(["loss", "loss", "loss", "loss", "loss"]);
    expect(r.widths).toEqual([4, 4, 4, 8, 8]);
    expect(r.buckets).toEqual([0, 1, 2, 0, 1]);
    expect(r.counts).toEqual([3, 2, 1, 5, 1]);
    // Bucket 0 of width 4 holds steps 0, 3, 2: lowest 0.2 (step 3), highest 1.5 (step 2), first step 0, last step 3.
    expect([r.lo[0], r.hi[0], r.first[0], r.last[0]]).toEqual([1, 3, 0, 1]);
    // Width 8, bucket 0 (steps 0–7): the lowest value 0.2 twice, at steps 3 and 5, the lower step taken; last is step 5.
    expect([r.lo[3], r.hi[3], r.first[3], r.last[3]]).toEqual([1, 3, 0, 2]);
  });

  it("leaves out NaN and ±Infinity, which charts never draw, and keys with nothing else", () => {
    const r = rollupBucketsOf(arrays([["a", 1, 1, NaN], ["a", 2, 1, Infinity], ["a", 3, 1, 4], ["b", 1, 1, -Infinity]]), [16]);
    expect(r).toEqual({ keys: ["a"], widths: [16], buckets: [0], counts: [1], lo: [2], hi: [2], first: [2], last: [2] });
  });

  it("puts negative steps in the buckets below zero, as floor(step / width) does", () => {
    const r = rollupBucketsOf(arrays([["m", -1, 1, 1], ["m", -16, 1, 2], ["m", -17, 1, 3], ["m", 0, 1, 4]]), [16]);
    expect(r.buckets).toEqual([-2, -1, 0]);
    expect(r.counts).toEqual([1, 2, 1]);
  });

  it("equals the rebuild from points for random batches: shuffled steps, repeated steps, ties, non-finite values", () => {
    const random = seededRandom(18);
    const widths = [16, 64, 256, 1024];
    for (let trial = 0; trial < 40; trial++) {
      const points: Point[] = [];
      const n = 1 + Math.floor(random() * 400);
      for (let i = 0; i < n; i++) {
        const key = `k${Math.floor(random() * 3)}`;
        const step = Math.floor(random() * 3000) - 500;
        const roll = random();
        const value = roll < 0.03 ? NaN : roll < 0.05 ? (random() < 0.5 ? Infinity : -Infinity) : Math.round(random() * 8) / 4;
        points.push([key, step, Math.floor(random() * 4), value]);
      }
      expect(computed(points, widths)).toEqual(rebuild(points, widths));
    }
  });
});
