// Classification metrics against scikit-learn's numbers in the fixture sidecars and against hand-computed examples.
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  accuracy,
  calibrationCurve,
  confusionMatrix,
  logLoss,
  precisionRecallF1,
  predictedLabels,
  rocAuc,
  rocCurve,
} from "./classification-metrics";

// The tolerance for agreeing with scikit-learn.
const TOLERANCE = 1e-6;

interface Sidecar {
  label_column: string;
  test_metrics: Record<string, number>;
}
interface Expected {
  rows: number;
  label: number[];
  probabilities: number[][];
}

function loadFixture(model: string, dataset: string) {
  const sidecar = JSON.parse(readFileSync(`fixtures/models/${model}.model.json`, "utf8")) as Sidecar;
  const expected = JSON.parse(readFileSync(`fixtures/models/${model}.expected.json`, "utf8")) as Expected;
  const records = Papa.parse<Record<string, string>>(readFileSync(`fixtures/datasets/${dataset}.test.csv`, "utf8"), {
    header: true,
    skipEmptyLines: true,
  }).data;
  const labels = records.map((record) => Number(record[sidecar.label_column]));
  return { metrics: sidecar.test_metrics, expected, labels };
}

describe.each([
  ["iris-logreg", "iris"],
  ["breast-cancer-rf-v1", "breast_cancer"],
  ["breast-cancer-rf-v2", "breast_cancer"],
  ["credit-logreg", "credit"],
  ["digits-mlp", "digits"],
])("%s on %s.test.csv agrees with scikit-learn's test_metrics", (model, dataset) => {
  const { metrics, expected, labels } = loadFixture(model, dataset);

  it("reads one probability row per test row, and argmax gives scikit-learn's labels", () => {
    expect(labels).toHaveLength(expected.rows);
    expect(expected.probabilities).toHaveLength(expected.rows);
    expect(predictedLabels(expected.probabilities)).toEqual(expected.label);
  });

  it("accuracy, macro F1, log loss and ROC AUC within 1e-6", () => {
    expect(Math.abs(accuracy(labels, expected.probabilities) - metrics.accuracy)).toBeLessThan(TOLERANCE);
    expect(Math.abs(precisionRecallF1(labels, expected.probabilities).macro.f1 - metrics.f1_macro)).toBeLessThan(TOLERANCE);
    // The expected probabilities are rounded to 7 decimals, so log loss differs from scikit-learn's by ~1e-8.
    expect(Math.abs(logLoss(labels, expected.probabilities) - metrics.log_loss)).toBeLessThan(TOLERANCE);
    expect(Math.abs(rocAuc(labels, expected.probabilities) - metrics.roc_auc)).toBeLessThan(TOLERANCE);
  });
});

describe("confusionMatrix and precisionRecallF1 on a hand-computed example", () => {
  // truth:     0 0 1 1 1 2
  // predicted: 0 1 1 1 0 0   (class 2 is never predicted)
  const labels = [0, 0, 1, 1, 1, 2];
  const probabilities = [
    [0.8, 0.1, 0.1],
    [0.3, 0.6, 0.1],
    [0.2, 0.7, 0.1],
    [0.1, 0.5, 0.4],
    [0.5, 0.4, 0.1],
    [0.6, 0.2, 0.2],
  ];

  it("counts truth by row, prediction by column", () => {
    expect(confusionMatrix(labels, probabilities)).toEqual([
      [1, 1, 0],
      [1, 2, 0],
      [1, 0, 0],
    ]);
    expect(accuracy(labels, probabilities)).toBe(3 / 6);
  });

  it("scores each class, counts 0/0 as 0 and averages the classes present", () => {
    const { perClass, macro } = precisionRecallF1(labels, probabilities);
    // class 0: TP 1, predicted 3, true 2 → P 1/3, R 1/2, F1 2·1/(3+2) = 2/5
    expect(perClass[0].precision).toBeCloseTo(1 / 3, 12);
    expect(perClass[0].recall).toBeCloseTo(1 / 2, 12);
    expect(perClass[0].f1).toBeCloseTo(2 / 5, 12);
    // class 1: TP 2, predicted 3, true 3 → P 2/3, R 2/3, F1 2·2/(3+3) = 2/3
    expect(perClass[1]).toMatchObject({ support: 3 });
    expect(perClass[1].f1).toBeCloseTo(2 / 3, 12);
    // class 2: TP 0, never predicted → precision 0/0 → 0; recall 0/1 = 0; F1 0
    expect(perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    // macro over the three classes: P (1/3 + 2/3 + 0)/3 = 1/3, R (1/2 + 2/3 + 0)/3 = 7/18, F1 (2/5 + 2/3 + 0)/3 = 16/45
    expect(macro.precision).toBeCloseTo(1 / 3, 12);
    expect(macro.recall).toBeCloseTo(7 / 18, 12);
    expect(macro.f1).toBeCloseTo(16 / 45, 12);
  });

  it("leaves a class absent from truth and predictions out of the macro mean (scikit-learn's default labels)", () => {
    // Three columns, but only classes 0 and 1 occur: both perfectly predicted → macro F1 1, not 2/3.
    const { macro } = precisionRecallF1([0, 1], [
      [0.9, 0.1, 0],
      [0.1, 0.9, 0],
    ]);
    expect(macro.f1).toBe(1);
  });

  it("refuses mismatched lengths and labels outside the classes", () => {
    expect(() => accuracy([0, 1], [[0.5, 0.5]])).toThrow(/one row per label/);
    expect(() => accuracy([2], [[0.5, 0.5]])).toThrow(/class index between 0 and 1/);
  });
});

describe("logLoss", () => {
  it("matches scikit-learn's documented example", () => {
    // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) = 0.21616… (ham = 0, spam = 1)
    // = −(ln .9 + ln .9 + ln .8 + ln .65) / 4 = (0.1053605 + 0.1053605 + 0.2231436 + 0.4307829) / 4 = 0.2161619
    const loss = logLoss([1, 0, 0, 1], [
      [0.1, 0.9],
      [0.9, 0.1],
      [0.8, 0.2],
      [0.35, 0.65],
    ]);
    expect(loss).toBeCloseTo(0.2161619, 7);
  });

  it("clips a zero probability of the true class to 1e-15", () => {
    // −ln(1e-15) = 15 · ln 10 = 34.538776…
    expect(logLoss([0], [[0, 1]])).toBeCloseTo(34.538776, 5);
  });
});

describe("rocAuc and rocCurve", () => {
  // scikit-learn's documented roc_curve example: y = [1, 1, 2, 2] (pos_label 2), scores [0.1, 0.4, 0.35, 0.8].
  const labels = [0, 0, 1, 1];
  const scores = [0.1, 0.4, 0.35, 0.8];

  it("gives scikit-learn's documented points, with threshold max + 1 first", () => {
    // descending scores 0.8(+) 0.4(−) 0.35(+) 0.1(−): TP 1,1,2,2 of 2; FP 0,1,1,2 of 2
    expect(rocCurve(labels, scores)).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [1.8, 0.8, 0.4, 0.35, 0.1],
    });
  });

  it("gives AUC 0.75 on the same example (scikit-learn's documented roc_auc_score)", () => {
    // pairs (positive, negative): 0.35>0.1 ✓, 0.35<0.4 ✗, 0.8>0.1 ✓, 0.8>0.4 ✓ → 3/4
    expect(rocAuc(labels, scores.map((score) => [1 - score, score]))).toBe(0.75);
  });

  it("counts a tied positive/negative pair as one half and merges tied scores into one curve point", () => {
    // positives score 0.5 and 0.9, negatives 0.5 and 0.2
    // pairs: 0.5 vs 0.5 tie ½, 0.5>0.2 1, 0.9>0.5 1, 0.9>0.2 1 → 3.5/4 = 0.875
    const tiedLabels = [0, 1, 0, 1];
    const tiedScores = [0.5, 0.5, 0.2, 0.9];
    expect(rocAuc(tiedLabels, tiedScores.map((score) => [1 - score, score]))).toBe(0.875);
    // thresholds 1.9, 0.9 (TP1 FP0), 0.5 (TP2 FP1), 0.2 (TP2 FP2); trapezoids: ½·(0.5·(1+1)) + ½·(0.5·(1+1))… = 0.875
    expect(rocCurve(tiedLabels, tiedScores)).toEqual({
      fpr: [0, 0, 0.5, 1],
      tpr: [0, 0.5, 1, 1],
      thresholds: [1.9, 0.9, 0.5, 0.2],
    });
  });

  it("averages one-vs-rest AUCs for more than two classes", () => {
    // class 0 vs rest: scores col 0 = [0.6, 0.3, 0.1]; positive row 0 beats both → 1
    // class 1 vs rest: col 1 = [0.3, 0.2, 0.5]; positive row 1 (0.2) beats none → 0
    // class 2 vs rest: col 2 = [0.1, 0.5, 0.4]; positive row 2 (0.4) beats 0.1, loses to 0.5 → ½
    // macro = (1 + 0 + ½) / 3 = ½
    const probabilities = [
      [0.6, 0.3, 0.1],
      [0.3, 0.2, 0.5],
      [0.1, 0.5, 0.4],
    ];
    expect(rocAuc([0, 1, 2], probabilities)).toBe(0.5);
  });

  it("refuses a set with one class only", () => {
    expect(() => rocAuc([1, 1], [[0.2, 0.8], [0.4, 0.6]])).toThrow(/only one/);
    expect(() => rocCurve([0, 0], [0.2, 0.3])).toThrow(/only one/);
    expect(() => rocAuc([0, 1, 1], [[0.2, 0.3, 0.5], [0.4, 0.5, 0.1], [0.3, 0.3, 0.4]])).toThrow(/Class 2 never occurs/);
  });
});

describe("calibrationCurve", () => {
  it("matches scikit-learn's documented example", () => {
    // calibration_curve([0,0,0,0,1,1,1,1,1], [0.1,0.2,0.3,0.4,0.65,0.7,0.8,0.9,1.0], n_bins=3)
    // → prob_true [0, 0.5, 1], prob_pred [0.2, 0.525, 0.85]
    // bins (0–⅓] {0.1,0.2,0.3}: mean 0.2, 0/3 positive; (⅓–⅔] {0.4,0.65}: mean 0.525, 1/2; (⅔–1] {0.7,0.8,0.9,1}: mean 0.85, 4/4
    const curve = calibrationCurve([0, 0, 0, 0, 1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0], 3);
    expect(curve.probTrue).toEqual([0, 0.5, 1]);
    expect(curve.probPred[0]).toBeCloseTo(0.2, 12);
    expect(curve.probPred[1]).toBeCloseTo(0.525, 12);
    expect(curve.probPred[2]).toBeCloseTo(0.85, 12);
    expect(curve.counts).toEqual([3, 2, 4]);
  });

  it("puts a probability on an inner edge in the lower bin and skips empty bins (10 bins)", () => {
    // 0.5 lies on the edge between bins 4 (0.4–0.5] and 5 → bin 4 with 0.45; 0.55 → bin 5; 0 → bin 0.
    // bin 0: {0} label 0 → (0, 0); bin 4: {0.45, 0.5} labels 0,1 → (½, 0.475); bin 5: {0.55} label 1 → (1, 0.55)
    const curve = calibrationCurve([0, 0, 1, 1], [0, 0.45, 0.5, 0.55]);
    expect(curve.probTrue).toEqual([0, 0.5, 1]);
    expect(curve.probPred[1]).toBeCloseTo(0.475, 12);
    expect(curve.counts).toEqual([1, 2, 1]);
  });

  it("refuses probabilities outside [0, 1] and labels other than 0/1", () => {
    expect(() => calibrationCurve([0], [1.2])).toThrow(/outside \[0, 1\]/);
    expect(() => calibrationCurve([2], [0.5])).toThrow(/not 0 or 1/);
  });
});
