"use client";
// The reviews page: filter tabs kept in the URL (?filter=), one row per review with its status, criteria passed and approvals.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { datasetVersionHref, modelVersionHref } from "@/components/models/model-format";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatRelativeTime, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { ReviewSummary } from "@/server/review/schema";
import { parseReviewFilter, reviewFilters, reviewHref } from "./review-format";
import styles from "./review.module.css";
import { ReviewStatusBadge } from "./status-badge";

export function ReviewsList() {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const filter = parseReviewFilter(params.get("filter"));
  const list = useQuery(trpc.review.list.queryOptions({ filter }));
  const current = reviewFilters.find((entry) => entry.value === filter) ?? reviewFilters[0];
  return (
    <>
      <div className={styles.headerRow}>
        <h1>Reviews</h1>
        <Link className={ui.button} href="/reviews/new">
          Request a review
        </Link>
      </div>
      <nav aria-label="Review filters">
        <ul className={styles.tabs}>
          {reviewFilters.map((entry) => (
            <li key={entry.value}>
              <a
                className={styles.tab}
                href={entry.value === "all" ? "/reviews" : `/reviews?filter=${entry.value}`}
                aria-current={entry.value === filter ? "page" : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  update({ filter: entry.value === "all" ? null : entry.value }, "push");
                }}
              >
                {entry.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <p role="status">Loading reviews…</p>
      ) : list.data.length === 0 ? (
        <p className={ui.panel}>{current.empty}</p>
      ) : (
        <ReviewsTable reviews={list.data} now={list.dataUpdatedAt} label={`Reviews: ${current.label}`} />
      )}
    </>
  );
}

/** Also used on the model version page, with the model columns left out. */
export function ReviewsTable({ reviews, now, label, showModel = true }: { reviews: readonly ReviewSummary[]; now: number; label: string; showModel?: boolean }) {
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Review</th>
            {showModel ? <th scope="col">Model</th> : null}
            <th scope="col">Evaluation dataset</th>
            <th scope="col">Status</th>
            <th scope="col" className={ui.num}>Criteria passed</th>
            <th scope="col" className={ui.num}>Approvals</th>
            <th scope="col">Requested by</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {reviews.map((review) => (
            <tr key={review.id}>
              <td>
                <Link href={reviewHref(review.id)}>Review #{review.id}</Link>
              </td>
              {showModel ? (
                <td>
                  <Link href={modelVersionHref(review.modelName, review.modelVersion)}>
                    {review.modelName}@{review.modelVersion}
                  </Link>
                </td>
              ) : null}
              <td>
                <Link href={datasetVersionHref(review.datasetName, review.datasetVersion)}>
                  {review.datasetName}@{review.datasetVersion}
                </Link>
              </td>
              <td>
                <ReviewStatusBadge status={review.status} />
              </td>
              <td className={ui.num}>
                {review.criteriaPassed === null || review.criteriaTotal === null ? (
                  <span className={ui.muted}>not evaluated</span>
                ) : (
                  `${review.criteriaPassed}/${review.criteriaTotal}`
                )}
              </td>
              <td className={ui.num}>
                {review.approvals}/{review.requiredApprovals}
              </td>
              <td>{review.requestedBy}</td>
              <td title={formatTimestamp(review.updatedAt)}>{formatRelativeTime(review.updatedAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
