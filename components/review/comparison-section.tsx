"use client";
// "Against production": the candidate beside the version holding the production alias on the same rows — metrics
// with deltas (better/worse in words and a symbol, never colour alone), disagreement rate, McNemar's test in words.
import { useId } from "react";
import { useFormatter, useTranslations } from "next-intl";
import ui from "@/components/ui/ui.module.css";
import type { ComparedMetric, ComparedValue, ComparisonReport } from "@/server/review/comparison-schema";
import styles from "./review.module.css";

/** p-values under this read as "unlikely to be chance". */
const SIGNIFICANCE = 0.05;
const verdictSymbols: Record<ComparedMetric["verdict"], string> = { better: "▲", worse: "▼", same: "=", unknown: "?" };

export function ComparisonSection({ comparison, rowCount }: { comparison: ComparisonReport | null | undefined; rowCount: number }) {
  const t = useTranslations("comparison");
  const format = useFormatter();
  const headingId = useId();
  const number = (value: number | null) => (value === null ? t("notAvailable") : format.number(value, { maximumFractionDigits: 4 }));
  const signed = (value: number | null) => (value === null ? t("notAvailable") : format.number(value, { maximumFractionDigits: 4, signDisplay: "exceptZero" }));
  const points = (value: number) => t("points", { value: format.number(value * 100, { maximumFractionDigits: 1 }) });
  return (
    <section aria-labelledby={headingId} data-testid="comparison-section">
      <h2 id={headingId}>{t("title")}</h2>
      {!comparison ? (
        <p className={ui.panel}>{t("none")}</p>
      ) : comparison.problem !== null ? (
        <p className={styles.warning} role="note">
          {t("problem", { problem: comparison.problem })}
        </p>
      ) : (
        <>
          <p>{t("intro", { rows: rowCount, version: comparison.productionVersion, digest: comparison.productionDigest.slice(0, 12) })}</p>
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-describedby={`${headingId}-caption`}>
              <caption id={`${headingId}-caption`} className={styles.caption}>
                {t("metricsCaption")}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("columns.metric")}</th>
                  <th scope="col" className={ui.num}>{t("columns.candidate")}</th>
                  <th scope="col" className={ui.num}>{t("columns.production")}</th>
                  <th scope="col" className={ui.num}>{t("columns.delta")}</th>
                  <th scope="col">{t("columns.verdict")}</th>
                </tr>
              </thead>
              <tbody>
                {comparison.metrics.map((row) => (
                  <tr key={row.metric} data-testid="comparison-metric" data-metric={row.metric} data-verdict={row.verdict}>
                    <th scope="row">
                      {t(`metrics.${row.metric}`)}
                      {row.higherIsBetter ? null : <span className={ui.muted}> ({t("lowerIsBetter")})</span>}
                    </th>
                    <td className={ui.num}>{number(row.candidate)}</td>
                    <td className={ui.num}>{number(row.production)}</td>
                    <td className={ui.num}>{signed(row.delta)}</td>
                    <td className={row.verdict === "better" ? styles.pass : row.verdict === "worse" ? styles.fail : undefined}>
                      <span aria-hidden="true">{verdictSymbols[row.verdict]} </span>
                      {t(`verdict.${row.verdict}`)}
                    </td>
                  </tr>
                ))}
                {comparison.expectedValue ? <ExpectedValueRow value={comparison.expectedValue} /> : null}
              </tbody>
            </table>
          </div>
          {comparison.disagreementRate !== null && comparison.disagreements !== null ? (
            <p data-testid="disagreement">
              {t("disagreement", { count: comparison.disagreements, rows: rowCount, rate: format.number(comparison.disagreementRate, { style: "percent", maximumFractionDigits: 1 }) })}
            </p>
          ) : null}
          {comparison.mcnemar ? (
            <p data-testid="mcnemar" data-p-value={comparison.mcnemar.pValue}>
              {t("mcnemar.counts", { candidateOnly: comparison.mcnemar.candidateOnlyCorrect, otherOnly: comparison.mcnemar.otherOnlyCorrect })}{" "}
              {t(comparison.mcnemar.pValue < SIGNIFICANCE ? "mcnemar.significant" : "mcnemar.notSignificant", {
                p: format.number(comparison.mcnemar.pValue, { maximumSignificantDigits: 2 }),
              })}{" "}
              <span className={ui.muted}>({t(comparison.mcnemar.method === "exact" ? "mcnemar.exact" : "mcnemar.chiSquare")})</span>
            </p>
          ) : null}
          {comparison.fairness.length > 0 ? (
            <>
              <h3>{t("fairnessTitle")}</h3>
              <div className={ui.tableWrap}>
                <table className={ui.table} aria-label={t("fairnessTitle")}>
                  <thead>
                    <tr>
                      <th scope="col">{t("fairnessColumns.attribute")}</th>
                      <th scope="col" className={ui.num}>{t("fairnessColumns.parityCandidate")}</th>
                      <th scope="col" className={ui.num}>{t("fairnessColumns.parityProduction")}</th>
                      <th scope="col" className={ui.num}>{t("fairnessColumns.opportunityCandidate")}</th>
                      <th scope="col" className={ui.num}>{t("fairnessColumns.opportunityProduction")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {comparison.fairness.map((row) => (
                      <tr key={row.attribute} data-testid="comparison-fairness">
                        <th scope="row">{row.attribute}</th>
                        <td className={ui.num}>{points(row.candidateParityGap)}</td>
                        <td className={ui.num}>{points(row.productionParityGap)}</td>
                        <td className={ui.num}>{points(row.candidateOpportunityGap)}</td>
                        <td className={ui.num}>{points(row.productionOpportunityGap)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

/** Both models' expected value per 1,000 decisions at the chosen threshold, as one more row of the metrics table. */
function ExpectedValueRow({ value }: { value: ComparedValue }) {
  const t = useTranslations("comparison");
  const format = useFormatter();
  const money = (amount: number, sign = false) =>
    format.number(amount, { style: "currency", currency: value.currency, maximumFractionDigits: 2, ...(sign ? { signDisplay: "exceptZero" as const } : {}) });
  const verdict: ComparedMetric["verdict"] = Math.abs(value.delta) <= 1e-9 ? "same" : value.delta > 0 ? "better" : "worse";
  return (
    <tr data-testid="comparison-expected-value" data-verdict={verdict} data-delta={value.delta}>
      <th scope="row">{t("expectedValue", { threshold: format.number(value.threshold, { maximumFractionDigits: 4 }) })}</th>
      <td className={ui.num}>{money(value.candidatePer1000)}</td>
      <td className={ui.num}>{money(value.productionPer1000)}</td>
      <td className={ui.num}>{money(value.delta, true)}</td>
      <td className={verdict === "better" ? styles.pass : verdict === "worse" ? styles.fail : undefined}>
        <span aria-hidden="true">{verdictSymbols[verdict]} </span>
        {t(`verdict.${verdict}`)}
      </td>
    </tr>
  );
}

/** A relative criterion without a production version: neither pass nor fail, said in words with a symbol. */
export function NotApplicableBadge() {
  const t = useTranslations("comparison");
  return (
    <span className={styles.status} data-testid="criterion-not-applicable">
      <span aria-hidden="true">– </span>
      {t("notApplicable")}
    </span>
  );
}
