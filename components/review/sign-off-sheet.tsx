"use client";
// The printable sign-off sheet of a review: what was evaluated (with digests), the summary, criteria and their revisions,
// exceptions, key metrics, fairness, decisions (withdrawals included) and signature lines.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatMetricValue, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { formatPercent, metricLabel, reviewSummarySentences } from "@/lib/review-sentences";
import type { ReviewDetail } from "@/server/review/schema";
import { decisionLabels, describeCriteria, reviewHref, reviewStatusLabels } from "./review-format";
import { ApprovalExceptions, CriteriaRevisions, exceptionCount } from "./review-evidence";
import styles from "./review.module.css";
import { PassFail } from "./status-badge";
import { ColumnMappingSection } from "./column-mapping";
import { SignOffContext, SignOffEvidence } from "./sign-off-context";

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
  const review = useQuery(trpc.review.get.queryOptions({ id }));
  if (review.error) return <QueryError error={review.error} onRetry={() => void review.refetch()} />;
  if (review.isPending) return <p role="status">Loading the review…</p>;
  return <SignOffSheet review={review.data} />;
}

export function SignOffSheet({ review }: { review: ReviewDetail }) {
  const report = review.report;
  const sentences = report ? reviewSummarySentences(report, review.criteria, review.criteriaResults) : [];
  const decisions = [...review.decisions].sort((a, b) => a.createdAt - b.createdAt);
  return (
    <article className={styles.sheet} aria-labelledby="sign-off-title">
      <style>{printStylesheet}</style>
      <p className={`${styles.links} ${styles.noPrint}`}>
        <Link href={reviewHref(review.id)}>Back to the review</Link>
        <button type="button" className={ui.button} onClick={() => window.print()}>
          Print
        </button>
      </p>
      <h1 id="sign-off-title">Model acceptance sign-off</h1>
      <dl className={ui.dl}>
        <dt>Review</dt>
        <dd>
          #{review.id} — {reviewStatusLabels[review.status]}
          {review.status === "approved" && review.exceptions.length
            ? ` with ${exceptionCount(review.exceptions)} exception${exceptionCount(review.exceptions) === 1 ? "" : "s"}`
            : ""}
          {review.decidedAt ? `, ${formatTimestamp(review.decidedAt)}` : ""}
        </dd>
        <dt>Model version</dt>
        <dd>
          {review.modelName}@{review.modelVersion} (registered by {review.modelOwner})
        </dd>
        <dt>Model SHA-256</dt>
        <dd className={styles.code}>{report?.provenance.modelDigest ?? review.modelDigest ?? "—"}</dd>
        <dt>Evaluation dataset</dt>
        <dd>
          {review.datasetName}@{review.datasetVersion}, label <code>{review.labelColumn}</code>
        </dd>
        <dt>Dataset SHA-256</dt>
        <dd className={styles.code}>{report?.provenance.datasetDigest ?? review.datasetDigest}</dd>
        <dt>Requested</dt>
        <dd>
          by {review.requestedBy}, {formatTimestamp(review.createdAt)}
        </dd>
        {report ? (
          <>
            <dt>Evaluated with</dt>
            <dd>
              {report.provenance.evaluatorVersion}, onnxruntime-node {report.provenance.onnxruntimeVersion}, Node.js {report.provenance.nodeVersion}, seed{" "}
              {report.provenance.seed}, {formatTimestamp(report.provenance.createdAt)}
            </dd>
          </>
        ) : null}
        <dt>Required approvals</dt>
        <dd>
          {review.approvals} of {review.requiredApprovals}
        </dd>
      </dl>

      {review.trainingOverlap ? <p className={styles.warning}>Warning: the evaluation dataset overlaps the training data. {review.trainingOverlap}</p> : null}

      <ColumnMappingSection mapping={review.columnMapping} />
      <SignOffContext review={review} />
      <section aria-labelledby="sheet-summary">
        <h2 id="sheet-summary">Summary</h2>
        {sentences.length ? (
          <ul className={styles.summary}>
            {sentences.map((sentence) => (
              <li key={sentence}>{sentence}</li>
            ))}
          </ul>
        ) : (
          <p>The evaluation has not finished: there is no report to sign off yet.</p>
        )}
      </section>

      <section aria-labelledby="sheet-criteria">
        <h2 id="sheet-criteria">Acceptance criteria</h2>
        {review.criteriaResults?.length ? (
          <table className={ui.table} aria-label="Acceptance criteria">
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">Result</th>
                <th scope="col">In words</th>
              </tr>
            </thead>
            <tbody>
              {review.criteriaResults.map((result) => (
                <tr key={result.key}>
                  <td>{result.description}</td>
                  <td>
                    <PassFail passed={result.passed} />
                  </td>
                  <td className={ui.wrap}>{result.sentence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <ul>
            {describeCriteria(review.criteria, metricLabel).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="sheet-revisions">
        <h2 id="sheet-revisions">Criteria revisions</h2>
        <CriteriaRevisions revisions={review.revisions} headingId="sheet-revisions" />
      </section>
      <section aria-labelledby="sheet-exceptions">
        <h2 id="sheet-exceptions">Exceptions</h2>
        <ApprovalExceptions exceptions={review.exceptions} headingId="sheet-exceptions" />
      </section>
      {report ? (
        <section aria-labelledby="sheet-metrics">
          <h2 id="sheet-metrics">Key metrics</h2>
          <table className={ui.table} aria-label="Key metrics">
            <tbody>
              <tr>
                <th scope="row">Cases evaluated</th>
                <td className={ui.num}>{report.rowCount.toLocaleString("en-US")}</td>
              </tr>
              {report.classification ? (
                <>
                  <tr>
                    <th scope="row">Accuracy</th>
                    <td className={ui.num}>{formatMetricValue(report.classification.accuracy)}</td>
                  </tr>
                  <tr>
                    <th scope="row">Macro F1</th>
                    <td className={ui.num}>{formatMetricValue(report.classification.macro.f1)}</td>
                  </tr>
                  <tr>
                    <th scope="row">ROC AUC</th>
                    <td className={ui.num}>{report.classification.rocAuc === null ? "—" : formatMetricValue(report.classification.rocAuc)}</td>
                  </tr>
                  <tr>
                    <th scope="row">Log loss</th>
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
          <h2 id="sheet-fairness">Fairness</h2>
          <table className={ui.table} aria-label="Fairness">
            <thead>
              <tr>
                <th scope="col">Attribute</th>
                <th scope="col">Group</th>
                <th scope="col" className={ui.num}>Cases</th>
                <th scope="col" className={ui.num}>Selection rate</th>
                <th scope="col" className={ui.num}>True-positive rate</th>
                <th scope="col" className={ui.num}>DP difference</th>
                <th scope="col" className={ui.num}>DP ratio</th>
                <th scope="col" className={ui.num}>EO difference</th>
              </tr>
            </thead>
            <tbody>
              {report.fairness.flatMap((attribute) =>
                attribute.groups.map((group, i) => (
                  <tr key={`${attribute.attribute}:${group.group}`}>
                    <td>{i === 0 ? attribute.attribute : ""}</td>
                    <td>{group.group}</td>
                    <td className={ui.num}>{group.size}</td>
                    <td className={ui.num}>{formatPercent(group.selectionRate)}</td>
                    <td className={ui.num}>{formatPercent(group.truePositiveRate)}</td>
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

      <SignOffEvidence review={review} />
      <section aria-labelledby="sheet-decisions">
        <h2 id="sheet-decisions">Decisions</h2>
        {decisions.length ? (
          <table className={ui.table} aria-label="Decisions">
            <thead>
              <tr>
                <th scope="col">Reviewer</th>
                <th scope="col">Decision</th>
                <th scope="col">Date</th>
                <th scope="col">Comment</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((decision) => (
                <tr key={decision.id} className={decision.invalidatedAt || decision.withdrawnAt ? styles.invalidated : undefined}>
                  <td>{decision.reviewer}</td>
                  <td>
                    {decisionLabels[decision.decision]} (criteria revision {decision.criteriaRevision})
                    {decision.exceptions.length ? `, with ${decision.exceptions.length} exception${decision.exceptions.length === 1 ? "" : "s"}` : ""}
                    {decision.invalidatedAt ? " (void: criteria changed after this decision)" : ""}
                    {decision.withdrawnAt && decision.withdrawnBy
                      ? ` (withdrawn by ${decision.withdrawnBy}, ${formatTimestamp(decision.withdrawnAt)}: ${decision.withdrawalReason ?? ""})`
                      : ""}
                  </td>
                  <td>{formatTimestamp(decision.createdAt)}</td>
                  <td className={ui.wrap}>{decision.comment}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No decision yet.</p>
        )}
      </section>

      <section aria-labelledby="sheet-signatures">
        <h2 id="sheet-signatures">Signatures</h2>
        <p>
          {review.requiredApprovals} approval{review.requiredApprovals === 1 ? " is" : "s are"} required.
        </p>
        <div className={styles.signatures}>
          {Array.from({ length: Math.max(2, review.requiredApprovals + 1) }, (_, i) => (
            <div key={i}>
              <div className={styles.signatureLine}>{i === 0 ? "Requester" : `Reviewer ${i}`}: name, date, signature</div>
            </div>
          ))}
        </div>
      </section>
    </article>
  );
}
