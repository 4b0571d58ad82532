"use client";
// One decision's explanation: the sentence ("income below 1,800 pushed the score down most") and the waterfall from
// the base value to the output. Used by the review's Explanations section and by the playground.
import { useFormatter, useTranslations } from "next-intl";
import { WaterfallChart, type WaterfallStep } from "@/components/charts/waterfall-chart";
import { sentenceParts, type SentencePart } from "@/lib/explanation-sentence";
import type { FeatureValue } from "@/lib/shapley";

/** Features drawn one by one; the rest are summed into one bar. */
const WATERFALL_FEATURES = 10;

export interface ExplanationData {
  features: readonly string[];
  values: readonly (FeatureValue | null)[];
  contributions: readonly number[];
  baseValue: number;
  output: number;
  /** The background's mean per feature (null for text), the "usual" value the sentence compares with. */
  means: readonly (number | null)[];
  /** What the output is, in words: "probability of class 1", "prediction". */
  target: string;
}

export function useValueText() {
  const format = useFormatter();
  const t = useTranslations("reasons");
  return (value: FeatureValue | null) =>
    value === null || (typeof value === "number" && !Number.isFinite(value)) ? t("counterfactual.missing") : typeof value === "number" ? format.number(value, { maximumSignificantDigits: 4 }) : value;
}

export function ExplanationSentence({ data }: { data: ExplanationData }) {
  const t = useTranslations("reasons");
  const valueText = useValueText();
  const parts = sentenceParts(
    data.features,
    data.values.map((value) => value ?? Number.NaN),
    data.contributions,
    data.means,
  );
  const partText = (part: SentencePart) =>
    t("sentence.part", { feature: part.feature, relation: part.relation, reference: part.reference === null ? "" : valueText(part.reference), value: valueText(part.value) });
  let text: string;
  if (parts.length === 0) text = t("sentence.none");
  else {
    const first = t("sentence.most", { part: partText(parts[0]), target: data.target, direction: parts[0].direction });
    text = parts.length === 1 ? t("sentence.one", { first }) : t("sentence.two", { first, second: t("sentence.next", { part: partText(parts[1]), direction: parts[1].direction }) });
  }
  return <p data-testid="explanation-sentence">{text}</p>;
}

export function ExplanationWaterfall({ data }: { data: ExplanationData }) {
  const t = useTranslations("reasons");
  const format = useFormatter();
  const valueText = useValueText();
  const fmt = (value: number) => format.number(value, { maximumSignificantDigits: 3 });
  const order = data.contributions.map((contribution, index) => ({ contribution, index })).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const shown = order.slice(0, WATERFALL_FEATURES);
  const rest = order.slice(WATERFALL_FEATURES);
  // Drawn from the smallest shown effect to the largest, so the biggest push lands next to the output.
  const steps: WaterfallStep[] = shown
    .reverse()
    .map(({ contribution, index }) => ({ label: data.features[index], value: valueText(data.values[index] ?? null), contribution }));
  if (rest.length > 0) steps.unshift({ label: t("waterfall.otherFeatures", { count: rest.length }), value: "", contribution: rest.reduce((sum, entry) => sum + entry.contribution, 0) });
  return (
    <WaterfallChart
      baseLabel={t("waterfall.base")}
      outputLabel={t("waterfall.output")}
      baseValue={data.baseValue}
      output={data.output}
      steps={steps}
      format={fmt}
      caption={t("waterfall.caption", { base: fmt(data.baseValue), output: fmt(data.output), target: data.target })}
      headers={{ feature: t("waterfall.feature"), value: t("waterfall.value"), contribution: t("waterfall.contribution") }}
    />
  );
}

/** A counterfactual in words: "The decision would become positive (probability 0.62) if loan were 1,600 instead of 2,400." */
export function CounterfactualText({
  counterfactual,
  wasPositive,
}: {
  counterfactual: { found: boolean; output: number; changes: readonly { feature: string; from: FeatureValue | null; to: FeatureValue | null }[] };
  wasPositive: boolean;
}) {
  const t = useTranslations("reasons");
  const format = useFormatter();
  const valueText = useValueText();
  if (!counterfactual.found) return <p data-testid="counterfactual">{t("counterfactual.none")}</p>;
  const changes = format.list(
    counterfactual.changes.map((change) => t("counterfactual.change", { feature: change.feature, from: valueText(change.from), to: valueText(change.to) })),
    { type: "conjunction" },
  );
  return (
    <p data-testid="counterfactual">
      {t("counterfactual.found", {
        outcome: wasPositive ? t("counterfactual.negative") : t("counterfactual.positive"),
        probability: format.number(counterfactual.output, { maximumFractionDigits: 3 }),
        changes,
      })}
    </p>
  );
}
