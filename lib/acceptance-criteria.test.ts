// Acceptance criteria: each kind passes and fails as its numbers say, with a readable sentence.
import { describe, expect, it } from "vitest";
import type { AcceptanceCriteria, EvaluationReport } from "@/server/review/schema";
import { evaluateCriteria, expectedValueVsProductionResult, formatForComparison, localizeCriteriaResults } from "./acceptance-criteria";
import { binaryValueReport, profitCurve } from "./business-value";
import { createReviewWords } from "./review-words";
import frenchSentences from "@/messages/fr/reviewSentences.json";

function group(name: string, selectionRate: number) {
  return { group: name, size: 100, positives: 50, negatives: 50, selectionRate, accuracy: 0.8, truePositiveRate: 0.8, falsePositiveRate: 0.2 };
}

function binaryReport(overrides: Partial<EvaluationReport> = {}): EvaluationReport {
  return {
    task: "binary",
    rowCount: 569,
    labelColumn: "approved",
    features: ["age", "sex"],
    primaryMetric: { name: "accuracy", value: 0.96 },
    classification: {
      classes: ["0", "1"],
      accuracy: 0.96,
      macro: { precision: 0.95, recall: 0.94, f1: 0.945 },
      perClass: [],
      rocAuc: 0.99,
      logLoss: 0.11,
      confusionMatrix: [],
      rocCurve: null,
      calibration: null,
    },
    regression: null,
    fairness: [
      { attribute: "sex", groups: [group("F", 0.31), group("M", 0.24)], demographicParityDifference: 0.07, demographicParityRatio: 0.24 / 0.31, equalOpportunityDifference: 0 },
    ],
    robustness: [
      { perturbation: "noise_0.1", label: "noise", metric: "accuracy", value: 0.94, drop: 0.02, error: null },
      { perturbation: "noise_0.3", label: "noise", metric: "accuracy", value: 0.9, drop: 0.06, error: null },
    ],
    importance: { metric: "accuracy", baseline: 0.96, repeats: 5, seed: 47, features: [] },
    edgeCases: [
      { feature: "age", case: "min", input: 18, ok: true, output: "class 1 (p = 0.80)", error: null },
      { feature: "age", case: "missing", input: null, ok: true, output: "class 0 (p = 0.60)", error: null },
    ],
    timings: {},
    provenance: { modelDigest: "m", datasetDigest: "d", evaluatorVersion: "1", onnxruntimeVersion: "1", nodeVersion: "v20", seed: 42, createdAt: 0 },
    notes: [],
    ...overrides,
  };
}

const none: AcceptanceCriteria = { metricThresholds: [], maxGroupGap: null, maxNoiseDrop: null, edgeCasesMustNotCrash: false };

describe("metric thresholds", () => {
  it("passes and fails at-least and at-most thresholds with the numbers in the sentence", () => {
    const results = evaluateCriteria(binaryReport(), {
      ...none,
      metricThresholds: [
        { metric: "accuracy", op: "gte", threshold: 0.8 },
        { metric: "roc_auc", op: "gte", threshold: 0.995 },
        { metric: "log_loss", op: "lte", threshold: 0.3 },
        { metric: "log_loss", op: "lte", threshold: 0.1 },
      ],
    });
    expect(results.map((result) => [result.key, result.passed, result.actual])).toEqual([
      ["metric:accuracy", true, 0.96],
      ["metric:roc_auc", false, 0.99],
      ["metric:log_loss", true, 0.11],
      ["metric:log_loss", false, 0.11],
    ]);
    expect(results[0].description).toBe("accuracy ≥ 0.80");
    expect(results[0].sentence).toBe("Accuracy is 0.96, at least 0.80 as required.");
    // The limit reads back as typed (0.995, not a rounded 0.99 or 1.00) and the value with as many decimals.
    expect(results[1].description).toBe("ROC AUC ≥ 0.995");
    expect(results[1].sentence).toBe("ROC AUC is 0.990, below the required 0.995.");
    expect(results[2].sentence).toBe("Log loss is 0.11, at most 0.30 as allowed.");
    expect(results[3].sentence).toBe("Log loss is 0.11, above the allowed 0.10.");
  });

  it("shows more digits when two would hide why a value fails", () => {
    expect(formatForComparison(0.7996, 0.8)).toBe("0.7996");
    const [result] = evaluateCriteria(binaryReport({ classification: { ...binaryReport().classification!, accuracy: 0.7996 } }), {
      ...none,
      metricThresholds: [{ metric: "accuracy", op: "gte", threshold: 0.8 }],
    });
    expect(result.passed).toBe(false);
    expect(result.sentence).toBe("Accuracy is 0.7996, below the required 0.80.");
  });

  it("fails a metric that does not apply to the task, saying so", () => {
    const [rmse] = evaluateCriteria(binaryReport(), { ...none, metricThresholds: [{ metric: "rmse", op: "lte", threshold: 5 }] });
    expect(rmse).toMatchObject({ key: "metric:rmse", passed: false, actual: null });
    expect(rmse.sentence).toMatch(/^RMSE does not apply to a binary classifier/);
    const regression = binaryReport({
      task: "regression",
      classification: null,
      fairness: [],
      primaryMetric: { name: "r2", value: 0.48 },
      regression: { rmse: 53.4, mae: 41.6, r2: 0.48, residuals: { predicted: [], residual: [] } },
    });
    const [accuracy, r2] = evaluateCriteria(regression, {
      ...none,
      metricThresholds: [
        { metric: "accuracy", op: "gte", threshold: 0.8 },
        { metric: "r2", op: "gte", threshold: 0.3 },
      ],
    });
    expect(accuracy.passed).toBe(false);
    expect(accuracy.sentence).toMatch(/^Accuracy does not apply to a regression model/);
    expect(r2).toMatchObject({ passed: true, actual: 0.48, sentence: "R² is 0.48, at least 0.30 as required." });
  });

  it("fails ROC AUC when the report could not compute it", () => {
    const report = binaryReport({ classification: { ...binaryReport().classification!, rocAuc: null } });
    const [auc] = evaluateCriteria(report, { ...none, metricThresholds: [{ metric: "roc_auc", op: "gte", threshold: 0.7 }] });
    expect(auc.passed).toBe(false);
    expect(auc.sentence).toMatch(/could not be computed/);
  });
});

describe("group gap", () => {
  it("passes within the limit, per attribute, with each group's selection rate", () => {
    const [gap] = evaluateCriteria(binaryReport(), { ...none, maxGroupGap: 0.1 });
    expect(gap).toMatchObject({ key: "group_gap:sex", passed: true, actual: 0.07 });
    expect(gap.sentence).toBe("For sex, the model selects 31% of group F and 24% of group M: gap 7 points, within the 10-point limit.");
  });

  it("fails over the limit, one result per sensitive attribute", () => {
    const report = binaryReport({
      fairness: [
        binaryReport().fairness[0],
        { attribute: "age_band", groups: [group("old", 0.2), group("young", 0.45), group("mid", 0.3)], demographicParityDifference: 0.25, demographicParityRatio: 0.2 / 0.45, equalOpportunityDifference: 0 },
      ],
    });
    const results = evaluateCriteria(report, { ...none, maxGroupGap: 0.05 });
    expect(results.map((result) => [result.key, result.passed])).toEqual([
      ["group_gap:sex", false],
      ["group_gap:age_band", false],
    ]);
    expect(evaluateCriteria(binaryReport(), { ...none, maxGroupGap: 0.07 })[0].sentence).toMatch(/gap 7 points, within the 7-point limit\.$/);
    expect(results[1].sentence).toBe("For age_band, the model selects 20% of group old, 45% of group young and 30% of group mid: gap 25 points, over the 5-point limit.");
  });

  it("fails when it cannot be checked: no sensitive attribute, or not a binary classifier", () => {
    expect(evaluateCriteria(binaryReport({ fairness: [] }), { ...none, maxGroupGap: 0.1 })[0]).toMatchObject({ key: "group_gap", passed: false });
    const multiclass = evaluateCriteria(binaryReport({ task: "multiclass", fairness: [] }), { ...none, maxGroupGap: 0.1 })[0];
    expect(multiclass.passed).toBe(false);
    expect(multiclass.sentence).toMatch(/binary classifiers only/);
  });
});

describe("noise drop", () => {
  it("passes a small drop and fails a large one, using the 0.1-std noise result", () => {
    const [within] = evaluateCriteria(binaryReport(), { ...none, maxNoiseDrop: 0.05 });
    expect(within).toMatchObject({ key: "noise_drop", passed: true, actual: 0.02 });
    expect(within.sentence).toBe("Under Gaussian noise of 0.1 std on numeric features, accuracy falls from 0.96 to 0.94 (drop 0.02), within the allowed 0.05.");
    const [over] = evaluateCriteria(binaryReport(), { ...none, maxNoiseDrop: 0.01 });
    expect(over.passed).toBe(false);
    expect(over.sentence).toMatch(/over the allowed 0\.01\.$/);
  });

  it("fails when the model could not score the noisy rows", () => {
    const report = binaryReport({ robustness: [{ perturbation: "noise_0.1", label: "noise", metric: "accuracy", value: 0, drop: 0, error: "NaN out" }] });
    const [result] = evaluateCriteria(report, { ...none, maxNoiseDrop: 0.05 });
    expect(result).toMatchObject({ passed: false, actual: null });
    expect(result.sentence).toMatch(/could not score.*NaN out/);
  });
});

describe("edge cases", () => {
  it("passes when every edge case was scored and fails naming the ones that were not", () => {
    expect(evaluateCriteria(binaryReport(), { ...none, edgeCasesMustNotCrash: true })[0]).toMatchObject({
      key: "edge_cases",
      passed: true,
      sentence: "All 2 edge-case inputs were scored without error.",
    });
    const report = binaryReport({
      edgeCases: [
        ...binaryReport().edgeCases,
        { feature: "income", case: "missing", input: null, ok: false, output: null, error: "the model returned NaN instead of a prediction" },
      ],
    });
    const [failed] = evaluateCriteria(report, { ...none, edgeCasesMustNotCrash: true });
    expect(failed).toMatchObject({ passed: false, actual: 1 });
    expect(failed.sentence).toBe("1 of 3 edge-case inputs failed: income missing (the model returned NaN instead of a prediction).");
  });

  it("leaves out the criteria that are not set", () => {
    expect(evaluateCriteria(binaryReport(), none)).toEqual([]);
  });
});

describe("in the reader's language", () => {
  const french = createReviewWords("fr", frenchSentences);
  const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");
  const criteria: AcceptanceCriteria = {
    metricThresholds: [{ metric: "accuracy", op: "gte", threshold: 0.8 }],
    maxGroupGap: 0.05,
    maxNoiseDrop: 0.05,
    edgeCasesMustNotCrash: true,
  };

  it("writes each criterion in French with French numbers, the same verdicts as in English", () => {
    const english = evaluateCriteria(binaryReport(), criteria);
    const results = evaluateCriteria(binaryReport(), criteria, null, french);
    expect(results.map((r) => [r.key, r.passed])).toEqual(english.map((r) => [r.key, r.passed]));
    expect(results.map((r) => plain(r.sentence))).toEqual([
      "L'exactitude vaut 0,96, au moins 0,80 comme exigé.",
      "Pour sex, le modèle sélectionne 31 % du groupe F et 24 % du groupe M : écart de 7 points, au-delà de la limite de 5 points.",
      "Sous un bruit gaussien de 0,1 écart-type sur les variables numériques, l'exactitude passe de 0,96 à 0,94 (baisse de 0,02), dans la limite autorisée de 0,05.",
      "Les 2 entrées limites ont toutes été traitées sans erreur.",
    ]);
    expect(results[0].description).toBe("exactitude ≥ 0,80");
  });

  it("translates stored English results by key and keeps their stored verdict", () => {
    const stored = evaluateCriteria(binaryReport(), criteria);
    const unknown = { key: "custom:x", description: "something new", passed: true, actual: null, sentence: "Kept as stored." };
    const shown = localizeCriteriaResults([...stored, unknown], binaryReport(), criteria, french);
    expect(plain(shown[0].sentence)).toBe("L'exactitude vaut 0,96, au moins 0,80 comme exigé.");
    expect(shown.at(-1)).toEqual(unknown);
    expect(localizeCriteriaResults(stored, null, criteria, french)).toEqual(stored);
  });
});

describe("relative thresholds (against the production version)", () => {
  function withProduction(candidate: number, production: number, metric: "accuracy" | "log_loss" = "accuracy"): EvaluationReport {
    return binaryReport({
      comparison: {
        productionVersion: "1",
        productionDigest: "abc",
        problem: null,
        metrics: [{ metric, candidate, production, delta: candidate - production, higherIsBetter: metric === "accuracy", verdict: "unknown" }],
        fairness: [],
        disagreementRate: 0.1,
        disagreements: 57,
        mcnemar: null,
      },
    });
  }

  it("passes within the allowed drop and fails beyond it, naming the production version", () => {
    const criteria = { ...none, relativeThresholds: [{ metric: "accuracy" as const, tolerance: 0.01 }] };
    const [within] = evaluateCriteria(withProduction(0.955, 0.96), criteria);
    expect(within).toMatchObject({ key: "relative:accuracy", passed: true, description: "accuracy no worse than production's − 0.01" });
    expect(within.sentence).toBe("Accuracy is 0.955 against 0.96 for production version 1: within the allowed drop of 0.01.");
    const [beyond] = evaluateCriteria(withProduction(0.94, 0.96), criteria);
    expect(beyond.passed).toBe(false);
    expect(beyond.actual).toBeCloseTo(-0.02, 12);
    expect(beyond.sentence).toMatch(/lower than the drop of 0\.01 allows/);
  });

  it("lets an error metric rise by at most the tolerance", () => {
    const criteria = { ...none, relativeThresholds: [{ metric: "log_loss" as const, tolerance: 0.05 }] };
    expect(evaluateCriteria(withProduction(0.3, 0.26, "log_loss"), criteria)[0].passed).toBe(true);
    expect(evaluateCriteria(withProduction(0.32, 0.26, "log_loss"), criteria)[0].passed).toBe(false);
  });

  it("is not applicable, and passes saying so, when no version holds the production alias", () => {
    const [result] = evaluateCriteria(binaryReport(), { ...none, relativeThresholds: [{ metric: "accuracy", tolerance: 0 }] });
    expect(result).toMatchObject({ passed: true, notApplicable: true, actual: null, description: "accuracy no worse than production's" });
    expect(result.sentence).toMatch(/^Not applicable: no other version of this model holds the production alias/);
  });

  it("speaks French: descriptions, sentences and numbers", () => {
    const french = createReviewWords("fr", frenchSentences);
    const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");
    const criteria = { ...none, relativeThresholds: [{ metric: "accuracy" as const, tolerance: 0.01 }] };
    const [within] = evaluateCriteria(withProduction(0.955, 0.96), criteria, null, french);
    expect(within.description).toBe("exactitude pas moins bon que la production − 0,01");
    expect(within.sentence).toBe("L'exactitude vaut 0,955 contre 0,96 pour la version en production 1\u00a0: dans la baisse permise de 0,01.");
    const [beyond] = evaluateCriteria(withProduction(0.94, 0.96), criteria, null, french);
    expect(beyond.sentence).toBe("L'exactitude vaut 0,94 contre 0,96 pour la version en production 1\u00a0: au-delà de la baisse permise de 0,01.");
    const [rise] = evaluateCriteria(withProduction(0.32, 0.26, "log_loss"), { ...none, relativeThresholds: [{ metric: "log_loss", tolerance: 0.05 }] }, null, french);
    expect(plain(rise.sentence)).toBe("La log loss vaut 0,32 contre 0,26 pour la version en production 1 : au-delà de la hausse permise de 0,05.");
    const [alone] = evaluateCriteria(binaryReport(), criteria, null, french);
    expect(alone).toMatchObject({ passed: true, notApplicable: true });
    expect(alone.sentence).toBe("Sans objet\u00a0: aucune autre version de ce modèle ne porte l'alias production, il n'y a donc rien à quoi comparer l'exactitude.");
  });

  it("fails when the production version could not be scored", () => {
    const report = withProduction(0.9, 0.9);
    report.comparison = { ...report.comparison!, problem: "The production version 1 could not be scored on these rows: missing column.", metrics: [] };
    const [result] = evaluateCriteria(report, { ...none, relativeThresholds: [{ metric: "accuracy", tolerance: 0 }] });
    expect(result.passed).toBe(false);
    expect(result.sentence).toMatch(/could not be scored/);
  });
});

describe("expected value", () => {
  // Six decisions (lib/business-value.test.ts): 130/6 per decision at 0.5, 180/6 at 0.65.
  const binary = binaryValueReport([1, 1, 0, 1, 0, 0], [0.9, 0.7, 0.6, 0.4, 0.3, 0.1], { outcomes: { tp: 100, fp: -50, fn: -20, tn: 0 }, threshold: 0.5, yearlyVolume: null }, "1");
  const report = binaryReport({ value: { currency: "EUR", yearlyVolume: null, threshold: 0.5, binary, regression: null } });
  const settings = (threshold: number) => ({ currency: "EUR", outcomes: binary.outcomes, costPerUnitError: null, yearlyVolume: null, threshold });

  it("reads the expected value per 1,000 decisions at the review's chosen threshold", () => {
    const [atHalf] = evaluateCriteria(report, { ...none, minExpectedValuePer1000: 25_000 }, settings(0.5));
    expect(atHalf).toMatchObject({ key: "expected_value", passed: false });
    expect(atHalf.actual).toBeCloseTo(130_000 / 6, 6);
    expect(atHalf.sentence).toBe("The expected value per 1,000 decisions at the decision threshold 0.50 is 21,666.67 EUR, below the required 25,000.00 EUR.");
    const [atBetter] = evaluateCriteria(report, { ...none, minExpectedValuePer1000: 25_000 }, settings(0.65));
    expect(atBetter).toMatchObject({ passed: true });
    expect(atBetter.actual).toBeCloseTo(30_000, 6);
  });

  it("speaks French, with French numbers and amounts", () => {
    const french = createReviewWords("fr", frenchSentences);
    const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");
    const [atHalf] = evaluateCriteria(report, { ...none, minExpectedValuePer1000: 25_000 }, settings(0.5), french);
    expect(plain(atHalf.description)).toBe("valeur attendue pour 1 000 décisions ≥ 25 000,00 EUR");
    expect(plain(atHalf.sentence)).toBe("La valeur attendue pour 1 000 décisions au seuil de décision 0,50 est de 21 666,67 EUR, en dessous des 25 000,00 EUR exigés.");
    const [atBetter] = evaluateCriteria(report, { ...none, minExpectedValuePer1000: 25_000 }, settings(0.65), french);
    expect(plain(atBetter.sentence)).toBe("La valeur attendue pour 1 000 décisions au seuil de décision 0,65 est de 30 000,00 EUR, au moins 25 000,00 EUR comme exigé.");
    const [missing] = evaluateCriteria(binaryReport(), { ...none, minExpectedValuePer1000: 0 }, null, french);
    expect(missing.sentence).toMatch(/^Le rapport ne contient pas de valeur attendue/);
    expect(expectedValueVsProductionResult(20_000, null, "EUR", french).sentence).toMatch(/^Sans objet\u00a0: aucune autre version/);
  });

  it("fails saying why when the report holds no value", () => {
    const [result] = evaluateCriteria(binaryReport(), { ...none, minExpectedValuePer1000: 0 });
    expect(result).toMatchObject({ passed: false, actual: null });
    expect(result.sentence).toMatch(/no outcome values/);
  });

  describe("against production's expected value", () => {
    // Production on the same six rows: p = [0.8, 0.3, 0.7, 0.6, 0.2, 0.1] → at 0.5 TP 2, FP 1, FN 1, TN 2: 130/6 per decision.
    const productionCurve = profitCurve([1, 1, 0, 1, 0, 0], [0.8, 0.3, 0.7, 0.6, 0.2, 0.1], binary.outcomes, binary.curve.thresholds);
    const comparison = {
      productionVersion: "1",
      productionDigest: "abc",
      problem: null,
      metrics: [],
      fairness: [],
      disagreementRate: 0,
      disagreements: 0,
      mcnemar: null,
      expectedValue: { currency: "EUR", threshold: 0.5, candidatePer1000: 130_000 / 6, productionPer1000: 130_000 / 6, delta: 0, productionCurve: { tp: productionCurve.tp, fp: productionCurve.fp } },
    };
    const withProduction = binaryReport({ value: report.value, comparison });
    const criteria = { ...none, expectedValueAtLeastProduction: true };

    it("passes when no worse than production at the chosen threshold, reading both at a threshold moved since", () => {
      const [equal] = evaluateCriteria(withProduction, criteria, settings(0.5));
      expect(equal).toMatchObject({ key: "expected_value_vs_production", passed: true, description: "expected value per 1,000 decisions ≥ the production model's" });
      expect(equal.sentence).toBe("The expected value per 1,000 decisions is 21,666.67 EUR against 21,666.67 EUR for production (+0.00 EUR): no worse, as required.");
      // At 0.65 the candidate makes 30,000 per 1,000; production (TP 1, FP 1, FN 2, TN 2) makes 10/6 per decision.
      const [moved] = evaluateCriteria(withProduction, criteria, settings(0.65));
      expect(moved.passed).toBe(true);
      expect(moved.actual).toBeCloseTo(30_000 - 10_000 / 6, 6);
      expect(moved.sentence).toBe("The expected value per 1,000 decisions is 30,000.00 EUR against 1,666.67 EUR for production (+28,333.33 EUR): no worse, as required.");
    });

    it("fails when production is worth more", () => {
      const richer = { ...comparison, expectedValue: { ...comparison.expectedValue, productionCurve: { tp: productionCurve.tp.map(() => 3), fp: productionCurve.fp.map(() => 0) } } };
      const [result] = evaluateCriteria(binaryReport({ value: report.value, comparison: richer }), criteria, settings(0.5));
      expect(result.passed).toBe(false);
      expect(result.sentence).toBe("The expected value per 1,000 decisions is 21,666.67 EUR against 50,000.00 EUR for production (-28,333.33 EUR): worse than production.");
    });

    it("is not applicable without production, and fails when production could not be scored or the report holds no value", () => {
      const [alone] = evaluateCriteria(report, criteria, settings(0.5));
      expect(alone).toMatchObject({ passed: true, notApplicable: true });
      expect(alone.sentence).toMatch(/^Not applicable: no other version of this model holds the production alias/);
      const [broken] = evaluateCriteria(binaryReport({ value: report.value, comparison: { ...comparison, problem: "The production version 1 could not be scored on these rows: x.", expectedValue: null } }), criteria, settings(0.5));
      expect(broken).toMatchObject({ passed: false, sentence: "The production version 1 could not be scored on these rows: x." });
      const [stale] = evaluateCriteria(binaryReport({ value: report.value, comparison: { ...comparison, expectedValue: null } }), criteria, settings(0.5));
      expect(stale.passed).toBe(false);
      expect(stale.sentence).toMatch(/production version 1 could not be computed/);
      const [none_] = evaluateCriteria(binaryReport(), criteria);
      expect(none_).toMatchObject({ passed: false, actual: null });
    });

    it("speaks French", () => {
      const [result] = evaluateCriteria(withProduction, criteria, settings(0.65), createReviewWords("fr", frenchSentences));
      expect(result.description).toBe("valeur attendue pour 1 000 décisions ≥ celle du modèle en production");
      expect(result.sentence.replace(/[\u202f\u00a0]/g, " ")).toBe(
        "La valeur attendue pour 1 000 décisions est de 30 000,00 EUR contre 1 666,67 EUR pour la production (+28 333,33 EUR) : pas moins bonne, comme exigé.",
      );
    });
  });

  it("compares with production's expected value through the hook, passing when there is no production to beat", () => {
    expect(expectedValueVsProductionResult(30_000, 25_000, "EUR")).toMatchObject({ key: "expected_value_vs_production", passed: true });
    expect(expectedValueVsProductionResult(20_000, 25_000, "EUR").sentence).toContain("worse than production");
    expect(expectedValueVsProductionResult(20_000, null, "EUR")).toMatchObject({ passed: true });
    expect(expectedValueVsProductionResult(null, 25_000, "EUR")).toMatchObject({ passed: false });
  });
});
