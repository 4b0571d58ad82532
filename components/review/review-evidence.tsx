// What keeps a review honest, shown alike on the review page and the sign-off sheet: every criteria revision (who,
// when, before → after) and the exceptions approvers granted to failing criteria, each with its justification.
import { useTranslations } from "next-intl";
import ui from "@/components/ui/ui.module.css";
import { metricLabel as englishMetricLabel } from "@/lib/review-sentences";
import type { MetricName, ReviewDetail } from "@/server/review/schema";
import { describeCriteria, describeCriteriaChange } from "./review-format";
import { useReviewDates, useReviewWords } from "./use-review-words";

export function CriteriaRevisions({ revisions, headingId }: { revisions: ReviewDetail["revisions"]; headingId: string }) {
  const t = useTranslations("reviews.revisions");
  const words = useReviewWords();
  const dates = useReviewDates();
  const metricLabel = (metric: MetricName) => englishMetricLabel(metric, words);
  const formatTimestamp = dates.timestamp;
  if (revisions.length === 0) return <p className={ui.muted}>{t("none")}</p>;
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col">{t("revision")}</th>
            <th scope="col">{t("by")}</th>
            <th scope="col">{t("when")}</th>
            <th scope="col">{t("before")}</th>
            <th scope="col">{t("after")}</th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((revision) => {
            const change = describeCriteriaChange(revision.previous, revision, metricLabel, words);
            return (
              <tr key={revision.revision}>
                <td>{revision.revision}</td>
                <td>{revision.changedBy}</td>
                <td>{formatTimestamp(revision.changedAt)}</td>
                {revision.revision === 1 ? (
                  <>
                    <td className={ui.muted}>{t("requestedWith")}</td>
                    <td className={ui.wrap}>{[...describeCriteria(revision.criteria, metricLabel, words), words.t("criteria.approvalsRequired", { count: revision.requiredApprovals })].join("; ")}</td>
                  </>
                ) : change ? (
                  <>
                    <td className={ui.wrap}>{change.before.join("; ") || "—"}</td>
                    <td className={ui.wrap}>{change.after.join("; ") || "—"}</td>
                  </>
                ) : (
                  <>
                    <td className={ui.muted}>{t("notRecorded")}</td>
                    <td className={ui.wrap}>{describeCriteria(revision.criteria, metricLabel, words).join("; ")}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ApprovalExceptions({ exceptions, headingId }: { exceptions: ReviewDetail["exceptions"]; headingId: string }) {
  const t = useTranslations("reviews.exceptions");
  if (exceptions.length === 0) return <p className={ui.muted}>{t("none")}</p>;
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col">{t("criterion")}</th>
            <th scope="col">{t("result")}</th>
            <th scope="col">{t("approvedBy")}</th>
            <th scope="col">{t("justification")}</th>
          </tr>
        </thead>
        <tbody>
          {exceptions.map((exception, index) => (
            <tr key={`${exception.approvedBy}:${exception.criterionKey}:${index}`}>
              <td>{exception.criterion}</td>
              <td className={ui.wrap}>{exception.result}</td>
              <td>{exception.approvedBy}</td>
              <td className={ui.wrap}>{exception.justification}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "approved with 2 exceptions": one per failing criterion accepted, however many approvers justified it. */
export function exceptionCount(exceptions: readonly { criterionKey: string }[]): number {
  return new Set(exceptions.map((e) => e.criterionKey)).size;
}
