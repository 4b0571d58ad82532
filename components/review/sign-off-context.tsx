"use client";
// Blocks of the printable sign-off sheet a committee needs besides the metrics: the business context the requester
// gave (goal, expected return, known limits), robustness and edge-case results, and the review's comment thread,
// all printed as written (line breaks kept, never as HTML); what the model is worth at the chosen threshold, the
// comparison with production and why it made its worst errors, in the reader's language.
import { useFormatter, useTranslations } from "next-intl";
import { Fragment } from "react";
import ui from "@/components/ui/ui.module.css";
import { valueAtThreshold } from "@/lib/business-value";
import type { ReviewDetail } from "@/server/review/schema";
import { ComparisonSection } from "./comparison-section";
import { ExplanationSentence } from "./explanation-view";
import styles from "./review.module.css";

export function SignOffContext({ review }: { review: ReviewDetail }) {
  const t = useTranslations("signOff.context");
  const rows = [
    [t("businessGoal"), review.context.businessGoal],
    [t("expectedRoi"), review.context.expectedRoi],
    [t("knownLimits"), review.context.knownLimits],
  ] as const;
  return (
    <section aria-labelledby="sheet-context" data-testid="sign-off-context">
      <h2 id="sheet-context">{t("title")}</h2>
      <dl className={ui.dl}>
        {rows.map(([label, text]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd className={styles.commentBody}>{text.trim() ? text : <span className={ui.muted}>{t("notGiven")}</span>}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

export function SignOffEvidence({ review }: { review: ReviewDetail }) {
  const t = useTranslations("signOff");
  const format = useFormatter();
  const report = review.report;
  const num = (x: number) => format.number(x, { maximumFractionDigits: 4 });
  const failures = report?.edgeCases.filter((e) => !e.ok) ?? [];
  return (
    <>
      {report ? (
        <section aria-labelledby="sheet-robustness" data-testid="sign-off-robustness">
          <h2 id="sheet-robustness">{t("robustness.title")}</h2>
          {report.robustness.length ? (
            <table className={ui.table} aria-label={t("robustness.title")}>
              <thead>
                <tr>
                  <th scope="col">{t("robustness.perturbation")}</th>
                  <th scope="col">{t("robustness.metric")}</th>
                  <th scope="col" className={ui.num}>{t("robustness.value")}</th>
                  <th scope="col" className={ui.num}>{t("robustness.drop")}</th>
                </tr>
              </thead>
              <tbody>
                {report.robustness.map((r) => (
                  <tr key={r.perturbation}>
                    <td>{r.label}</td>
                    <td>{r.metric}</td>
                    {r.error ? (
                      <td colSpan={2} className={ui.wrap}>{t("robustness.failed", { error: r.error })}</td>
                    ) : (
                      <>
                        <td className={ui.num}>{num(r.value)}</td>
                        <td className={ui.num}>{num(r.drop)}</td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{t("robustness.none")}</p>
          )}
          <p>{t("robustness.edgeCases", { total: report.edgeCases.length, failed: failures.length })}</p>
          {failures.length ? (
            <ul>
              {failures.map((e) => (
                <li key={`${e.feature}:${e.case}`}>
                  {t("robustness.edgeFailure", { feature: e.feature, case: e.case, input: e.input === null ? t("robustness.missingInput") : String(e.input), error: e.error ?? "—" })}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="sheet-comments" data-testid="sign-off-comments">
        <h2 id="sheet-comments">{t("comments.title")}</h2>
        {review.comments.length ? (
          review.comments.map((c) => (
            <div key={c.id} className={styles.comment}>
              <strong>{t("comments.byline", { author: c.author, date: format.dateTime(new Date(c.createdAt), { dateStyle: "medium", timeStyle: "short" }) })}</strong>
              <p className={styles.commentBody}>{c.body}</p>
            </div>
          ))
        ) : (
          <p>{t("comments.none")}</p>
        )}
      </section>
    </>
  );
}

/**
 * The expected value at the review's chosen threshold (per 1,000 decisions and per year) beside the two baselines,
 * or a regressor's cost of errors; read from the report's profit curve, so a threshold moved since is printed.
 */
export function SignOffValue({ review }: { review: ReviewDetail }) {
  const t = useTranslations("signOff.value");
  const format = useFormatter();
  const value = review.report?.value ?? null;
  const money = (amount: number | null) => (amount === null ? t("noVolume") : format.number(amount, { style: "currency", currency: value?.currency ?? "EUR", maximumFractionDigits: 2 }));
  const threshold = review.valueSettings?.threshold ?? value?.threshold ?? null;
  const yearlyVolume = review.valueSettings?.yearlyVolume ?? value?.yearlyVolume ?? null;
  const binary = value?.binary ?? null;
  // The evaluated threshold carries its bootstrap interval; another point of the curve is read without one.
  const at =
    binary && threshold !== null
      ? Math.abs(binary.atThreshold.threshold - threshold) <= 1e-9
        ? binary.atThreshold
        : valueAtThreshold(binary, threshold, yearlyVolume, { interval: false })
      : null;
  const perYear = (perThousand: number) => (yearlyVolume === null ? null : (perThousand / 1000) * yearlyVolume);
  return (
    <section aria-labelledby="sheet-value" data-testid="sign-off-value">
      <h2 id="sheet-value">{t("title")}</h2>
      {binary && at ? (
        <>
          <p>
            {t("binaryIntro", { threshold: format.number(at.threshold, { maximumFractionDigits: 4 }), positive: binary.positiveClass, rows: binary.rowCount, currency: value!.currency })}
          </p>
          <table className={ui.table} aria-label={t("title")}>
            <thead>
              <tr>
                <th scope="col">{t("decisionRule")}</th>
                <th scope="col" className={ui.num}>{t("per1000")}</th>
                <th scope="col" className={ui.num}>{yearlyVolume === null ? t("perYearUnknown") : t("perYear", { volume: yearlyVolume })}</th>
              </tr>
            </thead>
            <tbody>
              <tr data-testid="sign-off-value-model">
                <th scope="row">{t("model", { threshold: format.number(at.threshold, { maximumFractionDigits: 4 }) })}</th>
                <td className={ui.num}>{money(at.perThousand)}</td>
                <td className={ui.num}>{money(perYear(at.perThousand))}</td>
              </tr>
              <tr>
                <th scope="row">{t("acceptAll")}</th>
                <td className={ui.num}>{money(binary.acceptAll.perThousand)}</td>
                <td className={ui.num}>{money(perYear(binary.acceptAll.perThousand))}</td>
              </tr>
              <tr>
                <th scope="row">{t("rejectAll")}</th>
                <td className={ui.num}>{money(binary.rejectAll.perThousand)}</td>
                <td className={ui.num}>{money(perYear(binary.rejectAll.perThousand))}</td>
              </tr>
            </tbody>
          </table>
          {at.interval ? (
            <p>{t("interval", { level: format.number(at.interval.level, { style: "percent" }), lower: money(at.interval.lower), upper: money(at.interval.upper) })}</p>
          ) : null}
        </>
      ) : value?.regression ? (
        <p data-testid="sign-off-value-model">
          {t("regression", {
            perThousand: money(value.regression.perThousand),
            cost: money(value.regression.costPerUnitError),
            mae: format.number(value.regression.meanAbsoluteError, { maximumSignificantDigits: 4 }),
          })}{" "}
          {value.regression.perYear === null ? null : t("regressionYear", { perYear: money(value.regression.perYear), volume: yearlyVolume ?? 0 })}
        </p>
      ) : (
        <p>{t("none")}</p>
      )}
    </section>
  );
}

/** The comparison with the production version as the review page shows it (metrics and deltas, disagreement, McNemar, value). */
export function SignOffComparison({ review }: { review: ReviewDetail }) {
  if (!review.report) return null;
  return (
    <div data-testid="sign-off-comparison">
      <ComparisonSection comparison={review.report.comparison} rowCount={review.report.rowCount} />
    </div>
  );
}

/** The sentence explaining each of the sampled worst errors (the waterfalls stay on the review page). */
export function SignOffWorstErrors({ review }: { review: ReviewDetail }) {
  const t = useTranslations("signOff.worstErrors");
  const reasons = useTranslations("reasons");
  const explanations = review.report?.explanations ?? null;
  if (!explanations) return null;
  const worst = explanations.decisions.filter((decision) => decision.reason === "worst_error");
  return (
    <section aria-labelledby="sheet-worst-errors" data-testid="sign-off-worst-errors">
      <h2 id="sheet-worst-errors">{t("title")}</h2>
      {worst.length ? (
        <ul>
          {worst.map((decision) => (
            <li key={decision.rowNumber} data-testid="sign-off-worst-error">
              <strong>{t("row", { row: decision.rowNumber, truth: decision.truth, predicted: decision.predicted })}</strong>
              <ExplanationSentence
                data={{
                  features: explanations.features,
                  values: decision.values,
                  contributions: decision.contributions,
                  baseValue: decision.baseValue,
                  output: decision.output,
                  means: explanations.backgroundMeans,
                  target: decision.explainedClass === null ? reasons("targetValue") : reasons("targetProbability", { className: decision.explainedClass }),
                }}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("none")}</p>
      )}
    </section>
  );
}
