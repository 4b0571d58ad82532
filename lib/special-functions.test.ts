import { describe, expect, it } from "vitest";
import { chiSquareSurvival, kolmogorovSurvival, logGamma, smirnovSurvival } from "./special-functions";

function expectRelative(actual: number, expected: number, tolerance: number) {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

describe("logGamma", () => {
  it("matches factorials and Γ(1/2) = √π", () => {
    expectRelative(logGamma(10), Math.log(362880), 1e-14);
    expectRelative(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    expectRelative(logGamma(0.1), 2.252712651734206, 1e-13); // scipy.special.gammaln(0.1)
  });
});

describe("chiSquareSurvival", () => {
  // Expected: scipy.stats.chi2.sf(statistic, df) with scipy 1.17.1.
  it.each([
    [3.2, 4, 0.5249309467861041],
    [50, 3, 7.989179244951495e-11],
    [0.5, 1, 0.47950012218695337],
    [200, 10, 1.6139305336977317e-37],
    [12.3, 7, 0.0911148860003131],
  ])("chi2.sf(%f, %i)", (statistic, df, expected) => {
    expectRelative(chiSquareSurvival(statistic, df), expected, 1e-12);
  });

  it("is 1 at 0 and 0 at Infinity", () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
  });
});

describe("kolmogorovSurvival (scipy.stats.kstwo.sf) and smirnovSurvival (scipy.special.smirnov)", () => {
  // Expected: [n, x, scipy.stats.kstwo.sf(x, n), scipy.special.smirnov(n, x)] with scipy 1.17.1. The cases walk every
  // branch scipy takes: Ruben–Gambino, Durbin matrix, Pomeranz (n ≤ 140, 0.754693 < n·x² ≤ 4; Durbin here, hence
  // 1e-12 rather than exact agreement), 2·Smirnov, Pelz–Good. smirnov is summed in logs here, while scipy's C code
  // uses another arrangement: agreement loosens with n (≈ n·1e-15), hence 1e-9 for n up to 200,000.
  it.each([
    [5, 0.3, 0.664, 0.34282],
    [10, 0.25, 0.4841115325000003, 0.24491372483398438],
    [10, 0.6, 0.0005681672000000003, 0.0002840836000000002],
    [50, 0.1, 0.6623112704658186, 0.34490701996888],
    [100, 0.15, 0.019839242125643017, 0.009919628413308524],
    [140, 0.2, 2.1981563302200222e-5, 1.0990781651100111e-5],
    [141, 0.1, 0.11128445516467944, 0.055651174842302024],
    [300, 0.002, 1.0, 0.9963652149467752],
    [500, 0.05, 0.15866260223815387, 0.07937040397120126],
    [1000, 0.03, 0.3226902143914636, 0.16203171395455085],
    [1000, 0.06, 0.001428597887952891, 0.0007142989439764456],
    [5000, 0.01, 0.6954557253913853, 0.36544317503217305],
    [5000, 0.03, 0.00024159234422666817, 0.00012079617211333408],
    [25000, 0.005, 0.5578336507542061, 0.2855525579220889],
    [25000, 0.012, 0.0014810269244871926, 0.0007405134622435963],
    [200000, 0.002, 0.39995085369038097, 0.20162757353974722],
  ])("n = %i, x = %f", (n, x, kolmogorov, smirnov) => {
    expectRelative(kolmogorovSurvival(n, x), kolmogorov, 1e-9);
    expectRelative(smirnovSurvival(n, x), smirnov, 1e-9);
  });

  it("agrees to 1e-12 where both sides use the same exact method (small n)", () => {
    expectRelative(kolmogorovSurvival(10, 0.25), 0.4841115325000003, 1e-12);
    expectRelative(kolmogorovSurvival(141, 0.1), 0.11128445516467944, 1e-12);
  });

  it("is 1 at x ≤ 0 and 0 at x ≥ 1", () => {
    expect(kolmogorovSurvival(20, 0)).toBe(1);
    expect(kolmogorovSurvival(20, 1)).toBe(0);
    expect(smirnovSurvival(20, 0)).toBe(1);
    expect(smirnovSurvival(20, 1)).toBe(0);
  });
});
