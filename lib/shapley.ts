// Per-prediction feature contributions (Shapley values) of any model against a background sample: exact enumeration
// for few features, KernelSHAP (Lundberg & Lee 2017, as the `shap` package samples it) otherwise. Runtime-agnostic:
// the model is a batched predict function, so onnxruntime-node and onnxruntime-web both drive it.
import { seededRandom } from "./seeded-random";

/** One feature's value: a number, or text for a categorical (string) input. */
export type FeatureValue = number | string;

/** Model inputs held column by column: per feature a Float64Array (numbers) or a string array, each of rowCount values. */
export interface FeatureBatch {
  rowCount: number;
  columns: (Float64Array | string[])[];
}

/** One number per row of the batch: the output being explained (a class probability, a regression value). */
export type BatchPredict = (batch: FeatureBatch) => Promise<ArrayLike<number>>;

export interface ShapleyOptions {
  /** Rows the missing features are drawn from (the training data's sample); the base value is their mean prediction. */
  background: readonly (readonly FeatureValue[])[];
  predict: BatchPredict;
  /**
   * Most model rows one explanation may score (coalitions × background rows; default 20,000, ~60 ms of a 100-tree
   * forest on real rows in onnxruntime-node on an idle core): fewer background rows are used, then fewer coalitions.
   */
  maxModelRows?: number;
  /** Most rows per predict call (bounds the feed's memory). */
  maxBatchRows?: number;
  /** Up to this many features the values are exact (all 2^M coalitions); KernelSHAP above. */
  exactUpTo?: number;
  /** Seed of the coalition sampling: same row, background and seed → same values. */
  seed?: number;
}

export interface ShapleyResult {
  /** Mean prediction over the background rows used. */
  baseValue: number;
  /** The model's prediction for the row. */
  output: number;
  /** One per feature, in the row's order; they sum to output − baseValue (see SHAPLEY_SUM_TOLERANCE). */
  contributions: number[];
  method: "exact" | "kernel";
  /** Coalitions evaluated (besides the empty and the full one). */
  coalitions: number;
  backgroundRows: number;
}

/**
 * How far Σ contributions may stray from output − baseValue: both methods impose the sum exactly, so only rounding
 * of doubles remains (the model's own float32 rounding is in output and baseValue alike).
 */
export const SHAPLEY_SUM_TOLERANCE = 1e-9;

const DEFAULT_MAX_MODEL_ROWS = 20_000;
const COALITIONS_PER_FEATURE = 16;
const DEFAULT_MAX_BATCH_ROWS = 50_000;
const DEFAULT_EXACT_UP_TO = 10;

/** Coalition masks (1 = the row's own value, 0 = from the background), each with its kernel weight. */
interface Coalitions {
  masks: Uint8Array[];
  weights: number[];
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i += 1) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

function* combinations(n: number, k: number): Generator<number[]> {
  const indices = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield indices.slice();
    let i = k - 1;
    while (i >= 0 && indices[i] === n - k + i) i -= 1;
    if (i < 0) return;
    indices[i] += 1;
    for (let j = i + 1; j < k; j += 1) indices[j] = indices[j - 1] + 1;
  }
}

/**
 * KernelSHAP's coalitions as `shap` draws them: whole subset sizes (1 and M−1 first, with their complements) while the
 * budget covers them at their kernel weight, then the remaining sizes sampled by kernel weight with paired complements.
 */
function kernelCoalitions(m: number, budget: number, random: () => number): Coalitions {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const subsetSizes = Math.ceil((m - 1) / 2);
  const pairedSizes = Math.floor((m - 1) / 2);
  const weightVector = Array.from({ length: subsetSizes }, (_, i) => ((m - 1) / ((i + 1) * (m - i - 1))) * (i < pairedSizes ? 2 : 1));
  const total = weightVector.reduce((sum, w) => sum + w, 0);
  for (let i = 0; i < weightVector.length; i += 1) weightVector[i] /= total;

  let fullSizes = 0;
  let left = budget;
  let remaining = weightVector.slice();
  for (let size = 1; size <= subsetSizes; size += 1) {
    const paired = size <= pairedSizes;
    const count = binomial(m, size) * (paired ? 2 : 1);
    if ((left * remaining[size - 1]) / count < 1 - 1e-8) break;
    fullSizes += 1;
    left -= count;
    if (remaining[size - 1] < 1) remaining = remaining.map((w) => w / (1 - remaining[size - 1]));
    const weight = weightVector[size - 1] / binomial(m, size) / (paired ? 2 : 1);
    for (const indices of combinations(m, size)) {
      const mask = new Uint8Array(m);
      for (const index of indices) mask[index] = 1;
      masks.push(mask);
      weights.push(weight);
      if (paired) {
        masks.push(mask.map((bit) => 1 - bit));
        weights.push(weight);
      }
    }
  }
  const fixed = masks.length;
  if (fullSizes < subsetSizes && left > 0) {
    const sampling = weightVector.map((w, i) => (i < pairedSizes ? w / 2 : w)).slice(fullSizes);
    const samplingTotal = sampling.reduce((sum, w) => sum + w, 0);
    const used = new Map<string, number>();
    const permutation = Array.from({ length: m }, (_, i) => i);
    for (let draw = 0; left > 0 && draw < 4 * budget; draw += 1) {
      let pick = random() * samplingTotal;
      let offset = 0;
      while (offset < sampling.length - 1 && pick >= sampling[offset]) {
        pick -= sampling[offset];
        offset += 1;
      }
      const size = offset + fullSizes + 1;
      // A partial Fisher–Yates shuffle picks `size` distinct features.
      for (let i = 0; i < size; i += 1) {
        const j = i + Math.floor(random() * (m - i));
        [permutation[i], permutation[j]] = [permutation[j], permutation[i]];
      }
      const mask = new Uint8Array(m);
      for (let i = 0; i < size; i += 1) mask[permutation[i]] = 1;
      const pair = size <= pairedSizes ? mask.map((bit) => 1 - bit) : null;
      for (const candidate of pair ? [mask, pair] : [mask]) {
        const key = candidate.join("");
        const seen = used.get(key);
        if (seen !== undefined) weights[seen] += 1;
        else if (left > 0) {
          used.set(key, masks.length);
          masks.push(candidate);
          weights.push(1);
          left -= 1;
        }
      }
    }
    const sampledTotal = weights.slice(fixed).reduce((sum, w) => sum + w, 0);
    const weightLeft = weightVector.slice(fullSizes).reduce((sum, w) => sum + w, 0);
    for (let i = fixed; i < weights.length; i += 1) weights[i] *= weightLeft / sampledTotal;
  }
  return { masks, weights };
}

/** Every coalition but the empty and the full one, in mask order, for the exact Shapley formula. */
function allCoalitions(m: number): Uint8Array[] {
  const masks: Uint8Array[] = [];
  for (let bits = 1; bits < 2 ** m - 1; bits += 1) {
    const mask = new Uint8Array(m);
    for (let j = 0; j < m; j += 1) mask[j] = (bits >> j) & 1;
    masks.push(mask);
  }
  return masks;
}

/**
 * v(S) for each mask: the mean prediction with the masked-in features from `row` and the others from each background
 * row (interventional expectation). Strings are replaced by background values, never by an average.
 */
async function coalitionValues(
  row: readonly FeatureValue[],
  masks: readonly Uint8Array[],
  background: readonly (readonly FeatureValue[])[],
  predict: BatchPredict,
  maxBatchRows: number,
): Promise<number[]> {
  const m = row.length;
  const b = background.length;
  const isText = row.map((value) => typeof value === "string");
  const perBatch = Math.max(1, Math.floor(maxBatchRows / b));
  const values: number[] = [];
  for (let start = 0; start < masks.length; start += perBatch) {
    const chunk = masks.slice(start, start + perBatch);
    const rowCount = chunk.length * b;
    const columns = Array.from({ length: m }, (_, j) => (isText[j] ? new Array<string>(rowCount) : new Float64Array(rowCount)));
    for (let j = 0; j < m; j += 1) {
      const column = columns[j] as (string | number)[];
      const own = row[j];
      for (let k = 0; k < chunk.length; k += 1) {
        const base = k * b;
        if (chunk[k][j]) for (let r = 0; r < b; r += 1) column[base + r] = own;
        else for (let r = 0; r < b; r += 1) column[base + r] = background[r][j];
      }
    }
    const predictions = await predict({ rowCount, columns });
    if (predictions.length !== rowCount) throw new Error(`The model returned ${predictions.length} values for ${rowCount} rows; expected one per row.`);
    for (let k = 0; k < chunk.length; k += 1) {
      let sum = 0;
      for (let r = 0; r < b; r += 1) sum += predictions[k * b + r];
      values.push(sum / b);
    }
  }
  return values;
}

/** Solves A x = y (A square, small) by Gaussian elimination with partial pivoting; null when A is singular. */
export function solveLinearSystem(matrix: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  const a = matrix.map((line, i) => [...line, rhs[i]]);
  const scale = Math.max(1e-300, ...a.flatMap((line) => line.slice(0, n).map(Math.abs)));
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) <= scale * 1e-13) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = col + 1; r < n; r += 1) {
      const factor = a[r][col] / a[col][col];
      if (factor === 0) continue;
      for (let c = col; c <= n; c += 1) a[r][c] -= factor * a[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r -= 1) {
    let sum = a[r][n];
    for (let c = r + 1; c < n; c += 1) sum -= a[r][c] * x[c];
    x[r] = sum / a[r][r];
  }
  return x;
}

/**
 * Weighted least squares of y ≈ Z φ under Σφ = total (the efficiency constraint), by eliminating the last feature:
 * φ_M = total − Σ_{j<M} φ_j.
 */
function constrainedLeastSquares(masks: readonly Uint8Array[], weights: readonly number[], y: readonly number[], total: number): number[] | null {
  const m = masks[0].length;
  const n = m - 1;
  const ata = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const aty = new Array<number>(n).fill(0);
  const x = new Array<number>(n);
  for (let k = 0; k < masks.length; k += 1) {
    const mask = masks[k];
    const last = mask[m - 1];
    for (let j = 0; j < n; j += 1) x[j] = mask[j] - last;
    const target = y[k] - last * total;
    const w = weights[k];
    for (let i = 0; i < n; i += 1) {
      if (x[i] === 0) continue;
      const wx = w * x[i];
      aty[i] += wx * target;
      for (let j = 0; j < n; j += 1) if (x[j] !== 0) ata[i][j] += wx * x[j];
    }
  }
  const solved = solveLinearSystem(ata, aty);
  if (!solved) return null;
  return [...solved, total - solved.reduce((sum, value) => sum + value, 0)];
}

const factorials = (m: number) => {
  const f = [1];
  for (let i = 1; i <= m; i += 1) f.push(f[i - 1] * i);
  return f;
};

/**
 * Shapley values of one row's prediction. Each coalition's value is the mean prediction over the background with the
 * coalition's features set to the row's values; exact for ≤ exactUpTo features, KernelSHAP with the efficiency
 * constraint above. Contributions sum to output − baseValue in both cases.
 */
export async function shapleyValues(row: readonly FeatureValue[], options: ShapleyOptions): Promise<ShapleyResult> {
  const m = row.length;
  if (m === 0) throw new Error("The row has no features to explain.");
  if (options.background.length === 0) throw new Error("Contributions need at least one background row (a sample of the training data).");
  for (const [index, backgroundRow] of options.background.entries()) {
    if (backgroundRow.length !== m) throw new Error(`Background row ${index + 1} has ${backgroundRow.length} values; the row has ${m}.`);
  }
  const maxModelRows = options.maxModelRows ?? DEFAULT_MAX_MODEL_ROWS;
  const maxBatchRows = options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
  const exact = m <= (options.exactUpTo ?? DEFAULT_EXACT_UP_TO);
  // KernelSHAP needs at least the 2M coalitions of sizes 1 and M−1 to solve. The budget is split so ~16 coalitions per
  // feature are evaluated before background rows are added: coalition sampling, not the background, limits accuracy.
  const fewestCoalitions = exact ? 2 ** m - 2 : Math.min(2 ** m - 2, 2 * m + 2);
  const wantedCoalitions = exact ? 2 ** m - 2 : Math.min(2 ** m - 2, Math.max(fewestCoalitions, COALITIONS_PER_FEATURE * m));
  const backgroundRows = Math.max(1, Math.min(options.background.length, Math.floor(maxModelRows / (wantedCoalitions + 2))));
  const background = options.background.slice(0, backgroundRows);
  const empty = new Uint8Array(m);
  const full = new Uint8Array(m).fill(1);

  if (exact) {
    const masks = [empty, ...allCoalitions(m), full];
    const values = await coalitionValues(row, masks, background, options.predict, maxBatchRows);
    // values[bits] = v(S) for the coalition whose bit j says feature j is the row's own.
    const f = factorials(m);
    const contributions = new Array<number>(m).fill(0);
    for (let bits = 0; bits < 2 ** m; bits += 1) {
      let size = 0;
      for (let j = 0; j < m; j += 1) size += (bits >> j) & 1;
      for (let j = 0; j < m; j += 1) {
        if ((bits >> j) & 1) continue;
        const weight = (f[size] * f[m - size - 1]) / f[m];
        contributions[j] += weight * (values[bits | (1 << j)] - values[bits]);
      }
    }
    const baseValue = values[0];
    const output = values[2 ** m - 1];
    return { baseValue, output, contributions: enforceSum(contributions, output - baseValue), method: "exact", coalitions: 2 ** m - 2, backgroundRows };
  }

  const budget = Math.max(fewestCoalitions, Math.min(2 ** m - 2, Math.floor(maxModelRows / backgroundRows) - 2));
  const { masks, weights } = kernelCoalitions(m, budget, seededRandom(options.seed ?? 0));
  const values = await coalitionValues(row, [empty, full, ...masks], background, options.predict, maxBatchRows);
  const [baseValue, output] = values;
  const y = values.slice(2).map((value) => value - baseValue);
  const contributions = constrainedLeastSquares(masks, weights, y, output - baseValue);
  if (!contributions) throw new Error("The contributions could not be solved (too few coalitions for the features); raise maxModelRows.");
  return { baseValue, output, contributions, method: "kernel", coalitions: masks.length, backgroundRows };
}

/** Spreads the rounding residue of the exact sum evenly, so Σφ = output − base holds to the last bits. */
function enforceSum(contributions: number[], total: number): number[] {
  const residue = total - contributions.reduce((sum, value) => sum + value, 0);
  return contributions.map((value) => value + residue / contributions.length);
}

/** Mean |contribution| per feature over several explanations: the global view beside permutation importance. */
export function meanAbsoluteContributions(results: readonly Pick<ShapleyResult, "contributions">[]): number[] {
  if (results.length === 0) return [];
  const sums = new Array<number>(results[0].contributions.length).fill(0);
  for (const result of results) result.contributions.forEach((value, j) => (sums[j] += Math.abs(value)));
  return sums.map((sum) => sum / results.length);
}
