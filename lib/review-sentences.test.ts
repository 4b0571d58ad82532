// The plain-sentence summary of an evaluation report: binary with fairness, multiclass, regression, and reports with parts missing.
import { describe, expect, it } from "vitest";
import { defaultCriteria } from "@/server/review/schema";
import { binaryReport, multiclassReport, regressionReport } from "./review-sentences.fixture";
import { edgeCaseSentence, fairnessSentence, formatPoints, reviewSummarySentences, robustnessSentence } from "./review-sentences";
import { createReviewWords } from "./review-words";
import frenchSentences from "@/messages/fr/reviewSentences.json";

const french = createReviewWords("fr", frenchSentences);
/** French number formats separate with narrow no-break spaces ("97 %", "1 000"); compare them as plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("reviewSummarySentences", () => {
  it("says a binary classifier's accuracy, fairness gap against the limit, noise drop and edge cases", () => {
    const sentences = reviewSummarySentences(binaryReport(), defaultCriteria("binary"));
    expect(sentences).toContain("On 143 held-out cases the model is right 97% of the time.");
    expect(sentences).toContain("For sex, it selects 31% of group F and 24% of group M: a gap of 7 points, within the 10-point limit.");
    expect(sentences).toContain("Under noise of 0.1 standard deviation accuracy drops by 1.2 points, within the 5-point limit.");
    expect(sentences).toContain("All 20 edge-case inputs were scored without error.");
    expect(sentences.some((s) => s.startsWith("Its ROC AUC is 0.995"))).toBe(true);
    expect(sentences).toContain("Shuffling income, age and tenure hurts accuracy the most: they are what the model relies on.");
  });

  it("says a gap over the limit, and that none was set", () => {
    const attribute = { ...binaryReport().fairness[0], demographicParityDifference: 0.153 };
    attribute.groups = [
      { ...attribute.groups[0], selectionRate: 0.4 },
      { ...attribute.groups[1], selectionRate: 0.247 },
    ];
    expect(fairnessSentence(attribute, 0.1)).toBe("For sex, it selects 40% of group F and 25% of group M: a gap of 15.3 points, over the 10-point limit.");
    expect(fairnessSentence(attribute, null)).toContain("a gap of 15.3 points (no limit was set).");
  });

  it("summarises attributes with many groups by their lowest and highest selection rate", () => {
    const base = binaryReport().fairness[0];
    const groups = ["A", "B", "C", "D"].map((group, i) => ({ ...base.groups[0], group, selectionRate: 0.2 + i * 0.05 }));
    expect(fairnessSentence({ ...base, attribute: "region", groups, demographicParityDifference: 0.15 }, 0.1)).toBe(
      "For region, it selects between 20% (group A) and 35% (group D) of each of its 4 groups: a gap of 15 points, over the 10-point limit.",
    );
  });

  it("says a multiclass model's accuracy across classes and its weakest class, with no fairness sentence", () => {
    const sentences = reviewSummarySentences(multiclassReport(), defaultCriteria("multiclass"));
    expect(sentences[0]).toBe("On 150 held-out cases the model is right 95% of the time across 3 classes.");
    expect(sentences).toContain("It finds 92% of the cases of its weakest class, virginica (recall).");
    expect(sentences.some((s) => s.startsWith("For "))).toBe(false);
  });

  it("says a regression model's errors in the label's unit and its R², and a noise rise of RMSE", () => {
    const sentences = reviewSummarySentences(regressionReport(), defaultCriteria("regression"));
    expect(sentences).toContain("On 442 held-out cases the model's predictions are off by 43.27 on average (MAE); the root mean squared error is 53.85.");
    expect(sentences).toContain("It explains 45% of the variation of progression (R² 0.452).");
    expect(sentences).toContain("Under noise of 0.1 standard deviation RMSE worsens by 2.3 (to 56.15), over the 0.05 limit.");
    expect(sentences).toContain("No edge-case inputs were tried.");
    expect(sentences.some((s) => s.startsWith("Shuffling"))).toBe(false);
  });

  it("leaves out what the report lacks instead of failing, and adds the criteria verdict when given", () => {
    const bare = binaryReport({ fairness: [], robustness: [], edgeCases: [], importance: { metric: "accuracy", baseline: 0.9, repeats: 0, seed: 1, features: [] } });
    const sentences = reviewSummarySentences(bare, null, [
      { key: "metric:accuracy", description: "accuracy ≥ 0.80", passed: true, actual: 0.97, sentence: "" },
      { key: "edge_cases", description: "edge cases must not crash", passed: false, actual: null, sentence: "" },
    ]);
    expect(sentences).toEqual([
      "On 143 held-out cases the model is right 97% of the time.",
      "Its ROC AUC is 0.995 (1 separates the classes perfectly, 0.5 is chance).",
      "No edge-case inputs were tried.",
      "It passes 1 of 2 acceptance criteria; it fails edge cases must not crash.",
    ]);
  });
});

describe("sentence parts", () => {
  it("names failed edge cases and counts the rest", () => {
    const cases = binaryReport().edgeCases.map((edge, i) => (i < 5 ? { ...edge, ok: false, output: null, error: "boom" } : edge));
    expect(edgeCaseSentence(cases)).toBe("5 of 20 edge-case inputs made the model fail (age min, age max, age far out of range and 2 more).");
  });

  it("says when a perturbation could not be scored, and improvements as such", () => {
    const [, , missing] = binaryReport().robustness;
    expect(robustnessSentence(missing)).toBe("With 10% of the values missing the model could not score the rows: the model refused NaN inputs");
    expect(robustnessSentence({ ...missing, error: null, drop: -0.004, value: 0.976 })).toBe("With 10% of the values missing accuracy rises by 0.4 points.");
  });

  it("writes differences as percentage points with at most one decimal", () => {
    expect(formatPoints(0.07)).toBe("7");
    expect(formatPoints(0.0712)).toBe("7.1");
    expect(formatPoints(-0.00001)).toBe("0");
  });
});

describe("in French", () => {
  it("says the summary in French with French number formats", () => {
    const sentences = reviewSummarySentences(binaryReport(), defaultCriteria("binary"), null, french).map(plain);
    expect(sentences).toContain("Sur 143 cas réservés à l'évaluation, le modèle a raison dans 97 % des cas.");
    expect(sentences).toContain("Son ROC AUC est de 0,995 (1 sépare parfaitement les classes, 0,5 correspond au hasard).");
    expect(sentences).toContain("Pour sex, il sélectionne 31 % du groupe F et 24 % du groupe M : un écart de 7 points, dans la limite de 10 points.");
    expect(sentences).toContain("Avec un bruit de 0,1 écart-type, l'exactitude baisse de 1,2 point, dans la limite de 5 points.");
    expect(sentences).toContain("Les 20 entrées limites ont toutes été traitées sans erreur.");
  });

  it("says regression errors, plurals and thousands the French way", () => {
    const sentences = reviewSummarySentences({ ...regressionReport(), rowCount: 12345 }, defaultCriteria("regression"), null, french).map(plain);
    expect(sentences[0]).toBe("Sur 12 345 cas réservés à l'évaluation, les prédictions du modèle s'écartent en moyenne de 43,27 (MAE) ; l'erreur quadratique moyenne (RMSE) est de 53,85.");
    expect(sentences).toContain("Avec un bruit de 0,1 écart-type, la RMSE se dégrade de 2,3 (à 56,15), au-delà de la limite de 0,05.");
    const cases = binaryReport().edgeCases.map((edge, i) => (i < 1 ? { ...edge, ok: false, output: null, error: "boom" } : edge));
    expect(edgeCaseSentence(cases, french)).toBe("1 entrée limite sur 20 a fait échouer le modèle (age minimum).");
  });
});
