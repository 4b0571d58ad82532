import { describe, expect, it } from "vitest";
import {
  categoricalDrift,
  chiSquareTest,
  datasetDrift,
  histogram,
  jensenShannonDistance,
  ksTwoSample,
  normalizedWasserstein,
  numericDrift,
  psiBand,
  psiCategorical,
  psiNumeric,
  wassersteinDistance,
} from "./drift";

// Expected numbers come from scipy 1.17.1 / numpy 2.4.6. The larger samples are made by this generator, written
// identically in Python (minimal-standard LCG, Irwin–Hall sum of 12 uniforms ≈ N(0, 1); all operations exact or
// in the same order, so both languages produce the same doubles):
//   def lcg_normals(seed, n, shift=0.0, scale=1.0):
//       s = seed; out = []
//       for _ in range(n):
//           t = 0.0
//           for _ in range(12):
//               s = (s * 48271) % 2147483647
//               t += s / 2147483647
//           out.append((t - 6.0) * scale + shift)
//       return out
function lcgNormals(seed: number, n: number, shift = 0, scale = 1): number[] {
  let state = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let k = 0; k < 12; k++) {
      state = (state * 48271) % 2147483647;
      total += state / 2147483647;
    }
    out.push((total - 6) * scale + shift);
  }
  return out;
}

function expectRelative(actual: number, expected: number, tolerance = 1e-9) {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

const A = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, -0.13];
const B = [1.21, 0.69, 0.46, 1.99, -0.33, 0.84, 1.51, 0.16, 0.99, 2.04, 0.45, 0.94, 1.14, -0.22, 0.77];
const T1 = [1, 2, 2, 3, 3, 3];
const T2 = [2, 3, 3, 4, 4];
const R800 = lcgNormals(1, 800);
const C600 = lcgNormals(2, 600, 0.15);
const R1000 = lcgNormals(5, 1000);
const C20000 = lcgNormals(6, 20000, 0.05);

describe("test samples", () => {
  it("are the ones the Python script generated", () => {
    expectRelative(R800.reduce((s, v) => s + v, 0), -1.010918459394432, 1e-15); // sum(lcg_normals(1, 800))
    expectRelative(C20000.reduce((s, v) => s + v, 0), 1020.7772407409656, 1e-15); // sum(lcg_normals(6, 20000, 0.05))
  });
});

describe("ksTwoSample", () => {
  // Expected: r = scipy.stats.ks_2samp(ref, cur); (r.statistic, r.pvalue). Method 'auto' picks 'exact' for the first
  // four (both sizes ≤ 10,000) and 'asymp' (kstwo.sf(D, round(mn/(m+n)))) for the last two.
  it.each([
    ["A vs B (exact, unequal sizes)", () => [A, B], 0.4666666666666667, 0.03468769508885124],
    ["ties T1 vs T2 (exact)", () => [T1, T2], 0.4, 0.6883116883116883],
    ["lcg(1, 800) vs lcg(2, 600, 0.15) (exact)", () => [R800, C600], 0.06708333333333333, 0.08784611033258356],
    ["lcg(3, 500) vs lcg(4, 500, 0.1, 1.2) (exact, equal sizes)", () => [lcgNormals(3, 500), lcgNormals(4, 500, 0.1, 1.2)], 0.068, 0.19804212658711798],
    ["lcg(5, 1000) vs lcg(6, 20000, 0.05) (asymp)", () => [R1000, C20000], 0.028749999999999984, 0.40327619673680326],
    ["lcg(7, 12000) vs lcg(8, 15000, 0.02) (asymp)", () => [lcgNormals(7, 12000), lcgNormals(8, 15000, 0.02)], 0.011966666666666681, 0.2930388885147239],
  ] as const)("%s", (_, samples, statistic, pValue) => {
    const [reference, current] = samples();
    const result = ksTwoSample([...reference], [...current]);
    expectRelative(result.statistic, statistic, 1e-12);
    expectRelative(result.pValue, pValue, 1e-9);
  });

  it("gives statistic 0 and p-value 1 for identical samples", () => {
    expect(ksTwoSample(R800, [...R800].reverse())).toEqual({ statistic: 0, pValue: 1 });
  });

  it("says which input is empty or not finite", () => {
    expect(() => ksTwoSample([], [1])).toThrow(/reference sample is empty/);
    expect(() => ksTwoSample([1], [])).toThrow(/current sample is empty/);
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(/reference sample holds a non-finite value/);
  });
});

describe("wassersteinDistance and normalizedWasserstein", () => {
  // Expected: scipy.stats.wasserstein_distance(ref, cur) and, for the normalised form (Evidently's
  // wasserstein_distance_norm), scipy.stats.wasserstein_distance(ref, cur) / max(numpy.std(ref), 0.001).
  // scipy sums with a BLAS dot product in another order, hence 1e-12 rather than bit equality.
  it.each([
    ["A vs B", () => [A, B], 0.6265000000000001, 0.6384291724462877],
    ["ties T1 vs T2", () => [T1, T2], 0.8666666666666667, 1.162755348299891],
    ["lcg(1, 800) vs lcg(2, 600, 0.15)", () => [R800, C600], 0.14518405904227819, 0.14778250169510745],
    ["lcg(5, 1000) vs lcg(6, 20000, 0.05)", () => [R1000, C20000], 0.05721364521310597, 0.056695777079119165],
  ] as const)("%s", (_, samples, distance, normalized) => {
    const [reference, current] = samples();
    expectRelative(wassersteinDistance(reference, current), distance, 1e-12);
    expectRelative(normalizedWasserstein(reference, current), normalized, 1e-12);
  });

  it("is 0 for identical samples", () => {
    expect(wassersteinDistance(A, [...A].reverse())).toBe(0);
    expect(normalizedWasserstein(A, [...A].reverse())).toBe(0);
  });

  it("divides by 0.001 when the reference is constant, as Evidently", () => {
    // wasserstein_distance([5, 5, 5], [5, 6]) = 0.5
    expectRelative(normalizedWasserstein([5, 5, 5], [5, 6]), 0.5 / 0.001, 1e-15);
  });

  it("says which input is empty", () => {
    expect(() => wassersteinDistance([1], [])).toThrow(/current sample is empty/);
    expect(() => normalizedWasserstein([], [1])).toThrow(/reference sample is empty/);
  });
});

const S1 = { a: 30, b: 50, c: 20 };
const S2 = { a: 22, b: 41, c: 37 };
const L1 = { red: 4210, green: 3120, blue: 1870, yellow: 800 };
const L2 = { red: 3990, green: 3285, blue: 1710, yellow: 1015 };
const N1 = { x: 10, y: 0, z: 5 };
const N2 = { x: 3, z: 2, w: 4 };

describe("chiSquareTest", () => {
  // Expected: keys = union of categories; r = scipy.stats.chisquare(f_obs=[cur[k] for k in keys],
  //   f_exp=[ref[k] / sum(ref.values()) * sum(cur.values()) for k in keys]); (r.statistic, r.pvalue, len(keys) - 1).
  it("matches scipy on small counts", () => {
    const result = chiSquareTest(S1, S2);
    expectRelative(result.statistic, 18.203333333333333, 1e-12);
    expectRelative(result.pValue, 0.0001114798538145725, 1e-12);
    expect(result.degreesOfFreedom).toBe(2);
  });

  it("matches scipy on larger counts with a tiny p-value", () => {
    const result = chiSquareTest(L1, L2);
    expectRelative(result.statistic, 91.69348816528588, 1e-12);
    expectRelative(result.pValue, 9.479437303194156e-20, 1e-12);
    expect(result.degreesOfFreedom).toBe(3);
  });

  it("gives statistic 0 and p-value 1 for identical proportions", () => {
    expect(chiSquareTest(S1, { a: 60, b: 100, c: 40 })).toEqual({ statistic: 0, pValue: 1, degreesOfFreedom: 2 });
  });

  it("treats a category the reference never had as certain drift, as scipy (statistic inf, p-value 0)", () => {
    // scipy.stats.chisquare([3, 2], [5, 0]) → (inf, 0.0)
    expect(chiSquareTest({ a: 5 }, { a: 3, b: 2 })).toEqual({ statistic: Infinity, pValue: 0, degreesOfFreedom: 1 });
  });

  it("ignores categories with zero counts on both sides, and gives p-value 1 for a single category", () => {
    expect(chiSquareTest({ a: 5, b: 0 }, { a: 3 })).toEqual({ statistic: 0, pValue: 1, degreesOfFreedom: 0 });
  });

  it("says which input is empty or invalid", () => {
    expect(() => chiSquareTest({}, S2)).toThrow(/reference counts are empty/);
    expect(() => chiSquareTest(S1, { a: 0 })).toThrow(/current counts are empty/);
    expect(() => chiSquareTest(S1, { a: -1, b: 3 })).toThrow(/current count of category 'a' is -1/);
  });
});

describe("jensenShannonDistance", () => {
  // Expected: keys = union of categories; scipy.spatial.distance.jensenshannon([ref.get(k, 0) for k in keys],
  //   [cur.get(k, 0) for k in keys]) — natural log (scipy's default base).
  it.each([
    ["small counts", S1, S2, 0.1348646368604421],
    ["larger counts", L1, L2, 0.032724471888101646],
    ["categories missing on either side", N1, N2, 0.4335232532773644],
  ])("%s", (_, reference, current, expected) => {
    expectRelative(jensenShannonDistance(reference, current), expected, 1e-12);
  });

  it("is 0 for identical proportions and √ln 2 for disjoint supports", () => {
    expect(jensenShannonDistance(S1, { a: 3, b: 5, c: 2 })).toBeLessThan(1e-8);
    expectRelative(jensenShannonDistance({ a: 1 }, { b: 7 }), Math.sqrt(Math.LN2), 1e-15);
  });

  it("says which input is empty", () => {
    expect(() => jensenShannonDistance(S1, {})).toThrow(/current counts are empty/);
  });
});

describe("psiNumeric and psiCategorical", () => {
  // Evidently is not installed here, so expected values re-run its formula (get_binned_data with fill of zeros, then
  // sum((r - c) * log(r / c))) in numpy:
  //   def fill(p):
  //       nz = p[p != 0].min(); np.place(p, p == 0, nz / 10**6 if nz <= 0.0001 else 0.0001); return p
  //   def psi_num(ref, cur, bins):
  //       edges = np.histogram_bin_edges(list(ref) + list(cur), bins=bins)
  //       r = fill(np.histogram(ref, edges)[0] / len(ref)); c = fill(np.histogram(cur, edges)[0] / len(cur))
  //       return np.sum((r - c) * np.log(r / c))
  //   psi_cat: the same over keys = union of categories, r = [ref.get(k, 0)] / sum(ref), c likewise.
  it.each([
    ["A vs B, 10 bins", () => [A, B], 10, 4.639169363689196],
    ["A vs B, Sturges", () => [A, B], "sturges", 1.802607410277519],
    ["lcg(1, 800) vs lcg(2, 600, 0.15), 10 bins", () => [R800, C600], 10, 0.03440324762999171],
    ["lcg(1, 800) vs lcg(2, 600, 0.15), Sturges", () => [R800, C600], "sturges", 0.07264826883452721],
    ["lcg(5, 1000) vs lcg(6, 20000, 0.05), 10 bins", () => [R1000, C20000], 10, 0.012767386322111949],
  ] as const)("numeric %s", (_, samples, bins, expected) => {
    const [reference, current] = samples();
    expectRelative(psiNumeric(reference, current, bins), expected, 1e-12);
  });

  it.each([
    ["small counts", S1, S2, 0.14725453739479227],
    ["larger counts", L1, L2, 0.008579888883837889],
    ["categories missing on either side (filled with 0.0001)", N1, N2, 4.008331978187471],
  ])("categorical %s", (_, reference, current, expected) => {
    expectRelative(psiCategorical(reference, current), expected, 1e-12);
  });

  it("is 0 for identical samples", () => {
    expect(psiNumeric(R800, [...R800].reverse())).toBe(0);
    expect(Math.abs(psiCategorical(S1, { a: 3, b: 5, c: 2 }))).toBeLessThan(1e-15);
  });

  it("reads PSI in the usual bands", () => {
    expect([0, 0.0999, 0.1, 0.2499, 0.25, 3].map(psiBand)).toEqual(["stable", "stable", "moderate", "moderate", "significant", "significant"]);
  });

  it("says which input is empty", () => {
    expect(() => psiNumeric([], [1])).toThrow(/reference sample is empty/);
    expect(() => psiCategorical(S1, {})).toThrow(/current counts are empty/);
  });
});

describe("histogram", () => {
  // Expected: numpy.histogram(values, bins[, range=…]) → (counts, edges).
  it("matches numpy over the data range", () => {
    const { edges, counts } = histogram(A, 7);
    expect(counts).toEqual([2, 2, 3, 7, 3, 2, 1]);
    const numpyEdges = [-1.73, -1.1457142857142857, -0.5614285714285714, 0.02285714285714291, 0.6071428571428572, 1.1914285714285717, 1.7757142857142858, 2.36];
    edges.forEach((edge, i) => expect(edge).toBeCloseTo(numpyEdges[i], 15));
  });

  it("puts values on an edge in the upper bin and the maximum in the last bin, dropping values outside the range", () => {
    // numpy.histogram([0, 0.5, 1, 1, 2, 3.5, 4], 4, range=(0, 4)) → [2, 2, 1, 2]
    expect(histogram([0, 0.5, 1, 1, 2, 3.5, 4, 9, -1], 4, [0, 4])).toEqual({ edges: [0, 1, 2, 3, 4], counts: [2, 2, 1, 2] });
  });

  it("widens a constant sample by ±0.5 as numpy", () => {
    // numpy.histogram([2, 2, 2], 3) → [0, 3, 0], edges [1.5, 1.8333333333333333, 2.1666666666666665, 2.5]
    expect(histogram([2, 2, 2], 3)).toEqual({ edges: [1.5, 1.8333333333333333, 2.1666666666666665, 2.5], counts: [0, 3, 0] });
  });

  it("matches numpy on a larger sample", () => {
    // numpy.histogram(lcg_normals(1, 800), 12)[0]
    expect(histogram(R800, 12).counts).toEqual([9, 30, 62, 97, 113, 155, 132, 111, 51, 32, 6, 2]);
  });
});

describe("numericDrift and categoricalDrift (the monitoring rule)", () => {
  it("uses KS for a reference of at most 1,000 values (drift when p < 0.05)", () => {
    const result = numericDrift(A, B);
    expect(result).toMatchObject({ test: "ks", threshold: 0.05, drifted: true });
    expectRelative(result.score, 0.03468769508885124); // ks_2samp(A, B).pvalue
    expectRelative(result.psi, 4.639169363689196, 1e-12); // psi_num(A, B, 10)
    expect(numericDrift(R800, C600)).toMatchObject({ test: "ks", drifted: false }); // p = 0.0878
  });

  it("uses normalised Wasserstein above 1,000 reference values (drift when ≥ 0.1)", () => {
    const reference = lcgNormals(21, 1001);
    const shifted = numericDrift(reference, lcgNormals(22, 500, 0.5));
    expect(shifted).toMatchObject({ test: "wasserstein", threshold: 0.1, drifted: true });
    expect(shifted.score).toBeCloseTo(normalizedWasserstein(reference, lcgNormals(22, 500, 0.5)), 15);
    expect(numericDrift(reference, lcgNormals(23, 500)).drifted).toBe(false);
  });

  it("lets the caller move the limit and thresholds", () => {
    expect(numericDrift(A, B, { ksPValueThreshold: 0.01 }).drifted).toBe(false);
    const wasserstein = numericDrift(A, B, { smallSampleLimit: 10, wassersteinThreshold: 0.7 });
    expect(wasserstein).toMatchObject({ test: "wasserstein", threshold: 0.7, drifted: false });
    expectRelative(wasserstein.score, 0.6384291724462877, 1e-12);
  });

  it("uses chi-square for a reference of at most 1,000 values and Jensen–Shannon above", () => {
    const small = categoricalDrift(S1, S2);
    expect(small).toMatchObject({ test: "chi-square", threshold: 0.05, drifted: true });
    expectRelative(small.score, 0.0001114798538145725, 1e-12);
    expectRelative(small.psi, 0.14725453739479227, 1e-12);
    const large = categoricalDrift(L1, L2);
    expect(large).toMatchObject({ test: "jensen-shannon", threshold: 0.1, drifted: false });
    expectRelative(large.score, 0.032724471888101646, 1e-12);
    expect(categoricalDrift(L1, L2, { jensenShannonThreshold: 0.03 }).drifted).toBe(true);
  });
});

describe("datasetDrift", () => {
  it("flags the dataset when at least half of the columns drifted", () => {
    const columns = [{ drifted: true }, { drifted: false }, { drifted: true }, { drifted: false }];
    expect(datasetDrift(columns)).toEqual({ driftedColumns: 2, totalColumns: 4, share: 0.5, drifted: true });
    expect(datasetDrift(columns, 0.75)).toEqual({ driftedColumns: 2, totalColumns: 4, share: 0.5, drifted: false });
    expect(datasetDrift([{ drifted: true }, { drifted: false }, { drifted: false }]).drifted).toBe(false);
  });

  it("does not flag an empty column list", () => {
    expect(datasetDrift([])).toEqual({ driftedColumns: 0, totalColumns: 0, share: 0, drifted: false });
  });
});
