// The playground's explanation beside an answer, in English and French: the sentence and waterfall, the actionable
// feature checkboxes for a binary model, and what it says without background rows.
import { describe, expect, it } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import { planModelInputs } from "@/lib/model-inputs";
import { PlaygroundExplanationView, type ExplanationState } from "./playground-explanation";

const plan = planModelInputs([{ name: "input", elementType: "float32", shape: [null, 2], kind: "tensor" }], { featureNames: ["income", "loan"] });
const ready: ExplanationState = {
  status: "ready",
  ms: 142.4,
  modelRows: 19_900,
  backgroundRows: 1,
  binary: true,
  predict: async () => [],
  explainedClass: 1,
  data: { features: ["income", "loan"], values: [1200, 2400], contributions: [-0.3, -0.1], baseValue: 0.5, output: 0.1, means: [1800, 2000] },
};
const render = (state: ExplanationState | null, locale: "en" | "fr" = "en") =>
  renderWithCache(<PlaygroundExplanationView state={state} plan={plan} row={{ income: 1200, loan: 2400 }} background={[[1800, 2000]]} datasetLabel="loans v1" />, [], () => undefined, locale);
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("PlaygroundExplanationView", () => {
  it("shows the sentence, the waterfall, the time it took and one actionable checkbox per feature", () => {
    const html = render(ready);
    expect(html).toContain('data-testid="playground-explanation"');
    expect(html).toContain('data-testid="waterfall-chart"');
    expect(html.match(/data-testid="actionable-feature"/g)).toHaveLength(2);
    const words = text(html);
    expect(words).toContain("income below 1,800 pushed the probability of class 1 down the most; loan above 2,000 pushed it down next.");
    expect(words).toContain("19,900 model rows scored in 142 ms against 1 background row (the first rows of loans v1).");
    expect(words).toContain("Tick at least one feature you could change.");
  });

  it("says so when no background rows are available, in French too", () => {
    expect(text(render(null))).toContain("No background rows");
    const french = text(render(ready, "fr"));
    expect(french).toContain("Pourquoi cette réponse");
    expect(french).toContain("Variables que vous pourriez modifier");
    expect(text(render(null, "fr"))).toContain("Aucune ligne de référence");
  });
});
