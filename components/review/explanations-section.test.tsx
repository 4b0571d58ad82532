// The review's Explanations section as a reader sees it, in English and French: sentences, waterfalls,
// counterfactuals and the global table beside permutation importance.
import { describe, expect, it } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import type { Explanations } from "@/server/review/explanations-schema";
import type { EvaluationReport } from "@/server/review/schema";
import { ExplanationsSection } from "./explanations-section";

const explanations: Explanations = {
  features: ["income", "loan", "housing"],
  backgroundSource: "training",
  backgroundRows: 100,
  backgroundMeans: [1800, 2000, null],
  sumTolerance: 1e-9,
  threshold: 0.5,
  decisions: [
    {
      rowNumber: 17,
      reason: "worst_error",
      values: [1200, 2400, "rent"],
      truth: "1",
      predicted: "0",
      loss: 2.3,
      explainedClass: "1",
      output: 0.1,
      baseValue: 0.5,
      contributions: [-0.3, -0.15, 0.05],
      method: "kernel",
      counterfactual: { found: true, output: 0.62, changes: [{ feature: "loan", from: 2400, to: 1600 }] },
    },
    {
      rowNumber: 3,
      reason: "sample",
      values: [2500, 1000, "own"],
      truth: "1",
      predicted: "1",
      loss: 0.1,
      explainedClass: "1",
      output: 0.9,
      baseValue: 0.5,
      contributions: [0.3, 0.1, 0],
      method: "kernel",
      counterfactual: { found: false, output: 0.9, changes: [] },
    },
  ],
  global: { rows: 100, meanAbsContribution: [0.3, 0.12, 0.02] },
};

const importance: EvaluationReport["importance"] = {
  metric: "accuracy",
  baseline: 0.9,
  repeats: 5,
  seed: 47,
  features: [
    { feature: "income", mean: 0.12, std: 0.01, importances: [] },
    { feature: "loan", mean: 0.05, std: 0.01, importances: [] },
    { feature: "housing", mean: 0.001, std: 0.001, importances: [] },
  ],
};

const render = (locale: "en" | "fr") => renderWithCache(<ExplanationsSection explanations={explanations} importance={importance} />, [], () => undefined, locale);
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, " ");

describe("ExplanationsSection", () => {
  it("says in English which features pushed each decision, draws its waterfall and the counterfactual", () => {
    const html = render("en");
    expect(html).toContain('data-testid="explanations-section"');
    expect(html.match(/data-testid="waterfall-chart"/g)).toHaveLength(2);
    const words = text(html);
    expect(words).toContain("Why it decided");
    expect(words).toContain("income below 1,800 pushed the probability of class 1 down the most; loan above 2,000 pushed it down next.");
    expect(words).toContain("Row 17: true 1, predicted 0 — one of the worst errors (loss 2.3)");
    expect(words).toContain("The decision would become positive (probability 0.62) if loan were 1,600 instead of 2,400.");
    expect(words).toContain("No change of the actionable features within the training data's ranges flips this decision.");
    // Global view: mean |contribution| beside permutation importance, largest first.
    expect(words).toMatch(/income 0\.3 0\.12 .*loan 0\.12 0\.05 .*housing 0\.02 0\.001/);
  });

  it("speaks French with French number formats", () => {
    const words = text(render("fr"));
    expect(words).toContain("Pourquoi le modèle a décidé");
    expect(words).toContain("income en dessous de 1 800 a le plus diminué la probabilité de la classe 1 ; loan au-dessus de 2 000 l’a ensuite diminuée.");
    expect(words).toContain("La décision deviendrait positive (probabilité 0,62) si loan valait 1 600 au lieu de 2 400.");
  });
});
