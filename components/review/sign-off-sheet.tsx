"use client";
// The printable sign-off sheet of a review: what was evaluated (with digests), the summary, criteria and their revisions,
// exceptions, key metrics, fairness, decisions (withdrawals included) and signature lines.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { localizeCriteriaResults } from "@/lib/acceptance-criteria";
import { formatPercent, metricLabel, reviewSummarySentences } from "@/lib/review-sentences";
import type { ReviewDetail } from "@/server/review/schema";
import { describeCriteria, reviewHref } from "./review-format";
import { ApprovalExceptions, CriteriaRevisions, exceptionCount } from "./review-evidence";
import styles from "./review.module.css";
import { PassFail } from "./status-badge";
import { ColumnMappingSection } from "./column-mapping";
import { NotApplicableBadge } from "./comparison-section";
import { SignOffComparison, SignOffContext, SignOffEvidence, SignOffValue, SignOffWorstErrors } from "./sign-off-context";
import { useMetricFormat, useReviewDates, useReviewWords } from "./use-review-words";

/**
 * The studio shell (header, side navigation, skip link, banners) is not the sheet: it is hidden when printing.
 * A plain stylesheet, because the shell's classes are hashed CSS-module names this page cannot select.
 */
const printStylesheet = `
@page { size: A4; margin: 16mm 14mm; }
@media print {
  :root, :root[data-theme] { color-scheme: light !important; }
  body { background: #fff; }
  body header, nav[aria-label="Studio"], a[href="#main"], [role="alert"]:not(main [role="alert"]) { display: none !important; }
  main#main { padding: 0 !important; }
  a { color: inherit; text-decoration: none; }
}`;

export function SignOffPage({ id }: { id: number }) {
  const trpc = useTRPC();
  const t = useTranslations("signOffSheet");
  const review = useQuery(trpc.review.get.queryOptions({ id }));
  if (review.error) return <QueryError error={review.error} onRetry={() => void review.refetch()} />;
  if (review.isPending) return <p role="status">{t("loading")}</p>;
  return <SignOffSheet review={review.data} />;
}

export function SignOffSheet({ review }: { review: ReviewDetail }) {
  const report = review.report;
  const t = useTranslations("signOffSheet");
  const status = useTranslations("reviews.status");
  const words = useReviewWords();
  const dates = useReviewDates();
  const formatMetricValue = useMetricFormat();
  const formatTimestamp = dates.timestamp;
  // Stored results are in English; the sheet prints them in the reader's language (same report, same criteria).
  const criteriaResults = review.criteriaResults ? localizeCriteriaResults(review.criteriaResults, report, review.criteria, words) : null;
  const sentences = report ? reviewSummarySentences(report, review.criteria, criteriaResults, words) : [];
  const decisions = [...review.decisions].sort((a, b) => a.createdAt - b.createdAt);
  const decisionLabel = useTranslations("reviews.decisions");
  return (
    <article className={styles.sheet} aria-labelledby="sign-off-title">
      <style>{printStylesheet}</style>
      <p className={`${styles.links} ${styles.noPrint}`}>
        <Link href={reviewHref(review.id)}>{t("back")}</Link>
        <button type="button" className={ui.button} onClick={() => window.print()}>
          {t("print")}
        </button>
      </p>
      <h1 id="sign-off-title">{t("title")}</h1>
      <dl className={ui.dl}>
        <dt>{t("review")}</dt>
        <dd>
          {t("reviewValue", { id: review.id, status: status(review.status) })}
          {review.status === "approved" && review.exceptions.length ? ` ${t("withExceptions", { count: exceptionCount(review.exceptions) })}` : ""}
          {review.decidedAt ? `, ${formatTimestamp(review.decidedAt)}` : ""}
        </dd>
        <dt>{t("modelVersion")}</dt>
        <dd>{t("modelValue", { model: `${review.modelName}@${review.modelVersion}`, owner: review.modelOwner })}</dd>
        <dt>{t("modelDigest")}</dt>
        <dd className={styles.code}>{report?.provenance.modelDigest ?? review.modelDigest ?? "—"}</dd>
        <dt>{t("dataset")}</dt>
        <dd>
          {t.rich("datasetValue", { dataset: `${review.datasetName}@${review.datasetVersion}`, label: review.labelColumn, code: (chunks) => <code>{chunks}</code> })}
        </dd>
        <dt>{t("datasetDigest")}</dt>
        <dd className={styles.code}>{report?.provenance.datasetDigest ?? review.datasetDigest}</dd>
        <dt>{t("requested")}</dt>
        <dd>{t("requestedValue", { user: review.requestedBy, when: formatTimestamp(review.createdAt) })}</dd>
        {report ? (
          <>
            <dt>{t("evaluatedWith")}</dt>
            <dd>
              {t("evaluatedValue", {
                evaluator: report.provenance.evaluatorVersion,
                onnxruntime: report.provenance.onnxruntimeVersion,
                node: report.provenance.nodeVersion,
                seed: report.provenance.seed,
                when: formatTimestamp(report.provenance.createdAt),
              })}
            </dd>
          </>
        ) : null}
        <dt>{t("requiredApprovals")}</dt>
        <dd>{t("approvalsValue", { approvals: review.approvals, required: review.requiredApprovals })}</dd>
      </dl>

      {review.trainingOverlap ? <p className={styles.warning}>{t("overlap", { detail: review.trainingOverlap })}</p> : null}

      <ColumnMappingSection mapping={review.columnMapping} />
      <SignOffContext review={review} />
      <SignOffValue review={review} />
      <section aria-labelledby="sheet-summary">
        <h2 id="sheet-summary">{t("summary")}</h2>
        {sentences.length ? (
          <ul className={styles.summary}>
            {sentences.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        ) : (
          <p>{t("noReport")}</p>
        )}
      </section>

      <section aria-labelledby="sheet-criteria">
        <h2 id="sheet-criteria">{t("criteria")}</h2>
        {criteriaResults?.length ? (
          <table className={ui.table} aria-label={t("criteria")}>
            <thead>
              <tr>
                <th scope="col">{t("criterion")}</th>
                <th scope="col">{t("result")}</th>
                <th scope="col">{t("inWords")}</th>
              </tr>
            </thead>
            <tbody>
              {criteriaResults.map((result) => (
                <tr key={result.key}>
                  <td>{result.description}</td>
                  <td>{result.notApplicable ? <NotApplicableBadge /> : <PassFail passed={result.passed} />}</td>
                  <td className={ui.wrap}>{result.sentence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <ul>
            {describeCriteria(review.criteria, (metric) => metricLabel(metric, words), words).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="sheet-revisions">
        <h2 id="sheet-revisions">{t("revisions")}</h2>
        <CriteriaRevisions revisions={review.revisions} headingId="sheet-revisions" />
      </section>
      <section aria-labelledby="sheet-exceptions">
        <h2 id="sheet-exceptions">{t("exceptions")}</h2>
        <ApprovalExceptions exceptions={review.exceptions} headingId="sheet-exceptions" />
      </section>
      {report ? (
        <section aria-labelledby="sheet-metrics">
          <h2 id="sheet-metrics">{t("keyMetrics")}</h2>
          <table className={ui.table} aria-label={t("keyMetrics")}>
            <tbody>
              <tr>
                <th scope="row">{t("casesEvaluated")}</th>
                <td className={ui.num}>{words.format.number(report.rowCount)}</td>
              </tr>
              {report.classification ? (
                <>
                  <tr>
                    <th scope="row">{t("accuracy")}</th>
                    <td className={ui.num}>{formatMetricValue(report.classification.accuracy)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t("macroF1")}</th>
                    <td className={ui.num}>{formatMetricValue(report.classification.macro.f1)}</td>
                  </tr>
                  <tr>
                    <th scope="row">ROC AUC</th>
                    <td className={ui.num}>{report.classification.rocAuc === null ? "—" : formatMetricValue(report.classification.rocAuc)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t("logLoss")}</th>
                    <td className={ui.num}>{formatMetricValue(report.classification.logLoss)}</td>
                  </tr>
                </>
              ) : null}
              {report.regression ? (
                <>
                  <tr>
                    <th scope="row">RMSE</th>
                    <td className={ui.num}>{formatMetricValue(report.regression.rmse)}</td>
                  </tr>
                  <tr>
                    <th scope="row">MAE</th>
                    <td className={ui.num}>{formatMetricValue(report.regression.mae)}</td>
                  </tr>
                  <tr>
                    <th scope="row">R²</th>
                    <td className={ui.num}>{formatMetricValue(report.regression.r2)}</td>
                  </tr>
                </>
              ) : null}
            </tbody>
          </table>
        </section>
      ) : null}

      {report?.fairness.length ? (
        <section aria-labelledby="sheet-fairness">
          <h2 id="sheet-fairness">{t("fairness")}</h2>
          <table className={ui.table} aria-label={t("fairness")}>
            <thead>
              <tr>
                <th scope="col">{t("attribute")}</th>
                <th scope="col">{t("group")}</th>
                <th scope="col" className={ui.num}>{t("cases")}</th>
                <th scope="col" className={ui.num}>{t("selectionRate")}</th>
                <th scope="col" className={ui.num}>{t("truePositiveRate")}</th>
                <th scope="col" className={ui.num}>{t("dpDifference")}</th>
                <th scope="col" className={ui.num}>{t("dpRatio")}</th>
                <th scope="col" className={ui.num}>{t("eoDifference")}</th>
              </tr>
            </thead>
            <tbody>
              {report.fairness.flatMap((attribute) =>
                attribute.groups.map((group, i) => (
                  <tr key={`${attribute.attribute}:${group.group}`}>
                    <td>{i === 0 ? attribute.attribute : ""}</td>
                    <td>{group.group}</td>
                    <td className={ui.num}>{words.format.number(group.size)}</td>
                    <td className={ui.num}>{formatPercent(group.selectionRate, words)}</td>
                    <td className={ui.num}>{formatPercent(group.truePositiveRate, words)}</td>
                    <td className={ui.num}>{i === 0 ? formatMetricValue(attribute.demographicParityDifference) : ""}</td>
                    <td className={ui.num}>{i === 0 ? formatMetricValue(attribute.demographicParityRatio) : ""}</td>
                    <td className={ui.num}>{i === 0 ? formatMetricValue(attribute.equalOpportunityDifference) : ""}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </section>
      ) : null}

      <SignOffComparison review={review} />
      <SignOffWorstErrors review={review} />
      <SignOffEvidence review={review} />
      <section aria-labelledby="sheet-decisions">
        <h2 id="sheet-decisions">{t("decisions")}</h2>
        {decisions.length ? (
          <table className={ui.table} aria-label={t("decisions")}>
            <thead>
              <tr>
                <th scope="col">{t("reviewer")}</th>
                <th scope="col">{t("decision")}</th>
                <th scope="col">{t("date")}</th>
                <th scope="col">{t("comment")}</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((decision) => (
                <tr key={decision.id} className={decision.invalidatedAt || decision.withdrawnAt ? styles.invalidated : undefined}>
                  <td>{decision.reviewer}</td>
                  <td>
                    {t("decisionValue", { decision: decisionLabel(decision.decision), revision: decision.criteriaRevision })}
                    {decision.exceptions.length ? `, ${t("withExceptions", { count: decision.exceptions.length })}` : ""}
                    {decision.invalidatedAt ? ` ${t("void")}` : ""}
                    {decision.withdrawnAt && decision.withdrawnBy
                      ? ` ${t("withdrawn", { user: decision.withdrawnBy, when: formatTimestamp(decision.withdrawnAt), reason: decision.withdrawalReason ?? "" })}`
                      : ""}
                  </td>
                  <td>{formatTimestamp(decision.createdAt)}</td>
                  <td className={ui.wrap}>{decision.comment}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t("noDecision")}</p>
        )}
      </section>

      <section aria-labelledby="sheet-signatures">
        <h2 id="sheet-signatures">{t("signatures")}</h2>
        <p>{t("approvalsRequired", { count: review.requiredApprovals })}</p>
        <div className={styles.signatures}>
          {Array.from({ length: Math.max(2, review.requiredApprovals + 1) }, (_, i) => (
            <div key={i}>
              <div className={styles.signatureLine}>{i === 0 ? t("requesterLine") : t("reviewerLine", { number: i })}</div>
            </div>
          ))}
        </div>
      </section>
    </article>
  );
}
