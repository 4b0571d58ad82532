// The comparison with production and the fairness details, rendered in English and French from report parts.
import { describe, expect, it } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import type { Locale } from "@/lib/i18n/locales";
import type { ComparisonReport } from "@/server/review/comparison-schema";
import type { FairnessAttributeReport } from "@/server/review/schema";
import { ComparisonSection } from "./comparison-section";
import { FairnessDetails } from "./fairness-details";
import { FavourableOutcomeField } from "./favourable-outcome-field";
import { RelativeCriteriaEditor } from "./relative-criteria-editor";
import { CriteriaTable } from "./report-sections";
import { criteriaToForm, describeCriteria, formToCriteria } from "./review-format";

const render = (element: React.ReactNode, locale: Locale = "en") => renderWithCache(element, [], () => undefined, locale);
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").replaceAll("&#x27;", "'");

const comparison: ComparisonReport = {
  productionVersion: "1",
  productionDigest: "0123456789abcdef0123",
  problem: null,
  metrics: [
    { metric: "accuracy", candidate: 0.944, production: 0.972, delta: -0.028, higherIsBetter: true, verdict: "worse" },
    { metric: "roc_auc", candidate: 0.996, production: 0.995, delta: 0.001, higherIsBetter: true, verdict: "better" },
    { metric: "log_loss", candidate: 0.12, production: 0.12, delta: 0, higherIsBetter: false, verdict: "same" },
  ],
  fairness: [{ attribute: "sex", candidateParityGap: 0.12, productionParityGap: 0.08, candidateOpportunityGap: 0.05, productionOpportunityGap: 0.04 }],
  disagreementRate: 6 / 143,
  disagreements: 6,
  mcnemar: { candidateOnlyCorrect: 1, otherOnlyCorrect: 5, method: "exact", statistic: null, pValue: 0.21875 },
};

const attribute: FairnessAttributeReport = {
  attribute: "sex",
  groups: [
    { group: "F", size: 600, positives: 300, negatives: 300, selectionRate: 0.31, accuracy: 0.7, truePositiveRate: 0.6, falsePositiveRate: 0.1 },
    { group: "X", size: 12, positives: 0, negatives: 12, selectionRate: 0.25, accuracy: 0.75, truePositiveRate: 0, falsePositiveRate: 0.25 },
  ],
  demographicParityDifference: 0.06,
  demographicParityRatio: 0.8,
  equalOpportunityDifference: 0.6,
  favourableOutcome: "1",
  intervals: {
    level: 0.95,
    resamples: 1000,
    seed: 48,
    groups: [
      { group: "F", selectionRate: { lower: 0.27, upper: 0.35 }, accuracy: { lower: 0.66, upper: 0.74 }, truePositiveRate: { lower: 0.55, upper: 0.65 } },
      { group: "X", selectionRate: { lower: 0, upper: 0.5 }, accuracy: { lower: 0.5, upper: 1 }, truePositiveRate: null },
    ],
    demographicParityDifference: { lower: 0.01, upper: 0.3 },
    equalOpportunityDifference: { lower: 0.55, upper: 0.65 },
  },
  smallGroups: ["X"],
  proxies: [
    { feature: "sex", measure: "direct", strength: 1 },
    { feature: "title", measure: "cramers_v", strength: 0.91 },
  ],
  proxyThreshold: 0.5,
};

describe("ComparisonSection", () => {
  it("shows each metric beside production with the difference and better/worse in words and a symbol", () => {
    const html = render(<ComparisonSection comparison={comparison} rowCount={143} />);
    const text = textOf(html);
    expect(html).toContain('data-testid="comparison-section"');
    expect(html).toMatch(/<h2 id="[^"]+">Against production<\/h2>/);
    expect(html.match(/data-testid="comparison-metric"/g)).toHaveLength(3);
    expect(text).toContain("The same 143 rows were scored by production version 1 (SHA-256 0123456789ab).");
    expect(text).toContain("accuracy 0.944 0.972 -0.028 ▼ worse");
    expect(text).toContain("ROC AUC 0.996 0.995 +0.001 ▲ better");
    expect(text).toContain("log loss (lower is better) 0.12 0.12 0 = the same");
    expect(text).toContain("The two models predict a different outcome for 6 rows of 143: 4.2% of the rows.");
    expect(html).toContain('data-testid="mcnemar"');
    expect(text).toContain("This version is right on 1 row that production gets wrong, and wrong on 5 rows that production gets right.");
    expect(text).toContain("A difference this size could well be chance (McNemar's test, p = 0.22)");
    expect(text).toContain("Selection-rate gap, production");
  });

  it("shows both models' expected value per 1,000 decisions as a row, in the locale's currency format", () => {
    const expectedValue = { currency: "EUR", threshold: 0.4, candidatePer1000: 61_250, productionPer1000: 58_000.5, delta: 3_249.5, productionCurve: { tp: [], fp: [] } };
    const html = render(<ComparisonSection comparison={{ ...comparison, expectedValue }} rowCount={143} />);
    expect(html).toContain('data-testid="comparison-expected-value"');
    expect(textOf(html)).toContain("expected value per 1,000 decisions (threshold 0.4) €61,250.00 €58,000.50 +€3,249.50 ▲ better");
    const french = textOf(render(<ComparisonSection comparison={{ ...comparison, expectedValue }} rowCount={143} />, "fr")).replace(/[\u202f\u00a0]/g, " ");
    expect(french).toContain("valeur attendue pour 1 000 décisions (seuil 0,4) 61 250,00 € 58 000,50 € +3 249,50 €");
  });

  it("says a small p-value is unlikely to be chance", () => {
    const text = textOf(render(<ComparisonSection comparison={{ ...comparison, mcnemar: { candidateOnlyCorrect: 30, otherOnlyCorrect: 10, method: "chi_square", statistic: 9.025, pValue: 0.0027 } }} rowCount={143} />));
    expect(text).toContain("So many more errors on one side are unlikely to be chance (McNemar's test, p = 0.0027).");
    expect(text).toContain("chi-square with continuity correction");
  });

  it("says when there is no production version, or why it could not be compared", () => {
    expect(textOf(render(<ComparisonSection comparison={null} rowCount={10} />))).toContain("No other version of this model holds the production alias");
    const problem = textOf(render(<ComparisonSection comparison={{ ...comparison, problem: "The production version 1 could not be scored on these rows: no column 'x'." }} rowCount={10} />));
    expect(problem).toContain("The comparison could not be made: The production version 1 could not be scored");
  });

  it("reads in French with French number formats", () => {
    const text = textOf(render(<ComparisonSection comparison={comparison} rowCount={143} />, "fr"));
    expect(text).toContain("Face au modèle en production");
    expect(text).toContain("Les mêmes 143 lignes ont été évaluées par la version 1 en production");
    expect(text).toContain("exactitude 0,944 0,972 -0,028 ▼ moins bonne");
    expect(text).toContain("▲ meilleure");
    expect(text).toMatch(/Les deux modèles prédisent un résultat différent pour 6 lignes sur 143, soit 4,2\s%/);
    expect(text).toContain("test de McNemar, p = 0,22");
  });
});

describe("FairnessDetails", () => {
  it("shows intervals per group and for the gaps, warns about small groups, and flags the attribute and its proxies", () => {
    const html = render(<FairnessDetails fairness={[attribute]} labelColumn="approved" />);
    const text = textOf(html);
    expect(html.match(/data-testid="fairness-interval"/g)).toHaveLength(2);
    expect(text).toContain("Selection rates count the outcome approved = 1 as the favourable one.");
    expect(text).toContain("31% (27% to 35%)");
    expect(text).toContain("no positive row");
    expect(text).toContain("Selection-rate gap: 6 points (1 to 30)");
    expect(html).toContain('data-testid="small-group-warning"');
    expect(text).toContain("Group X has fewer than 30 rows: its rates are too uncertain to compare with confidence.");
    expect(html.match(/data-testid="proxy-flag"/g)).toHaveLength(2);
    expect(text).toContain("sex is itself an input of the model: the model can treat its groups differently by design.");
    expect(text).toContain("title is closely associated with sex (Cramér's V = 0.91, flagged from 0.5): it can stand in for it.");
    expect(text).toContain("95% bootstrap intervals (1000 resamples of the rows)");
  });

  it("adds nothing for reports made before these details existed", () => {
    const { intervals, smallGroups, proxies, ...old } = attribute;
    void intervals;
    void smallGroups;
    void proxies;
    expect(render(<FairnessDetails fairness={[old]} labelColumn="approved" />)).toBe("");
  });

  it("reads in French", () => {
    const text = textOf(render(<FairnessDetails fairness={[attribute]} labelColumn="approved" />, "fr"));
    expect(text).toContain("Les taux de sélection comptent le résultat approved = 1 comme le résultat favorable.");
    expect(text).toContain("Le groupe X compte moins de 30 lignes");
    expect(text).toContain("sex est lui-même une entrée du modèle");
    expect(text).toContain("V de Cramér = 0,91");
    expect(text).toMatch(/31\s%\s\(27\s%\sà 35\s%\)/);
  });
});

describe("request and criteria fields", () => {
  it("offers the label column's values as the favourable outcome, the positive class by default", () => {
    const html = render(<FavourableOutcomeField labelColumn="approved" values={["0", "1"]} value="" onChange={() => undefined} />);
    expect(html).toContain('data-testid="favourable-outcome-select"');
    expect(textOf(html)).toContain("The positive class (default) approved = 0 approved = 1");
    expect(textOf(render(<FavourableOutcomeField labelColumn="approved" values={["0", "1"]} value="" onChange={() => undefined} />, "fr"))).toContain("Résultat favorable");
  });

  it("edits criteria against production, in English and French", () => {
    const value = { thresholds: [], maxGroupGapPoints: "", maxNoiseDrop: "", edgeCasesMustNotCrash: false, relative: [{ metric: "accuracy" as const, tolerance: "0.01" }] };
    const html = render(<RelativeCriteriaEditor task="binary" value={value} onChange={() => undefined} errors={{ "relative.0": "Enter a tolerance of 0 or more, e.g. 0.01" }} />);
    expect(html).toContain('data-testid="relative-criterion"');
    expect(textOf(html)).toContain("Against the production version");
    expect(html).toMatch(/aria-invalid="true"/);
    expect(textOf(render(<RelativeCriteriaEditor task="binary" value={value} onChange={() => undefined} errors={{}} />, "fr"))).toContain("Ajouter un critère par rapport à la production");
  });
});

describe("relative criteria in the criteria table and the form state", () => {
  const criteria = { metricThresholds: [], maxGroupGap: null, maxNoiseDrop: null, edgeCasesMustNotCrash: false, relativeThresholds: [{ metric: "accuracy" as const, tolerance: 0.01 }] };

  it("shows a relative criterion without production as not applicable, not as a pass", () => {
    const results = [{ key: "relative:accuracy", description: "accuracy no worse than production's − 0.01", passed: true, notApplicable: true, actual: null, sentence: "Not applicable: no other version of this model holds the production alias, so there is nothing to compare accuracy with." }];
    const html = render(<CriteriaTable results={results} criteria={criteria} />);
    expect(html).toContain('data-testid="criterion-not-applicable"');
    expect(textOf(html)).toContain("– Not applicable");
    expect(textOf(html)).not.toContain("✓ Pass");
    expect(textOf(render(<CriteriaTable results={results} criteria={criteria} />, "fr"))).toContain("Sans objet");
  });

  it("round-trips relative thresholds through the form and describes them", () => {
    const form = criteriaToForm(criteria);
    expect(form.relative).toEqual([{ metric: "accuracy", tolerance: "0.01" }]);
    expect(formToCriteria(form)).toEqual({ criteria, errors: null });
    expect(formToCriteria({ ...form, relative: [{ metric: "accuracy", tolerance: "-1" }] }).errors).toEqual({ "relative.0": "Enter a tolerance of 0 or more, e.g. 0.01" });
    expect(describeCriteria({ ...criteria, relativeThresholds: [...criteria.relativeThresholds, { metric: "log_loss", tolerance: 0.05 }] }, (metric) => metric)).toEqual([
      "accuracy no worse than production's − 0.01",
      "log_loss no worse than production's + 0.05",
    ]);
  });
});

describe("the criterion 'expected value ≥ production's'", () => {
  const evCriteria = { metricThresholds: [], maxGroupGap: null, maxNoiseDrop: null, edgeCasesMustNotCrash: false, expectedValueAtLeastProduction: true };
  it("is described and edited like the other criteria", () => {
    expect(describeCriteria(evCriteria, (metric) => metric)).toEqual(["expected value per 1,000 decisions ≥ the production model's"]);
    const form = criteriaToForm(evCriteria);
    expect(form.expectedValueAtLeastProduction).toBe(true);
    expect(formToCriteria(form).criteria).toMatchObject({ expectedValueAtLeastProduction: true });
    expect(formToCriteria({ ...form, expectedValueAtLeastProduction: false }).criteria).not.toHaveProperty("expectedValueAtLeastProduction");
  });
});
