// Classification metrics (accuracy, confusion matrix, precision/recall/F1, log loss, ROC AUC, ROC and calibration curves) computed as scikit-learn 1.2 does, so a review report agrees with the numbers a data scientist gets in Python.

/** Rows of class probabilities (rows × classes) and the true class index (0..k-1) of each row. */
function checkClassification(labels: number[], probabilities: number[][]): number {
  if (labels.length === 0) throw new Error("There are no rows to evaluate; give at least one labelled row.");
  if (labels.length !== probabilities.length) {
    throw new Error(`There are ${labels.length} labels but ${probabilities.length} rows of probabilities; give one row per label.`);
  }
  const classCount = probabilities[0].length;
  if (classCount < 2) throw new Error("Each row of probabilities needs at least two classes (one column per class).");
  probabilities.forEach((row, index) => {
    if (row.length !== classCount) {
      throw new Error(`Row ${index} has ${row.length} probabilities, the first row has ${classCount}; every row needs one per class.`);
    }
    if (!row.every(Number.isFinite)) throw new Error(`Row ${index} holds a non-finite probability; the model output is broken there.`);
  });
  labels.forEach((label, index) => {
    if (!Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new Error(`Label ${label} in row ${index} is not a class index between 0 and ${classCount - 1}; map labels to class indices first.`);
    }
  });
  return classCount;
}

/** Predicted class of each row: the column with the largest probability, the first one on ties (as numpy's argmax). */
export function predictedLabels(probabilities: number[][]): number[] {
  return probabilities.map((row) => {
    let best = 0;
    for (let column = 1; column < row.length; column += 1) if (row[column] > row[best]) best = column;
    return best;
  });
}

export function accuracy(labels: number[], probabilities: number[][]): number {
  checkClassification(labels, probabilities);
  const predicted = predictedLabels(probabilities);
  let correct = 0;
  labels.forEach((label, index) => {
    if (predicted[index] === label) correct += 1;
  });
  return correct / labels.length;
}

/** matrix[true class][predicted class] = count, as scikit-learn's confusion_matrix (rows are the truth). */
export function confusionMatrix(labels: number[], probabilities: number[][]): number[][] {
  const classCount = checkClassification(labels, probabilities);
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  const predicted = predictedLabels(probabilities);
  labels.forEach((label, index) => {
    matrix[label][predicted[index]] += 1;
  });
  return matrix;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

/**
 * Precision, recall and F1 of each class, and their unweighted (macro) means.
 * An undefined ratio (no row predicted as, or truly of, a class) counts as 0, scikit-learn's default
 * (`zero_division="warn"` returns 0 and warns). As scikit-learn does by default, the macro mean covers
 * the classes present in the labels or the predictions; a class absent from both is left out.
 */
export function precisionRecallF1(
  labels: number[],
  probabilities: number[][],
): { perClass: ClassScores[]; macro: { precision: number; recall: number; f1: number } } {
  const matrix = confusionMatrix(labels, probabilities);
  const perClass: ClassScores[] = [];
  const macro = { precision: 0, recall: 0, f1: 0 };
  let presentClasses = 0;
  matrix.forEach((row, klass) => {
    const truePositives = row[klass];
    const support = row.reduce((sum, count) => sum + count, 0);
    const predictedCount = matrix.reduce((sum, otherRow) => sum + otherRow[klass], 0);
    const precision = predictedCount === 0 ? 0 : truePositives / predictedCount;
    const recall = support === 0 ? 0 : truePositives / support;
    // 2·TP / (2·TP + FP + FN) is the harmonic mean of precision and recall without dividing twice.
    const f1 = support + predictedCount === 0 ? 0 : (2 * truePositives) / (support + predictedCount);
    perClass.push({ precision, recall, f1, support });
    if (support + predictedCount > 0) {
      presentClasses += 1;
      macro.precision += precision;
      macro.recall += recall;
      macro.f1 += f1;
    }
  });
  return {
    perClass,
    macro: { precision: macro.precision / presentClasses, recall: macro.recall / presentClasses, f1: macro.f1 / presentClasses },
  };
}

/** Clipping bound of scikit-learn ≤ 1.2's log_loss, so a confident wrong answer costs a finite −log(1e-15) ≈ 34.5. */
export const LOG_LOSS_EPSILON = 1e-15;

/**
 * Mean negative log-likelihood of the true class. As scikit-learn 1.2: each probability is clipped to
 * [eps, 1 − eps], then each row is rescaled to sum to 1 (exported models round probabilities, so rows
 * may sum to 1 ± 1e-7).
 */
export function logLoss(labels: number[], probabilities: number[][], eps = LOG_LOSS_EPSILON): number {
  checkClassification(labels, probabilities);
  let total = 0;
  labels.forEach((label, index) => {
    const clipped = probabilities[index].map((probability) => Math.min(Math.max(probability, eps), 1 - eps));
    const rowSum = clipped.reduce((sum, probability) => sum + probability, 0);
    total -= Math.log(clipped[label] / rowSum);
  });
  return total / labels.length;
}

/**
 * Binary ROC AUC of scores against 0/1 truths by the Mann–Whitney rank formula with mid-ranks for ties,
 * which equals the trapezoid area under scikit-learn's ROC curve (a tie counts one half).
 */
function binaryAuc(isPositive: boolean[], scores: number[]): number {
  const order = scores.map((_, index) => index).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end += 1;
    // Ranks start..end (1-based start+1..end+1) share their mean.
    const midRank = (start + end + 2) / 2;
    for (let position = start; position <= end; position += 1) {
      if (isPositive[order[position]]) {
        positives += 1;
        positiveRankSum += midRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new Error("ROC AUC needs rows of both the positive and the other classes; the evaluation set holds only one.");
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * ROC AUC as scikit-learn's roc_auc_score: with two columns, of class 1's probability; with more,
 * one-vs-rest per class and their unweighted mean (`multi_class="ovr", average="macro"`). Every class
 * must occur in the labels, as scikit-learn requires.
 */
export function rocAuc(labels: number[], probabilities: number[][]): number {
  const classCount = checkClassification(labels, probabilities);
  if (classCount === 2) {
    return binaryAuc(
      labels.map((label) => label === 1),
      probabilities.map((row) => row[1]),
    );
  }
  let sum = 0;
  for (let klass = 0; klass < classCount; klass += 1) {
    if (!labels.includes(klass)) {
      throw new Error(`Class ${klass} never occurs in the labels, so its one-vs-rest ROC AUC is undefined; evaluate on a set holding every class.`);
    }
    sum += binaryAuc(
      labels.map((label) => label === klass),
      probabilities.map((row) => row[klass]),
    );
  }
  return sum / classCount;
}

function checkBinary(labels: number[], scores: number[]): void {
  if (labels.length === 0) throw new Error("There are no rows to evaluate; give at least one labelled row.");
  if (labels.length !== scores.length) {
    throw new Error(`There are ${labels.length} labels but ${scores.length} scores; give one score per label.`);
  }
  labels.forEach((label, index) => {
    if (label !== 0 && label !== 1) throw new Error(`Label ${label} in row ${index} is not 0 or 1; a binary curve needs 0/1 labels.`);
    if (!Number.isFinite(scores[index])) throw new Error(`The score of row ${index} is ${scores[index]}; scores must be finite numbers.`);
  });
}

/**
 * Binary ROC curve as scikit-learn's roc_curve with `drop_intermediate=False`: one point per distinct
 * score, thresholds descending, and a first point (0, 0) whose threshold is the highest score + 1
 * (scikit-learn 1.2's convention; 1.3+ uses +∞, which JSON cannot hold). Rows score ≥ threshold are
 * predicted positive.
 */
export function rocCurve(labels: number[], positiveScores: number[]): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  checkBinary(labels, positiveScores);
  const order = positiveScores.map((_, index) => index).sort((a, b) => positiveScores[b] - positiveScores[a]);
  const positives = labels.reduce((sum, label) => sum + label, 0);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new Error("A ROC curve needs rows of both classes; the evaluation set holds only one.");
  }
  const fpr = [0];
  const tpr = [0];
  const thresholds = [positiveScores[order[0]] + 1];
  let truePositives = 0;
  let falsePositives = 0;
  order.forEach((row, position) => {
    if (labels[row] === 1) truePositives += 1;
    else falsePositives += 1;
    const next = order[position + 1];
    if (next === undefined || positiveScores[next] !== positiveScores[row]) {
      fpr.push(falsePositives / negatives);
      tpr.push(truePositives / positives);
      thresholds.push(positiveScores[row]);
    }
  });
  return { fpr, tpr, thresholds };
}

/**
 * Reliability curve as scikit-learn's calibration_curve(strategy="uniform"): [0, 1] cut into nBins equal
 * bins (a probability on an inner edge falls in the lower bin, as numpy's searchsorted "left"); for each
 * non-empty bin, the share of positives (probTrue) and the mean predicted probability (probPred).
 * counts (rows per returned bin) is ours, for charts and sentences.
 */
export function calibrationCurve(
  labels: number[],
  positiveProbabilities: number[],
  nBins = 10,
): { probTrue: number[]; probPred: number[]; counts: number[] } {
  checkBinary(labels, positiveProbabilities);
  if (!Number.isInteger(nBins) || nBins < 1) throw new Error(`nBins is ${nBins}; give a whole number of bins, at least 1.`);
  // Edges as numpy's linspace(0, 1, nBins + 1) computes them (i · step), so boundary cases agree.
  const step = 1 / nBins;
  const innerEdges = Array.from({ length: nBins - 1 }, (_, index) => (index + 1) * step);
  const positives = new Array<number>(nBins).fill(0);
  const sums = new Array<number>(nBins).fill(0);
  const totals = new Array<number>(nBins).fill(0);
  positiveProbabilities.forEach((probability, index) => {
    if (!(probability >= 0 && probability <= 1)) {
      throw new Error(`Probability ${probability} in row ${index} is outside [0, 1]; a calibration curve needs probabilities.`);
    }
    let bin = 0;
    while (bin < innerEdges.length && innerEdges[bin] < probability) bin += 1;
    positives[bin] += labels[index];
    sums[bin] += probability;
    totals[bin] += 1;
  });
  const curve = { probTrue: [] as number[], probPred: [] as number[], counts: [] as number[] };
  totals.forEach((total, bin) => {
    if (total === 0) return;
    curve.probTrue.push(positives[bin] / total);
    curve.probPred.push(sums[bin] / total);
    curve.counts.push(total);
  });
  return curve;
}
