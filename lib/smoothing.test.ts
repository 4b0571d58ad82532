import { describe, expect, it } from "vitest";
import { emaSmooth } from "./smoothing";

describe("emaSmooth", () => {
  it("leaves values unchanged at weight 0", () => {
    expect(emaSmooth([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
  });

  it("is debiased: a constant series stays constant from the first point", () => {
    for (const v of emaSmooth([2, 2, 2, 2], 0.9)) expect(v).toBeCloseTo(2, 12);
  });

  it("matches the recurrence worked by hand", () => {
    // weight 0.5: s1 = 0.5·0 + 0.5·4 = 2, debias 0.5 → 4; s2 = 0.5·2 + 0.5·0 = 1, debias 0.75 → 4/3.
    const [a, b] = emaSmooth([4, 0], 0.5);
    expect(a).toBeCloseTo(4, 12);
    expect(b).toBeCloseTo(4 / 3, 12);
  });

  it("damps a spike and passes NaN through without poisoning later points", () => {
    const out = emaSmooth([0, 0, 100, 0, Number.NaN, 0], 0.9);
    expect(out[2]).toBeLessThan(50);
    expect(out[4]).toBeNaN();
    expect(Number.isFinite(out[5])).toBe(true);
  });

  it("refuses weights outside [0, 1)", () => {
    expect(() => emaSmooth([1], 1)).toThrow(/\[0, 1\)/);
    expect(() => emaSmooth([1], -0.1)).toThrow(RangeError);
  });
});
