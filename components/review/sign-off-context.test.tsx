// The sign-off sheet prints what a committee signs against besides the metrics: the business context, robustness and
// edge cases, and the comments as written (escaped, line breaks kept), in English and French.
import { describe, expect, it, vi } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import { binaryValueReport, profitCurve } from "@/lib/business-value";
import { sampleReview } from "@/lib/review-sentences.fixture";
import type { Explanations } from "@/server/review/explanations-schema";
import { SignOffSheet } from "./sign-off-sheet";

vi.mock("next/navigation", () => ({
  usePathname: () => "/reviews/12/sign-off",
  useSearchParams: () => new URLSearchParams(),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

function review() {
  const base = sampleReview();
  return {
    ...base,
    context: { businessGoal: "Approve small loans faster", expectedRoi: "2 FTE saved,\nabout €90,000 a year", knownLimits: "" },
    comments: [{ id: 1, author: "rita", body: "Line one <b>not bold</b>\nLine two", createdAt: Date.UTC(2026, 10, 20, 11, 0, 0) }],
  };
}

describe("SignOffSheet additions", () => {
  it("prints the business context, robustness, edge cases and the comments readably", () => {
    const html = renderWithCache(<SignOffSheet review={review()} />, ["studio.read"], () => undefined);
    const text = textOf(html);
    expect(html).toContain('data-testid="sign-off-context"');
    expect(text).toContain("Business context Goal Approve small loans faster");
    expect(html).toContain("2 FTE saved,\nabout €90,000 a year");
    expect(text).toContain("Known limits Not stated by the requester.");
    expect(html).toContain('data-testid="sign-off-robustness"');
    expect(text).toContain("Gaussian noise 0.3 std accuracy 0.93 0.042");
    expect(text).toContain("Could not score: the model refused NaN inputs");
    expect(text).toMatch(/\d+ edge-case inputs tried, (all scored without error\.|\d+ failed:)/);
    expect(html).toContain("Line one &lt;b&gt;not bold&lt;/b&gt;\nLine two");
    expect(text).toContain("rita, Nov 20, 2026, 11:00 AM");
    expect(html.indexOf('data-testid="sign-off-context"')).toBeLessThan(html.indexOf('id="sheet-summary"'));
  });

  it("prints the same blocks in French with French numbers and dates", () => {
    const html = renderWithCache(<SignOffSheet review={review()} />, ["studio.read"], () => undefined, "fr");
    const text = textOf(html);
    expect(text).toContain("Contexte métier Objectif Approve small loans faster");
    expect(text).toContain("Limites connues Non précisé par le demandeur.");
    expect(text).toContain("Robustesse et cas limites");
    expect(text).toContain("Gaussian noise 0.3 std accuracy 0,93 0,042");
    expect(text).toContain("Évaluation impossible : the model refused NaN inputs");
    expect(text).toContain("Commentaires");
    expect(text).toContain("rita, 20 nov. 2026, 11:00");
  });
});

// Six decisions (lib/business-value.test.ts): 130/6 per decision at 0.5, 180/6 at 0.65; accept all 25, reject all −10.
const outcomes = { tp: 100, fp: -50, fn: -20, tn: 0 };
const binary = binaryValueReport([1, 1, 0, 1, 0, 0], [0.9, 0.7, 0.6, 0.4, 0.3, 0.1], { outcomes, threshold: 0.5, yearlyVolume: 10_000 }, "1", { seed: 1, resamples: 200 });
const productionCurve = profitCurve([1, 1, 0, 1, 0, 0], [0.8, 0.3, 0.7, 0.6, 0.2, 0.1], outcomes, binary.curve.thresholds);
const explanations: Explanations = {
  features: ["income", "loan"],
  backgroundSource: "training",
  backgroundRows: 100,
  backgroundMeans: [1800, 2000],
  sumTolerance: 1e-9,
  threshold: 0.5,
  decisions: [
    { rowNumber: 17, reason: "worst_error", values: [1200, 2400], truth: "1", predicted: "0", loss: 2.3, explainedClass: "1", output: 0.1, baseValue: 0.5, contributions: [-0.3, -0.1], method: "kernel", counterfactual: null },
    { rowNumber: 3, reason: "sample", values: [2500, 1000], truth: "1", predicted: "1", loss: 0.1, explainedClass: "1", output: 0.9, baseValue: 0.5, contributions: [0.3, 0.1], method: "kernel", counterfactual: null },
  ],
  global: { rows: 100, meanAbsContribution: [0.3, 0.1] },
};

function valuedReview(threshold: number) {
  const base = review();
  return {
    ...base,
    valueSettings: { currency: "EUR", outcomes, costPerUnitError: null, yearlyVolume: 10_000, threshold },
    report: {
      ...base.report!,
      value: { currency: "EUR", yearlyVolume: 10_000, threshold: 0.5, binary, regression: null },
      explanations,
      comparison: {
        productionVersion: "1",
        productionDigest: "0123456789abcdef",
        problem: null,
        metrics: [{ metric: "accuracy" as const, candidate: 0.944, production: 0.972, delta: -0.028, higherIsBetter: true, verdict: "worse" as const }],
        fairness: [],
        disagreementRate: 6 / 143,
        disagreements: 6,
        mcnemar: { candidateOnlyCorrect: 1, otherOnlyCorrect: 5, method: "exact" as const, statistic: null, pValue: 0.21875 },
        expectedValue: { currency: "EUR", threshold: 0.5, candidatePer1000: 130_000 / 6, productionPer1000: 130_000 / 6, delta: 0, productionCurve: { tp: productionCurve.tp, fp: productionCurve.fp } },
      },
    },
  };
}

const spaces = (text: string) => text.replace(/[\u202f\u00a0]/g, " ").replaceAll("&#x27;", "'").replaceAll("’", "'");

describe("SignOffSheet: value, comparison with production and worst errors", () => {
  it("prints the value at the chosen threshold per 1,000 and per year beside both baselines, the comparison and the worst errors' sentences", () => {
    const html = renderWithCache(<SignOffSheet review={valuedReview(0.65)} />, ["studio.read"], () => undefined);
    const text = spaces(textOf(html));
    expect(html).toContain('data-testid="sign-off-value"');
    expect(text).toContain("Expected value at the chosen threshold");
    expect(text).toContain("Decisions Per 1,000 decisions Per year (10,000 decisions)");
    expect(text).toContain("This model at threshold 0.65 €30,000.00 €300,000.00");
    expect(text).toContain("Accept every case €25,000.00 €250,000.00");
    expect(text).toContain("Reject every case -€10,000.00 -€100,000.00");
    expect(html).toContain('data-testid="sign-off-comparison"');
    expect(text).toContain("accuracy 0.944 0.972 -0.028 ▼ worse");
    expect(text).toContain("expected value per 1,000 decisions (threshold 0.5) €21,666.67 €21,666.67 €0.00 = the same");
    expect(text).toContain("4.2% of the rows");
    expect(text).toContain("McNemar's test, p = 0.22");
    expect(html).toContain('data-testid="sign-off-worst-errors"');
    expect(html.match(/data-testid="sign-off-worst-error"/g)).toHaveLength(1);
    expect(text).toContain("Row 17 (true 1, predicted 0): income below 1,800 pushed the probability of class 1 down the most; loan above 2,000 pushed it down next.");
    expect(html.indexOf('data-testid="sign-off-value"')).toBeLessThan(html.indexOf('id="sheet-summary"'));
  });

  it("prints them in French, with the bootstrap interval at the evaluated threshold", () => {
    const html = renderWithCache(<SignOffSheet review={valuedReview(0.5)} />, ["studio.read"], () => undefined, "fr");
    const text = spaces(textOf(html));
    expect(text).toContain("Valeur attendue au seuil choisi");
    expect(text).toContain("Ce modèle au seuil 0,5 21 666,67 € 216 666,67 €");
    expect(text).toContain("Tout accepter 25 000,00 € 250 000,00 €");
    expect(text).toMatch(/Intervalle bootstrap à 95 % de la valeur du modèle pour 1 000 décisions : de -?[\d ]+,\d\d € à [\d ]+,\d\d €\./);
    expect(text).toContain("valeur attendue pour 1 000 décisions (seuil 0,5)");
    expect(text).toContain("Pourquoi il a commis ses pires erreurs");
    expect(text).toContain("Ligne 17 (vraie valeur 1, prédite 0) : income en dessous de 1 800 a le plus diminué la probabilité de la classe 1");
  });

  it("marks 'expected value ≥ production's' not applicable without production, in the reader's language", () => {
    const base = valuedReview(0.5);
    const notApplicable = {
      ...base,
      criteria: { metricThresholds: [], maxGroupGap: null, maxNoiseDrop: null, edgeCasesMustNotCrash: false, expectedValueAtLeastProduction: true },
      report: { ...base.report, comparison: null },
      criteriaResults: [
        { key: "expected_value_vs_production", description: "expected value per 1,000 decisions ≥ the production model's", passed: true, notApplicable: true, actual: 21_666.67, sentence: "Not applicable: …" },
      ],
    };
    const html = renderWithCache(<SignOffSheet review={notApplicable} />, ["studio.read"], () => undefined, "fr");
    const text = spaces(textOf(html));
    expect(html).toContain('data-testid="criterion-not-applicable"');
    expect(text).toContain("valeur attendue pour 1 000 décisions ≥ celle du modèle en production – Sans objet Sans objet : aucune autre version de ce modèle ne porte l'alias production ; la valeur attendue de cette version pour 1 000 décisions est de 21 666,67 EUR.");
  });

  it("says when the request gave no outcome values", () => {
    const text = textOf(renderWithCache(<SignOffSheet review={review()} />, ["studio.read"], () => undefined));
    expect(text).toContain("No expected value: the request gave no outcome values");
  });
});
