"use client";
// The review's "Why it decided": for each sampled decision (the worst errors first) its sentence, waterfall and
// counterfactual, then the global mean |contribution| per feature beside permutation importance.
import { useFormatter, useTranslations } from "next-intl";
import ui from "@/components/ui/ui.module.css";
import { metricLabel } from "@/lib/review-sentences";
import type { EvaluationReport } from "@/server/review/schema";
import type { Explanations } from "@/server/review/explanations-schema";
import { CounterfactualText, ExplanationSentence, ExplanationWaterfall, type ExplanationData } from "./explanation-view";

export function ExplanationsSection({ explanations, importance }: { explanations: Explanations; importance: EvaluationReport["importance"] }) {
  const t = useTranslations("reasons");
  const format = useFormatter();
  const num = (value: number, digits = 3) => format.number(value, { maximumSignificantDigits: digits });
  const worst = explanations.decisions.filter((decision) => decision.reason === "worst_error").length;
  const firstClass = explanations.decisions[0]?.explainedClass ?? null;
  const targetOf = (explainedClass: string | null) => (explainedClass === null ? t("targetValue") : t("targetProbability", { className: explainedClass }));
  const permutation = new Map(importance.features.map((feature) => [feature.feature, feature.mean]));
  const global = explanations.features
    .map((feature, index) => ({ feature, meanAbs: explanations.global.meanAbsContribution[index] ?? 0, permutation: permutation.get(feature) ?? null }))
    .sort((a, b) => b.meanAbs - a.meanAbs);
  return (
    <section aria-labelledby="review-explanations" data-testid="explanations-section">
      <h2 id="review-explanations">{t("title")}</h2>
      <p>
        {t("intro", {
          target: targetOf(firstClass),
          count: explanations.decisions.length,
          worst,
          rows: explanations.backgroundRows,
          source: explanations.backgroundSource,
          tolerance: format.number(explanations.sumTolerance, { notation: "scientific" }),
        })}
      </p>
      {explanations.decisions.map((decision, index) => {
        const data: ExplanationData = {
          features: explanations.features,
          values: decision.values,
          contributions: decision.contributions,
          baseValue: decision.baseValue,
          output: decision.output,
          means: explanations.backgroundMeans,
          target: targetOf(decision.explainedClass),
        };
        return (
          <details key={decision.rowNumber} open={index === 0} className={ui.panel} data-testid="explained-decision">
            <summary>
              {t("decisionSummary", { row: decision.rowNumber, truth: decision.truth, predicted: decision.predicted })} —{" "}
              {decision.reason === "worst_error" ? t("reason.worst_error", { loss: num(decision.loss) }) : t("reason.sample")}
            </summary>
            <ExplanationSentence data={data} />
            <ExplanationWaterfall data={data} />
            {decision.counterfactual ? (
              <>
                <h3>{t("counterfactual.title")}</h3>
                <CounterfactualText counterfactual={decision.counterfactual} wasPositive={decision.output >= (explanations.threshold ?? 0.5)} />
              </>
            ) : null}
          </details>
        );
      })}
      {explanations.threshold !== null ? <p className={ui.muted}>{t("counterfactual.allActionable")}</p> : null}
      <h3>{t("global.title")}</h3>
      <p className={ui.muted}>{t("global.caption", { rows: explanations.global.rows, metric: metricLabel(importance.metric) })}</p>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label={t("global.title")} data-testid="global-contributions">
          <thead>
            <tr>
              <th scope="col">{t("global.feature")}</th>
              <th scope="col">{t("global.meanAbs")}</th>
              <th scope="col">{t("global.permutation")}</th>
            </tr>
          </thead>
          <tbody>
            {global.map((row) => (
              <tr key={row.feature}>
                <th scope="row">{row.feature}</th>
                <td>{num(row.meanAbs)}</td>
                <td>{row.permutation === null ? "—" : num(row.permutation)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
