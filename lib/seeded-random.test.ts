// Seeded random numbers: the same seed repeats, uniforms stay in [0, 1), normals have mean 0 and std 1, samples are distinct.
import { describe, expect, it } from "vitest";
import { seededNormal, seededRandom, seededSample } from "./seeded-random";

const draws = (next: () => number, count: number) => Array.from({ length: count }, next);

describe("seededRandom", () => {
  it("repeats for a seed, differs for another, stays in [0, 1)", () => {
    const first = draws(seededRandom(42), 1000);
    expect(draws(seededRandom(42), 1000)).toEqual(first);
    expect(draws(seededRandom(43), 1000)).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = first.reduce((sum, value) => sum + value, 0) / first.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});

describe("seededNormal", () => {
  it("repeats for a seed and has mean ≈ 0, std ≈ 1 and ≈ 95% within ±1.96", () => {
    const values = draws(seededNormal(7), 100_000);
    expect(draws(seededNormal(7), 100_000)).toEqual(values);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const std = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    // Standard errors at n = 100,000: 0.003 for the mean, 0.0022 for the std, 0.0007 for the share.
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(std - 1)).toBeLessThan(0.011);
    const inside = values.filter((value) => Math.abs(value) < 1.96).length / values.length;
    expect(Math.abs(inside - 0.95)).toBeLessThan(0.004);
    expect(values.every(Number.isFinite)).toBe(true);
  });
});

describe("seededSample", () => {
  it("picks distinct indices in ascending order, the same for a seed, all of them when asked for more", () => {
    const sample = seededSample(1000, 100, 3);
    expect(sample).toHaveLength(100);
    expect(new Set(sample).size).toBe(100);
    expect(sample.every((index, position) => index >= 0 && index < 1000 && (position === 0 || sample[position - 1] < index))).toBe(true);
    expect(seededSample(1000, 100, 3)).toEqual(sample);
    expect(seededSample(1000, 100, 4)).not.toEqual(sample);
    expect(seededSample(5, 10, 3)).toEqual([0, 1, 2, 3, 4]);
  });
});
