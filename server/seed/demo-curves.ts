// Deterministic, realistic-looking training curves for the demo seed: a seeded PRNG, noisy decays, rare spikes.

/** mulberry32: tiny, fast and good enough for demo noise; the same seed always gives the same curves. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface CurveSpec {
  /** Steps the run was planned for; the curves reach their final values at the last planned step. */
  plannedSteps: number;
  /** Steps actually logged (fewer when the run was killed or failed). */
  loggedSteps: number;
  /** Values at the last planned step: validation accuracy and AUC on the held-out split, and its log loss. */
  finalAccuracy: number;
  finalAuc: number;
  finalValLoss: number;
  /** Where the training loss settles; deeper models fit the training data more tightly. */
  finalTrainLoss: number;
  /** How much val_loss rises again at the end (over-fitting), in loss units. */
  overfit: number;
  /** Size of the validation split: accuracies are multiples of 1/valRows, as real ones are. */
  valRows: number;
  /** Accuracy and AUC of a model that has learnt nothing yet (the majority class). */
  startAccuracy: number;
  startAuc: number;
  /** Loss of a model that has learnt nothing: ln(number of classes). */
  startLoss: number;
  /** The run ends in a NaN loss at its last logged step (a diverged, failed run). */
  divergesAtEnd: boolean;
  seed: number;
}

export interface Curves {
  train_loss: number[];
  val_loss: number[];
  val_accuracy: number[];
  val_auc: number[];
}

/**
 * Curves with an exponential approach to their final values, noise that shrinks as training
 * settles, and a handful of one-step spikes. At the last planned step the validation metrics are
 * exactly the final values, so a finished run reports what its model really scores.
 */
export function synthesiseCurves(spec: CurveSpec): Curves {
  const random = seededRandom(spec.seed);
  const rate = 4 + random() * 3;
  const last = spec.plannedSteps - 1;
  const decay = (x: number) => (Math.exp(-rate * x) - Math.exp(-rate)) / (1 - Math.exp(-rate));
  const spikeCount = 2 + Math.floor(random() * 3);
  const spikes = new Set<number>();
  while (spikes.size < spikeCount) spikes.add(Math.floor(spec.loggedSteps * (0.1 + random() * 0.8)));
  const curves: Curves = { train_loss: [], val_loss: [], val_accuracy: [], val_auc: [] };
  const startLoss = spec.startLoss;
  const minValLoss = spec.finalValLoss - spec.overfit;

  for (let step = 0; step < spec.loggedSteps; step++) {
    const x = step / last;
    const settle = 1 - 0.7 * x;
    const d = decay(x);
    const spike = spikes.has(step);
    let trainLoss = (spec.finalTrainLoss + (startLoss - spec.finalTrainLoss) * d) * Math.exp(0.06 * settle * gaussian(random));
    const overfitRise = spec.overfit * Math.max(0, x - 0.5) ** 2 / 0.25;
    let valLoss = (minValLoss + (startLoss - minValLoss) * d + overfitRise) * Math.exp(0.035 * settle * gaussian(random));
    const accuracyTrend = spec.finalAccuracy - (spec.finalAccuracy - spec.startAccuracy) * d;
    let accuracy = Math.round((accuracyTrend + 0.008 * settle * gaussian(random)) * spec.valRows) / spec.valRows;
    let auc = spec.finalAuc - (spec.finalAuc - spec.startAuc) * d + 0.002 * settle * gaussian(random);
    if (spike) {
      trainLoss *= 2 + random() * 2;
      valLoss *= 1.5 + random();
      accuracy -= Math.round(3 + random() * 5) / spec.valRows;
      auc -= 0.01 + random() * 0.02;
    }
    if (step === last) {
      valLoss = spec.finalValLoss;
      accuracy = spec.finalAccuracy;
      auc = spec.finalAuc;
    }
    curves.train_loss.push(trainLoss);
    curves.val_loss.push(valLoss);
    curves.val_accuracy.push(Math.min(1, Math.max(0, accuracy)));
    curves.val_auc.push(Math.min(1, Math.max(0.5, auc)));
  }

  if (spec.divergesAtEnd) {
    // The last few steps blow up before the loss turns NaN, as a diverging run does.
    const n = curves.train_loss.length;
    for (let i = Math.max(0, n - 25); i < n; i++) {
      const blowUp = 1.35 ** (i - (n - 25));
      curves.train_loss[i] *= blowUp;
      curves.val_loss[i] *= blowUp;
      curves.val_accuracy[i] = Math.max(spec.startAccuracy, curves.val_accuracy[i] - (i - (n - 25)) / spec.valRows);
    }
    curves.train_loss[n - 1] = Number.NaN;
    curves.val_loss[n - 1] = Number.NaN;
  }
  return curves;
}
