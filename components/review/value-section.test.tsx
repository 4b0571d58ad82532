// The review's Value section and the request form's outcome values, rendered in English and French from cached
// answers: the expected value in words with its threshold, the baselines, the profit curve, the threshold picker
// only for the requester before a decision, and the fieldset's inputs and parsing.
import { describe, expect, it, vi } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import { binaryValueReport, regressionValueReport } from "@/lib/business-value";
import type { LiveValue } from "@/lib/business-value-schema";
import { binaryReport, sampleReview } from "@/lib/review-sentences.fixture";
import type { ReviewDetail } from "@/server/review/schema";
import { emptyOutcomeValues, formToValueSettings, OutcomeValuesFieldset } from "./outcome-values-fieldset";
import { ValueSection } from "./value-section";
import { LiveValueSection } from "@/components/monitoring/live-value-section";

vi.mock("next/navigation", () => ({
  usePathname: () => "/reviews",
  useSearchParams: () => new URLSearchParams(),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

const outcomes = { tp: 100, fp: -50, fn: -20, tn: 0 };
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").replace(/\u202f|\u00a0/g, " ");

function reviewWithValue(overrides: Partial<ReviewDetail> = {}, threshold = 0.5): ReviewDetail {
  const binary = binaryValueReport([1, 1, 0, 1, 0, 0], [0.9, 0.7, 0.6, 0.4, 0.3, 0.1], { outcomes, threshold: 0.5, yearlyVolume: 12_000 }, "1", { seed: 1 });
  const report = { ...binaryReport(), value: { currency: "EUR", yearlyVolume: 12_000, threshold: 0.5, binary, regression: null } };
  const base = sampleReview({ report });
  return {
    ...base,
    valueSettings: { currency: "EUR", outcomes, costPerUnitError: null, yearlyVolume: 12_000, threshold },
    ...overrides,
  };
}

const render = (review: ReviewDetail, locale: "en" | "fr" = "en") => renderWithCache(<ValueSection review={review} />, ["studio.read"], () => undefined, locale);

describe("ValueSection", () => {
  it("says what the model is worth at the chosen threshold, with the baselines, the best threshold and the curve", () => {
    const html = render(reviewWithValue());
    const text = textOf(html);
    expect(html).toContain('data-testid="value-section"');
    expect(html).toContain('data-testid="profit-curve"');
    // 130/6 per decision = €21,667 per 1,000 decisions; × 12,000 a year = €260,000.
    expect(text).toContain("At the chosen decision threshold of 0.50, the model is expected to earn €21,667 per 1,000 decisions");
    expect(text).toContain("With 12,000 decisions a year, that is €260,000 a year.");
    expect(text).toContain("Accepting everyone would give €25,000 per 1,000 decisions; rejecting everyone -€10,000.");
    expect(text).toContain("The best threshold on this data is 0.31, with €41,667 per 1,000 decisions.");
    expect(text).toContain("use the model&#x27;s own labels");
  });

  it("lets the requester pick another threshold before a decision, and nobody once approved", () => {
    const requester = render(reviewWithValue());
    expect(requester).toContain('data-testid="threshold-input"');
    expect(requester).toMatch(/<button[^>]*data-testid="use-threshold"[^>]*disabled=""/);
    const approved = render(reviewWithValue({ status: "approved" }));
    expect(approved).not.toContain('data-testid="threshold-input"');
    const reader = render(reviewWithValue({ permissions: { ...sampleReview().permissions, canEditCriteria: false } }));
    expect(reader).not.toContain('data-testid="use-threshold"');
  });

  it("reads the value at a threshold chosen after the evaluation from the stored curve, and says so", () => {
    const text = textOf(render(reviewWithValue({}, 0.65)));
    // At 0.65: 2 TP, 0 FP, 1 FN, 3 TN = 180/6 per decision.
    expect(text).toContain("At the chosen decision threshold of 0.65, the model is expected to earn €30,000 per 1,000 decisions");
    expect(text).toContain("The report was evaluated at the threshold 0.50");
  });

  it("renders in French with the locale's currency format", () => {
    const text = textOf(render(reviewWithValue(), "fr"));
    expect(text).toContain("Valeur");
    expect(text).toContain("Au seuil de décision choisi de 0,50, le modèle devrait rapporter 21 667 € pour 1 000 décisions");
    expect(text).toContain("Utiliser ce seuil");
  });

  it("states a regressor's cost of errors", () => {
    const regression = regressionValueReport([1, 2, 3], [1.5, 2, 1], 10, null, { seed: 1 });
    const report = { ...binaryReport(), value: { currency: "USD", yearlyVolume: null, threshold: 0.5, binary: null, regression } };
    const text = textOf(render({ ...sampleReview({ report }), valueSettings: null }));
    expect(text).toContain("Each unit of absolute error costs $10; with a mean absolute error of 0.833, errors are expected to cost $8,333 per 1,000 decisions");
  });

  it("shows nothing for a report without value", () => {
    expect(render(sampleReview())).toBe("");
  });
});

describe("OutcomeValuesFieldset", () => {
  const renderFieldset = (locale: "en" | "fr", task: "binary" | "regression" = "binary") =>
    renderWithCache(<OutcomeValuesFieldset task={task} value={emptyOutcomeValues} onChange={() => undefined} errors={{ outcomes: "allOrNone" }} />, ["studio.read"], () => undefined, locale);

  it("has labelled inputs for the four outcomes, the currency, the volume and the threshold, in English and French", () => {
    const en = renderFieldset("en");
    for (const id of ["outcome-tp", "outcome-fp", "outcome-fn", "outcome-tn", "outcome-currency", "outcome-yearly-volume", "outcome-threshold"]) expect(en).toContain(`data-testid="${id}"`);
    expect(en).toContain("True positive");
    expect(en).toContain("Enter all four outcome values, or none");
    const fr = renderFieldset("fr");
    expect(fr).toContain("Vrai positif");
    expect(fr).toContain("Seuil de décision");
    expect(renderFieldset("en", "regression")).toContain('data-testid="outcome-cost-per-unit-error"');
  });

  it("parses the form into value settings, or says which field to fix", () => {
    expect(formToValueSettings(emptyOutcomeValues, "binary")).toEqual({ settings: null, errors: {} });
    const full = formToValueSettings({ ...emptyOutcomeValues, currency: "usd", tp: "100", fp: "-50", fn: "-20", tn: "0", yearlyVolume: "12000", threshold: "0,4" }, "binary");
    expect(full.settings).toEqual({ currency: "USD", outcomes, costPerUnitError: null, yearlyVolume: 12_000, threshold: 0.4 });
    expect(formToValueSettings({ ...emptyOutcomeValues, tp: "100" }, "binary").errors).toEqual({ outcomes: "allOrNone" });
    expect(formToValueSettings({ ...emptyOutcomeValues, threshold: "1.5" }, "binary").errors).toEqual({ threshold: "threshold" });
    expect(formToValueSettings({ ...emptyOutcomeValues, costPerUnitError: "2.5" }, "regression").settings).toMatchObject({ costPerUnitError: 2.5, outcomes: null });
  });
});

describe("LiveValueSection (monitoring)", () => {
  const live: LiveValue = { reviewId: 7, currency: "EUR", threshold: 0.2, count: 5, realisedPer1000: 12_500, counts: { tp: 2, fp: 1, fn: 0, tn: 2 }, expectedPer1000: 15_000 };
  const renderLive = (value: LiveValue | null, locale: "en" | "fr" = "en") =>
    renderWithCache(<LiveValueSection liveValue={value} />, ["studio.read"], () => undefined, locale);

  it("puts the value realised from feedback beside the review's expected value, in English and French", () => {
    const en = textOf(renderLive(live));
    expect(en).toContain("On 5 decisions with feedback in this period, production realised €12,500 per 1,000 decisions at the approved threshold of 0.20.");
    expect(en).toContain("Its approved review (#7) expected €15,000 per 1,000 decisions.");
    const fr = textOf(renderLive(live, "fr"));
    expect(fr).toContain("Sur 5 décisions avec retour sur cette période, la production a réalisé 12 500 € pour 1 000 décisions au seuil approuvé de 0,20.");
  });

  it("says what to do when no feedback came back, and shows nothing without approved outcome values", () => {
    expect(textOf(renderLive({ ...live, count: 0, realisedPer1000: null }))).toContain("post the true outcomes by request id");
    expect(renderLive(null)).toBe("");
  });
});
