// What keeps a review honest, shown alike on the review page and the sign-off sheet: every criteria revision (who,
// when, before → after) and the exceptions approvers granted to failing criteria, each with its justification.
import { formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { metricLabel } from "@/lib/review-sentences";
import type { ReviewDetail } from "@/server/review/schema";
import { describeCriteria, describeCriteriaChange } from "./review-format";

export function CriteriaRevisions({ revisions, headingId }: { revisions: ReviewDetail["revisions"]; headingId: string }) {
  if (revisions.length === 0) return <p className={ui.muted}>No criteria revision is recorded for this review.</p>;
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col">Revision</th>
            <th scope="col">By</th>
            <th scope="col">When</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {revisions.map((revision) => {
            const change = describeCriteriaChange(revision.previous, revision, metricLabel);
            return (
              <tr key={revision.revision}>
                <td>{revision.revision}</td>
                <td>{revision.changedBy}</td>
                <td>{formatTimestamp(revision.changedAt)}</td>
                {revision.revision === 1 ? (
                  <>
                    <td className={ui.muted}>requested with</td>
                    <td className={ui.wrap}>{[...describeCriteria(revision.criteria, metricLabel), `${revision.requiredApprovals} approval${revision.requiredApprovals === 1 ? "" : "s"} required`].join("; ")}</td>
                  </>
                ) : change ? (
                  <>
                    <td className={ui.wrap}>{change.before.join("; ") || "—"}</td>
                    <td className={ui.wrap}>{change.after.join("; ") || "—"}</td>
                  </>
                ) : (
                  <>
                    <td className={ui.muted}>not recorded (before revision history)</td>
                    <td className={ui.wrap}>{describeCriteria(revision.criteria, metricLabel).join("; ")}</td>
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
  if (exceptions.length === 0) return <p className={ui.muted}>No exception: every approval that counts was given with all criteria passing.</p>;
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-labelledby={headingId}>
        <thead>
          <tr>
            <th scope="col">Failing criterion</th>
            <th scope="col">Result</th>
            <th scope="col">Approved by</th>
            <th scope="col">Justification</th>
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
