// Special functions behind the drift tests' p-values: log-gamma, the chi-square tail, and the Kolmogorov (kstwo) and Smirnov tails.

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  // Reflection keeps the Lanczos series in the range where it is accurate.
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let series = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_G + 2; i++) series += LANCZOS_COEFFICIENTS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

const GAMMA_EPSILON = 1e-16;
const GAMMA_MAX_ITERATIONS = 10_000;
const TINY = 1e-300;

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), for a > 0, x ≥ 0. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`regularizedGammaQ needs a > 0, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`regularizedGammaQ needs x ≥ 0, got ${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // The power series for P(a, x) converges fast below the mode; Q = 1 − P.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < GAMMA_MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * GAMMA_EPSILON) break;
    }
    return 1 - sum * Math.exp(logPrefactor);
  }
  // Above the mode the continued fraction for Q itself (modified Lentz) avoids cancellation in the tail.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < GAMMA_MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < GAMMA_EPSILON) break;
  }
  return Math.exp(logPrefactor) * h;
}

/** Survival function of the chi-square distribution: Pr(X ≥ statistic) with `degreesOfFreedom` > 0. */
export function chiSquareSurvival(statistic: number, degreesOfFreedom: number): number {
  if (statistic === Infinity) return 0;
  if (statistic <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, statistic / 2);
}

/** x · 2^exponent without overflowing the intermediate power of two. */
function scaleByPowerOfTwo(x: number, exponent: number): number {
  let result = x;
  let remaining = exponent;
  while (remaining > 1000) {
    result *= 2 ** 1000;
    remaining -= 1000;
  }
  while (remaining < -1000) {
    result *= 2 ** -1000;
    remaining += 1000;
  }
  return result * 2 ** remaining;
}

/**
 * One-sided Smirnov tail Pr(D⁺ₙ ≥ x), exact by the Birnbaum–Tingey sum
 * x Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1), every term in logs (all terms are positive,
 * so there is no cancellation). Same quantity as scipy.special.smirnov(n, x).
 */
export function smirnovSurvival(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  if (n === 1) return 1 - x;
  const lastJ = Math.floor(n * (1 - x));
  let logBinomial = 0; // ln C(n, j), updated incrementally
  let sum = 0;
  for (let j = 0; j <= lastJ; j++) {
    if (j > 0) logBinomial += Math.log((n - j + 1) / j);
    const lower = 1 - x - j / n;
    if (lower <= 0) continue; // term is exactly 0 when n(1 − x) is an integer
    const logTerm = logBinomial + (n - j) * Math.log(lower) + (j - 1) * Math.log(x + j / n);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, Math.max(0, x * sum));
}

/** ln(n! / nⁿ) by Stirling's series with the n·ln n removed up front (no cancellation for large n). */
function logFactorialOverPower(n: number): number {
  const stirling = [
    -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
    -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
  ];
  const rn = 1 / n;
  const rn2 = rn / n;
  let poly = 0;
  for (const c of stirling) poly = poly * rn2 + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;

function multiplySquare(a: Float64Array<ArrayBuffer>, b: Float64Array<ArrayBuffer>, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aik * b[k * m + j];
    }
  }
  return out;
}

/**
 * Kolmogorov CDF Pr(Dₙ ≤ d), exact, by Durbin's matrix as organised by Marsaglia, Tsang & Wang (2003):
 * the (k, k) entry of Hⁿ times n!/nⁿ, with d = (k − h)/n, scaled by powers of two to stay in range.
 */
function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1; // 1 / j!
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  v[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * factorial;
  let matrix = new Float64Array(m * m);
  for (let col = 1; col < m; col++) {
    for (let row = col - 1; row < m; row++) matrix[row * m + col] = w[row - col + 1];
  }
  for (let row = 0; row < m; row++) matrix[row * m] = v[row];
  for (let col = 0; col < m; col++) matrix[(m - 1) * m + col] = v[m - 1 - col];

  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let remaining = n;
  let exponent = 0;
  let matrixExponent = 0;
  while (remaining > 0) {
    if (remaining % 2 === 1) {
      power = multiplySquare(power, matrix, m);
      exponent += matrixExponent;
    }
    matrix = multiplySquare(matrix, matrix, m);
    matrixExponent *= 2;
    if (Math.abs(matrix[(k - 1) * m + (k - 1)]) > SCALE_UP) {
      for (let i = 0; i < matrix.length; i++) matrix[i] *= SCALE_DOWN;
      matrixExponent += SCALE_EXPONENT;
    }
    remaining = Math.floor(remaining / 2);
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  return scaleByPowerOfTwo(p, exponent);
}

/**
 * Pelz–Good (1976) asymptotic series for the Kolmogorov CDF, Pr(Dₙ ≤ x) ≈ K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^1.5
 * with z = x√n, each Kᵢ written as a theta series that converges fast for small z.
 */
function kolmogorovCdfPelzGood(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI ** 2;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qLog = -pi2 / 8 / z2;
  if (qLog < -708) return 0;
  const q = Math.exp(qLog);

  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Sums over odd m = 2k − 1 of cᵢ(m) q^(m²), evaluated Horner-style in q⁸ᵏ.
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) terms[i] = terms[i] * qPower + coefficients[i];
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = (terms[i] * q * sqrt2pi) / divisors[i];

  // The extra sums over all integers k in K₂ and K₃.
  const qAll = Math.exp(-pi2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k >= 1; k--) {
    const k2 = k * k;
    const qPower = qAll ** k2;
    const kPi = Math.PI * k;
    k2Extra += k2 * qPower;
    k3Extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
  }
  terms[2] += (k2Extra * pi2 * sqrt2pi) / (-36 * z3);
  terms[3] += (k3Extra * pi2 * sqrt2pi) / (216 * z6);
  let total = 0;
  for (let i = 0; i < 4; i++) total += terms[i] / n ** (i / 2);
  return total;
}

const clipProbability = (p: number) => Math.min(1, Math.max(0, p));

/**
 * Survival function of the two-sided one-sample Kolmogorov statistic, Pr(Dₙ ≥ x) — scipy.stats.kstwo.sf(x, n).
 * Follows the method choice of Simard & L'Ecuyer (2011) as scipy does, except that where scipy uses Pomeranz's
 * recursion (n ≤ 140, 0.754693 < n·x² ≤ 4) this uses Durbin's matrix: both are exact.
 */
export function kolmogorovSurvival(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`kolmogorovSurvival needs a positive integer n, got ${n}`);
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: Pr(Dₙ ≤ x) = n!/nⁿ (2t − 1)ⁿ for 1/2n ≤ x ≤ 1/n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clipProbability(1 - cdf);
  }
  if (t >= n - 1) return clipProbability(2 * (1 - x) ** n);
  if (x >= 0.5) return clipProbability(2 * smirnovSurvival(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 4) return clipProbability(1 - kolmogorovCdfDurbin(n, x));
    return clipProbability(2 * smirnovSurvival(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clipProbability(2 * smirnovSurvival(n, x));
  const cdf =
    n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x);
  return clipProbability(1 - cdf);
}
