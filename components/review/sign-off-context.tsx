"use client";
// Blocks of the printable sign-off sheet a committee needs besides the metrics: the business context the requester
// gave (goal, expected return, known limits), robustness and edge-case results, and the review's comment thread,
// all printed as written (line breaks kept, never as HTML).
import { useFormatter, useTranslations } from "next-intl";
import { Fragment } from "react";
import ui from "@/components/ui/ui.module.css";
import type { ReviewDetail } from "@/server/review/schema";
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
