import { describe, expect, it } from "vitest";
import { downsampleKeepingExtremes, lttb, type Point } from "./downsample";

const series = (ys: number[]): Point[] => ys.map((y, x) => ({ x, y }));

describe("lttb", () => {
  it("returns short series unchanged", () => {
    const points = series([1, 2, 3]);
    expect(lttb(points, 10)).toEqual(points);
    expect(lttb(points, 3)).toEqual(points);
  });

  it("picks, per bucket, the point with the largest triangle (worked by hand)", () => {
    // 7 points, threshold 4: buckets of 2.5 points over indices 1..5 → [1,2], [3,4,5].
    // Bucket 1 against A=(0,0) and the average of bucket 2, C=(4, -8/3): twice the triangle area is
    // 6.7 for point 1 and 45.3 for point 2, so point 2 (y=10) is kept.
    // Bucket 2 against A=(2,10) and the last point (6,0): point 4 (y=-8) is farthest from that line.
    const points = series([0, 1, 10, 0, -8, 0, 0]);
    expect(lttb(points, 4)).toEqual([
      { x: 0, y: 0 },
      { x: 2, y: 10 },
      { x: 4, y: -8 },
      { x: 6, y: 0 },
    ]);
  });

  it("keeps the first and last points and returns exactly `threshold` points", () => {
    const points = series(Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10)));
    const out = lttb(points, 100);
    expect(out).toHaveLength(100);
    expect(out[0]).toBe(points[0]);
    expect(out[99]).toBe(points[999]);
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
  });

  it("keeps a straight line's endpoints and only points of the line", () => {
    const points = series(Array.from({ length: 50 }, (_, i) => 2 * i + 1));
    const out = lttb(points, 5);
    expect(out[0]).toEqual({ x: 0, y: 1 });
    expect(out[4]).toEqual({ x: 49, y: 99 });
    for (const p of out) expect(p.y).toBe(2 * p.x + 1);
  });
});

describe("downsampleKeepingExtremes", () => {
  const noisy = (n: number) =>
    series(Array.from({ length: n }, (_, i) => Math.exp(-i / (n / 4)) + 0.05 * Math.sin(i * 12.9898) * Math.cos(i * 78.233)));

  it("returns at most maxPoints points, first and last kept, in x order", () => {
    const points = noisy(100_000);
    for (const maxPoints of [5, 50, 800, 2000]) {
      const out = downsampleKeepingExtremes(points, maxPoints);
      expect(out.length).toBeLessThanOrEqual(maxPoints);
      expect(out.length).toBeGreaterThan(maxPoints / 3);
      expect(out[0]).toBe(points[0]);
      expect(out.at(-1)).toBe(points.at(-1));
      for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
    }
  });

  it("keeps a single one-point spike that plain LTTB at the same size may drop", () => {
    const ys = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 50));
    ys[6_789] = 1_000;
    ys[3_333] = -1_000;
    const out = downsampleKeepingExtremes(series(ys), 300);
    expect(out).toContainEqual({ x: 6_789, y: 1_000 });
    expect(out).toContainEqual({ x: 3_333, y: -1_000 });
  });

  it("keeps the global minimum and maximum of the series", () => {
    const points = noisy(50_000);
    const out = downsampleKeepingExtremes(points, 400);
    const ys = points.map((p) => p.y);
    const outYs = out.map((p) => p.y);
    expect(Math.max(...outYs)).toBe(Math.max(...ys));
    expect(Math.min(...outYs)).toBe(Math.min(...ys));
  });

  it("returns short series unchanged", () => {
    const points = noisy(100);
    expect(downsampleKeepingExtremes(points, 100)).toEqual(points);
  });
});
