// Exponential moving average for metric charts, debiased as TensorBoard and W&B do so that the
// first points are not dragged towards zero.

/**
 * Smooths `values` with weight `weight` in [0, 1): 0 returns the values unchanged, 0.99 smooths
 * heavily. Non-finite values are passed through and do not disturb the average.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`Smoothing weight must be in [0, 1), got ${weight}`);
  const out = new Array<number>(values.length);
  let last = 0;
  let debiasWeight = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    debiasWeight = debiasWeight * weight + (1 - weight);
    out[i] = last / debiasWeight;
  }
  return out;
}
