"use client";
// The reviews page: filter tabs kept in the URL (?filter=), one row per review with its status, criteria passed and approvals.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { datasetVersionHref, modelVersionHref } from "@/components/models/model-format";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { ReviewSummary } from "@/server/review/schema";
import { parseReviewFilter, reviewFilters, reviewHref } from "./review-format";
import styles from "./review.module.css";
import { ReviewStatusBadge } from "./status-badge";
import { useReviewDates } from "./use-review-words";

export function ReviewsList() {
  const trpc = useTRPC();
  const t = useTranslations("reviews");
  const { params, update } = useUrlState();
  const filter = parseReviewFilter(params.get("filter"));
  const list = useQuery(trpc.review.list.queryOptions({ filter }));
  const current = reviewFilters.find((entry) => entry.value === filter) ?? reviewFilters[0];
  return (
    <>
      <div className={styles.headerRow}>
        <h1>{t("title")}</h1>
        <Link className={ui.button} href="/reviews/new">
          {t("request")}
        </Link>
      </div>
      <nav aria-label={t("filtersNav")}>
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
                {t(`filters.${entry.value}.label`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <p role="status">{t("loading")}</p>
      ) : list.data.length === 0 ? (
        <p className={ui.panel}>{t(`filters.${current.value}.empty`)}</p>
      ) : (
        <ReviewsTable reviews={list.data} now={list.dataUpdatedAt} label={t("tableLabel", { filter: t(`filters.${current.value}.label`) })} />
      )}
    </>
  );
}

/** Also used on the model version page, with the model columns left out. */
export function ReviewsTable({ reviews, now, label, showModel = true }: { reviews: readonly ReviewSummary[]; now: number; label: string; showModel?: boolean }) {
  const t = useTranslations("reviews");
  const dates = useReviewDates();
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{t("columns.review")}</th>
            {showModel ? <th scope="col">{t("columns.model")}</th> : null}
            <th scope="col">{t("columns.dataset")}</th>
            <th scope="col">{t("columns.status")}</th>
            <th scope="col" className={ui.num}>{t("columns.criteriaPassed")}</th>
            <th scope="col" className={ui.num}>{t("columns.approvals")}</th>
            <th scope="col">{t("columns.requestedBy")}</th>
            <th scope="col">{t("columns.updated")}</th>
          </tr>
        </thead>
        <tbody>
          {reviews.map((review) => (
            <tr key={review.id}>
              <td>
                <Link href={reviewHref(review.id)}>{t("reviewNumber", { id: review.id })}</Link>
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
                  <span className={ui.muted}>{t("notEvaluated")}</span>
                ) : (
                  `${review.criteriaPassed}/${review.criteriaTotal}`
                )}
              </td>
              <td className={ui.num}>
                {review.approvals}/{review.requiredApprovals}
              </td>
              <td>{review.requestedBy}</td>
              <td title={dates.timestamp(review.updatedAt)}>{dates.relative(review.updatedAt, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
