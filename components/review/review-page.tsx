"use client";
// One acceptance review: header, evaluation progress, the report in sentences and charts, criteria and their revisions,
// exceptions, comments, decisions (with exceptions and withdrawal) and the criteria editor.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useId, useRef, useState, type FormEvent } from "react";
import { datasetVersionHref, modelVersionHref } from "@/components/models/model-format";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { localizeCriteriaResults } from "@/lib/acceptance-criteria";
import { reviewSummarySentences } from "@/lib/review-sentences";
import type { DecisionKind, ReviewDetail } from "@/server/review/schema";
import { CriteriaEditor, useCriteriaFormMessages } from "./criteria-editor";
import { ApprovalExceptions, CriteriaRevisions, exceptionCount } from "./review-evidence";
import { ReportSections, CriteriaTable, SummarySentences } from "./report-sections";
import { criteriaToForm, formToCriteria, signOffHref, type CriteriaFormErrors } from "./review-format";
import styles from "./review.module.css";
import { ReviewStatusBadge } from "./status-badge";
import { ColumnMappingSection } from "./column-mapping";
import { ExplanationsSection } from "./explanations-section";
import { ValueSection } from "./value-section";
import { useReviewDates, useReviewWords } from "./use-review-words";
import { useErrorText } from "@/components/ui/use-error-text";
import { useServerSentence } from "@/components/ui/use-server-sentence";

/** While the evaluation runs the page asks again every second; once ready it stops. */
export function isReviewEvaluating(review: Pick<ReviewDetail, "status" | "evaluationError">): boolean {
  return (review.status === "draft" || review.status === "evaluating") && !review.evaluationError;
}

export function ReviewPage({ id }: { id: number }) {
  const trpc = useTRPC();
  const t = useTranslations("review");
  const review = useQuery(
    trpc.review.get.queryOptions({ id }, { refetchInterval: (query) => (query.state.data && isReviewEvaluating(query.state.data) ? 1000 : false) }),
  );
  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/reviews">{t("reviews")}</Link> /
    </p>
  );
  if (review.error || review.isPending) {
    return (
      <>
        {breadcrumb}
        <h1>{t("title", { id })}</h1>
        {review.error ? <QueryError error={review.error} onRetry={() => void review.refetch()} /> : <p role="status">{t("loading")}</p>}
      </>
    );
  }
  return (
    <>
      {breadcrumb}
      <ReviewView review={review.data} />
    </>
  );
}

export function ReviewView({ review }: { review: ReviewDetail }) {
  const t = useTranslations("review");
  const words = useReviewWords();
  // Stored results are in English; they are said again in the reader's language from the same report and criteria.
  const criteriaResults = review.criteriaResults ? localizeCriteriaResults(review.criteriaResults, review.report, review.criteria, words) : null;
  const sentences = review.report ? reviewSummarySentences(review.report, review.criteria, criteriaResults, words) : [];
  return (
    <>
      <ReviewHeader review={review} />
      <EvaluationState review={review} />
      {review.trainingOverlap ? (
        <section className={styles.warning} aria-label={t("trainingWarningLabel")}>
          <p>
            <strong>{t("trainingOverlap")}</strong> {review.trainingOverlap} {t("trainingOptimistic")}
          </p>
        </section>
      ) : null}
      {review.report ? <SummarySentences sentences={sentences} /> : null}
      <CriteriaTable results={criteriaResults} criteria={review.criteria} />
      {review.permissions.canEditCriteria ? <EditCriteria review={review} /> : null}
      {review.status === "approved" ? (
        <p className={ui.muted}>{t("criteriaFinal")}</p>
      ) : null}
      <section aria-labelledby="review-revisions">
        <h2 id="review-revisions">{t("revisionsHeading")}</h2>
        <CriteriaRevisions revisions={review.revisions} headingId="review-revisions" />
      </section>
      {review.exceptions.length ? (
        <section aria-labelledby="review-exceptions">
          <h2 id="review-exceptions">{t("exceptionsHeading", { count: exceptionCount(review.exceptions) })}</h2>
          <ApprovalExceptions exceptions={review.exceptions} headingId="review-exceptions" />
        </section>
      ) : null}
      <ContextSection review={review} />
      <ColumnMappingSection mapping={review.columnMapping} />
      <ValueSection review={review} />
      {review.report ? <ReportSections report={review.report} criteria={review.criteria} /> : null}
      {review.report?.explanations ? <ExplanationsSection explanations={review.report.explanations} importance={review.report.importance} /> : null}
      <DecisionPanel review={review} />
      <CommentsThread review={review} />
    </>
  );
}

function ReviewHeader({ review }: { review: ReviewDetail }) {
  const t = useTranslations("review");
  const dates = useReviewDates();
  return (
    <>
      <div className={styles.headerRow}>
        <h1>{t("heading", { id: review.id, model: `${review.modelName}@${review.modelVersion}` })}</h1>
        <ReviewStatusBadge status={review.status} />
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>{t("modelVersion")}</dt>
          <dd>
            <Link href={modelVersionHref(review.modelName, review.modelVersion)}>
              {review.modelName}@{review.modelVersion}
            </Link>
          </dd>
        </div>
        <div>
          <dt>{t("evaluationDataset")}</dt>
          <dd>
            <Link href={datasetVersionHref(review.datasetName, review.datasetVersion)}>
              {review.datasetName}@{review.datasetVersion}
            </Link>
          </dd>
        </div>
        <div>
          <dt>{t("requested")}</dt>
          <dd>{t("requestedBy", { user: review.requestedBy, when: dates.timestamp(review.createdAt) })}</dd>
        </div>
        <div>
          <dt>{t("approvals")}</dt>
          <dd>
            {review.approvals}/{review.requiredApprovals}
          </dd>
        </div>
        <div>
          <dt>{t("labelColumn")}</dt>
          <dd>
            <code>{review.labelColumn}</code>
          </dd>
        </div>
        <div>
          <dt>{t("sensitiveAttributes")}</dt>
          <dd>{review.sensitiveAttributes.length ? review.sensitiveAttributes.join(", ") : <span className={ui.muted}>{t("none")}</span>}</dd>
        </div>
      </dl>
      <p className={styles.links}>
        <Link href={signOffHref(review.id)} data-testid="review-sign-off-link">
          {t("signOffLink")}
        </Link>
      </p>
    </>
  );
}

function EvaluationState({ review }: { review: ReviewDetail }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const t = useTranslations("review");
  // A failure stored before its sentence was kept is shown in its English text.
  const say = useServerSentence();
  const words = useReviewWords();
  const rerun = useMutation(
    trpc.review.reevaluate.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.review.pathKey() }) }),
  );
  if (review.evaluationError) {
    return (
      <section className={styles.warning} role="alert" aria-label={t("evaluationFailedLabel")}>
        <h2>{t("evaluationFailed")}</h2>
        <p>{say(review.evaluationErrorSentence, review.evaluationError)}</p>
        {review.permissions.canReevaluate ? (
          <p>
            <button type="button" className={ui.button} disabled={rerun.isPending} onClick={() => rerun.mutate({ id: review.id })}>
              {rerun.isPending ? t("starting") : t("rerun")}
            </button>
          </p>
        ) : (
          <p>{t("rerunWho")}</p>
        )}
        {rerun.error ? <p className={ui.error}>{errorText(rerun.error)}</p> : null}
      </section>
    );
  }
  if (!isReviewEvaluating(review)) return null;
  const { format } = words;
  const progress = review.job ? Math.max(0, Math.min(1, review.job.progress)) : 0;
  return (
    <section className={ui.panel} aria-label={t("progressLabel")}>
      <p role="status">
        {review.status === "draft" ? t("waitingEvaluator") : t("evaluating")}
        {review.job?.stage ? `: ${review.job.stage}` : ""} — {format.number(progress, { style: "percent", maximumFractionDigits: 0 })}
      </p>
      <progress className={styles.progress} max={1} value={progress} aria-label={t("progressLabel")} />
    </section>
  );
}

function ContextSection({ review }: { review: ReviewDetail }) {
  const t = useTranslations("review");
  const entries = [
    [t("businessGoal"), review.context.businessGoal],
    [t("expectedRoi"), review.context.expectedRoi],
    [t("knownLimits"), review.context.knownLimits],
  ].filter(([, text]) => text.trim() !== "");
  if (entries.length === 0) return null;
  return (
    <section aria-label={t("contextLabel")}>
      <h2>{t("contextLabel")}</h2>
      <dl className={`${ui.dl} ${ui.panel}`}>
        {entries.map(([label, text]) => (
          <div key={label} style={{ display: "contents" }}>
            <dt>{label}</dt>
            <dd className={styles.commentBody}>{text}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const decisionButtons: readonly { kind: DecisionKind; label: "approve" | "requestChanges" | "reject"; needsComment: boolean }[] = [
  { kind: "approve", label: "approve", needsComment: false },
  { kind: "request_changes", label: "requestChanges", needsComment: true },
  { kind: "reject", label: "reject", needsComment: true },
];

function DecisionPanel({ review }: { review: ReviewDetail }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const t = useTranslations("review");
  const words = useReviewWords();
  const [comment, setComment] = useState("");
  const [missingComment, setMissingComment] = useState<string | null>(null);
  const [justifications, setJustifications] = useState<Record<string, string>>({});
  const [missingJustification, setMissingJustification] = useState<string | null>(null);
  const decide = useMutation(
    trpc.review.decide.mutationOptions({
      onSuccess: async () => {
        setComment("");
        setJustifications({});
        await queryClient.invalidateQueries({ queryKey: trpc.review.pathKey() });
      },
    }),
  );
  const { canDecide, cannotDecideReason, cannotDecideMessage } = review.permissions;
  const say = useServerSentence();
  const failing = localizeCriteriaResults(review.criteriaResults ?? [], review.report, review.criteria, words).filter((result) => !result.passed);
  function submit(kind: DecisionKind, needsComment: boolean) {
    if (needsComment && comment.trim() === "") {
      setMissingComment(t(`commentNeeded.${kind as "reject" | "request_changes"}`));
      return;
    }
    setMissingComment(null);
    if (kind === "approve") {
      const unjustified = failing.filter((result) => !(justifications[result.key] ?? "").trim());
      if (unjustified.length) {
        setMissingJustification(t("justifyEach", { criteria: unjustified.map((r) => r.description).join(", "), count: unjustified.length }));
        return;
      }
    }
    setMissingJustification(null);
    const exceptions = kind === "approve" ? failing.map((result) => ({ key: result.key, justification: justifications[result.key]!.trim() })) : [];
    decide.mutate({ id: review.id, decision: kind, comment: comment.trim(), exceptions });
  }
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("decision")}</h2>
      <div className={ui.panel}>
        {!canDecide && cannotDecideReason ? (
          <p id={`${ids}-reason`} className={ui.muted}>
            {say(cannotDecideMessage, cannotDecideReason)}
          </p>
        ) : null}
        <div className={ui.field}>
          <label htmlFor={`${ids}-comment`}>{t("decisionComment")}</label>
          <textarea
            id={`${ids}-comment`}
            className={styles.textarea}
            value={comment}
            maxLength={10_000}
            disabled={!canDecide}
            aria-invalid={missingComment ? true : undefined}
            aria-describedby={`${ids}-hint${missingComment ? ` ${ids}-missing` : ""}`}
            onChange={(event) => setComment(event.target.value)}
          />
          <p id={`${ids}-hint`} className={styles.hint}>
            {t("commentHint")}
          </p>
          {missingComment ? (
            <p id={`${ids}-missing`} className={ui.error} role="alert">
              {missingComment}
            </p>
          ) : null}
        </div>
        {canDecide && failing.length ? (
          <fieldset className={styles.exceptions}>
            <legend>{t("exceptionsLegend", { count: failing.length })}</legend>
            <p className={styles.hint}>{t("exceptionsHint")}</p>
            {failing.map((result) => (
              <div key={result.key} className={ui.field}>
                <label htmlFor={`${ids}-exception-${result.key}`}>{t("whyApprove", { criterion: result.description })}</label>
                <p id={`${ids}-exception-${result.key}-result`} className={styles.hint}>
                  {result.sentence}
                </p>
                <textarea
                  id={`${ids}-exception-${result.key}`}
                  className={styles.textarea}
                  maxLength={10_000}
                  value={justifications[result.key] ?? ""}
                  aria-describedby={`${ids}-exception-${result.key}-result`}
                  aria-invalid={missingJustification && !(justifications[result.key] ?? "").trim() ? true : undefined}
                  onChange={(event) => setJustifications((current) => ({ ...current, [result.key]: event.target.value }))}
                />
              </div>
            ))}
            {missingJustification ? (
              <p className={ui.error} role="alert">
                {missingJustification}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        <div className={styles.decisionButtons}>
          {decisionButtons.map((button) => (
            <button
              key={button.kind}
              type="button"
              className={button.kind === "approve" ? ui.button : button.kind === "reject" ? ui.danger : ui.secondary}
              disabled={!canDecide || decide.isPending}
              aria-describedby={!canDecide && cannotDecideReason ? `${ids}-reason` : undefined}
              onClick={() => submit(button.kind, button.needsComment)}
            >
              {t(button.label)}
            </button>
          ))}
        </div>
        {decide.error ? (
          <p className={ui.error} role="alert">
            {errorText(decide.error)}
          </p>
        ) : null}
      </div>
      <WithdrawApproval review={review} />
      <DecisionHistory decisions={review.decisions} />
    </section>
  );
}

/**
 * A reviewer takes their approval back with a reason; the page says when the version serves production. Mounted
 * always, so the confirmation outlives the refreshed review (which no longer offers the withdrawal).
 */
function WithdrawApproval({ review }: { review: ReviewDetail }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const t = useTranslations("review");
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const withdraw = useMutation(
    trpc.review.withdraw.mutationOptions({
      onSuccess: async () => {
        setOpen(false);
        setReason("");
        await queryClient.invalidateQueries({ queryKey: trpc.review.pathKey() });
      },
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) return;
    withdraw.mutate({ id: review.id, reason: reason.trim() });
  }
  const offered = review.permissions.withdrawableDecisionId !== null;
  if (!offered && !withdraw.data) return null;
  return (
    <div className={ui.panel}>
      {withdraw.data ? (
        <p role="status">
          {t("withdrawn")}
          {withdraw.data.holdsProduction ? (
            <>
              {" "}
              {t.rich("holdsProduction", { link: (chunks) => <Link href="/deployments">{chunks}</Link> })}
            </>
          ) : null}
        </p>
      ) : null}
      {!offered ? null : open ? (
        <form onSubmit={submit} aria-label={t("withdrawLabel")}>
          <div className={ui.field}>
            <label htmlFor={`${ids}-reason`}>{t("withdrawWhy")}</label>
            <textarea id={`${ids}-reason`} className={styles.textarea} value={reason} maxLength={10_000} onChange={(event) => setReason(event.target.value)} />
          </div>
          <p className={styles.links}>
            <button type="submit" className={ui.danger} disabled={withdraw.isPending || !reason.trim()}>
              {withdraw.isPending ? t("withdrawing") : t("confirmWithdrawal")}
            </button>
            <button type="button" className={ui.secondary} onClick={() => setOpen(false)}>
              {t("cancel")}
            </button>
          </p>
          {withdraw.error ? (
            <p className={ui.error} role="alert">
              {errorText(withdraw.error)}
            </p>
          ) : null}
        </form>
      ) : (
        <p>
          <button type="button" className={ui.secondary} onClick={() => setOpen(true)}>
            {t("withdrawLabel")}
          </button>
        </p>
      )}
    </div>
  );
}

export function DecisionHistory({ decisions }: { decisions: ReviewDetail["decisions"] }) {
  const t = useTranslations("review");
  const dates = useReviewDates();
  if (decisions.length === 0) return <p className={ui.muted}>{t("noDecision")}</p>;
  return (
    <ol className={styles.thread} aria-label={t("decisionsLabel")}>
      {[...decisions]
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((decision) => (
          <li key={decision.id} className={styles.comment}>
            <span className={decision.invalidatedAt || decision.withdrawnAt ? styles.invalidated : undefined}>
              <strong>{decision.reviewer}</strong> {t(`decided.${decision.decision}`)}
              {decision.exceptions.length ? ` ${t("withExceptions", { count: decision.exceptions.length })}` : ""}{" "}
              <span className={styles.meta}>{t("decisionMeta", { when: dates.timestamp(decision.createdAt), revision: decision.criteriaRevision })}</span>
            </span>
            {decision.invalidatedAt ? <span className={styles.meta}> — {t("invalidated")}</span> : null}
            {decision.comment ? <p className={`${styles.commentBody} ${decision.invalidatedAt ? styles.invalidated : ""}`}>{decision.comment}</p> : null}
            {decision.exceptions.length ? (
              <ul aria-label={t("exceptionsBy", { reviewer: decision.reviewer })}>
                {decision.exceptions.map((exception) => (
                  <li key={exception.criterionKey} className={styles.commentBody}>
                    {t("exceptionFor", { criterion: exception.criterion, result: exception.result, justification: exception.justification })}
                  </li>
                ))}
              </ul>
            ) : null}
            {decision.withdrawnAt ? (
              <p className={styles.commentBody}>
                <strong>{t("withdrawnTitle")}</strong>{" "}
                {t("withdrawnBy", { user: decision.withdrawnBy ?? "", when: dates.timestamp(decision.withdrawnAt), reason: decision.withdrawalReason ?? "" })}
              </p>
            ) : null}
          </li>
        ))}
    </ol>
  );
}

function CommentsThread({ review }: { review: ReviewDetail }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const t = useTranslations("review");
  const dates = useReviewDates();
  const [body, setBody] = useState("");
  const comment = useMutation(
    trpc.review.comment.mutationOptions({
      onSuccess: async () => {
        setBody("");
        await queryClient.invalidateQueries({ queryKey: trpc.review.get.queryKey({ id: review.id }) });
      },
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (body.trim() === "") return;
    comment.mutate({ id: review.id, body: body.trim() });
  }
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("comments")}</h2>
      {review.comments.length ? (
        <ol className={styles.thread} aria-label={t("comments")}>
          {[...review.comments]
            .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
            .map((entry) => (
              <li key={entry.id} className={styles.comment}>
                <strong>{entry.author}</strong> <span className={styles.meta}>{dates.timestamp(entry.createdAt)}</span>
                {/* Plain text: React escapes it, and no markdown or HTML is interpreted. */}
                <p className={styles.commentBody}>{entry.body}</p>
              </li>
            ))}
        </ol>
      ) : (
        <p className={ui.muted}>{t("noComments")}</p>
      )}
      {!review.permissions.canComment ? (
        <p className={ui.muted}>{t("cannotComment")}</p>
      ) : null}
      {review.permissions.canComment ? (
        <form onSubmit={submit} aria-label={t("addComment")}>
          <div className={ui.field}>
            <label htmlFor={`${ids}-body`}>{t("yourComment")}</label>
            <textarea id={`${ids}-body`} className={styles.textarea} value={body} maxLength={10_000} onChange={(event) => setBody(event.target.value)} />
          </div>
          <p>
            <button type="submit" className={ui.button} disabled={comment.isPending || body.trim() === ""}>
              {t("comment")}
            </button>
          </p>
          {comment.error ? (
            <p className={ui.error} role="alert">
              {errorText(comment.error)}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}

function EditCriteria({ review }: { review: ReviewDetail }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = useId();
  const t = useTranslations("review");
  return (
    <>
      <p>
        <button type="button" className={ui.secondary} onClick={() => dialog.current?.showModal()}>
          {t("editCriteria")}
        </button>
      </p>
      <dialog ref={dialog} className={styles.dialog} aria-labelledby={`${ids}-title`}>
        <h2 id={`${ids}-title`} className={ui.panelTitle}>
          {t("editCriteriaTitle")}
        </h2>
        <EditCriteriaForm key={review.criteriaRevision} review={review} onDone={() => dialog.current?.close()} />
      </dialog>
    </>
  );
}

function EditCriteriaForm({ review, onDone }: { review: ReviewDetail; onDone: () => void }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const t = useTranslations("review");
  const formMessages = useCriteriaFormMessages();
  const [criteria, setCriteria] = useState(() => criteriaToForm(review.criteria));
  const [errors, setErrors] = useState<CriteriaFormErrors>({});
  const [approvals, setApprovals] = useState(String(review.requiredApprovals));
  const [approvalsError, setApprovalsError] = useState<string | null>(null);
  const update = useMutation(
    trpc.review.updateCriteria.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.review.pathKey() });
        onDone();
      },
    }),
  );
  const activeApprovals = review.decisions.filter((decision) => decision.decision === "approve" && decision.invalidatedAt === null).length;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = formToCriteria(criteria, formMessages);
    setErrors(parsed.errors ?? {});
    const required = Number(approvals);
    const badApprovals = !Number.isInteger(required) || required < 1 || required > 10;
    setApprovalsError(badApprovals ? t("approvalsRange") : null);
    if (!parsed.criteria || badApprovals) return;
    update.mutate({ id: review.id, criteria: parsed.criteria, requiredApprovals: required });
  }
  return (
    <form onSubmit={submit} noValidate aria-label={t("editCriteriaTitle")}>
      <p className={styles.warning} role="note">
        {t("editWarning", { approvals: activeApprovals })}
      </p>
      <CriteriaEditor task={review.report?.task ?? null} value={criteria} onChange={setCriteria} errors={errors} />
      <div className={ui.field}>
        <label htmlFor={`${ids}-approvals`}>{t("requiredApprovals")}</label>
        <input
          id={`${ids}-approvals`}
          type="number"
          min={1}
          max={10}
          className={`${ui.input} ${styles.small}`}
          value={approvals}
          aria-invalid={approvalsError ? true : undefined}
          onChange={(event) => setApprovals(event.target.value)}
        />
        {approvalsError ? <p className={ui.error}>{approvalsError}</p> : null}
      </div>
      <p className={styles.links}>
        <button type="submit" className={ui.button} disabled={update.isPending}>
          {update.isPending ? t("saving") : t("saveCriteria")}
        </button>
        <button type="button" className={ui.secondary} onClick={onDone}>
          {t("cancel")}
        </button>
      </p>
      {update.error ? (
        <p className={ui.error} role="alert">
          {errorText(update.error)}
        </p>
      ) : null}
    </form>
  );
}
