"use client";
// One acceptance review: header, evaluation progress, the report in sentences and charts, criteria and their revisions,
// exceptions, comments, decisions (with exceptions and withdrawal) and the criteria editor.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useRef, useState, type FormEvent } from "react";
import { datasetVersionHref, modelVersionHref } from "@/components/models/model-format";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { reviewSummarySentences } from "@/lib/review-sentences";
import type { DecisionKind, ReviewDetail } from "@/server/review/schema";
import { CriteriaEditor } from "./criteria-editor";
import { ApprovalExceptions, CriteriaRevisions, exceptionCount } from "./review-evidence";
import { ReportSections, CriteriaTable, SummarySentences } from "./report-sections";
import { criteriaToForm, decisionLabels, formToCriteria, signOffHref, type CriteriaFormErrors } from "./review-format";
import styles from "./review.module.css";
import { ReviewStatusBadge } from "./status-badge";
import { ColumnMappingSection } from "./column-mapping";
import { ExplanationsSection } from "./explanations-section";
import { ValueSection } from "./value-section";

/** While the evaluation runs the page asks again every second; once ready it stops. */
export function isReviewEvaluating(review: Pick<ReviewDetail, "status" | "evaluationError">): boolean {
  return (review.status === "draft" || review.status === "evaluating") && !review.evaluationError;
}

export function ReviewPage({ id }: { id: number }) {
  const trpc = useTRPC();
  const review = useQuery(
    trpc.review.get.queryOptions({ id }, { refetchInterval: (query) => (query.state.data && isReviewEvaluating(query.state.data) ? 1000 : false) }),
  );
  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/reviews">Reviews</Link> /
    </p>
  );
  if (review.error || review.isPending) {
    return (
      <>
        {breadcrumb}
        <h1>Review #{id}</h1>
        {review.error ? <QueryError error={review.error} onRetry={() => void review.refetch()} /> : <p role="status">Loading the review…</p>}
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
  const sentences = review.report ? reviewSummarySentences(review.report, review.criteria, review.criteriaResults) : [];
  return (
    <>
      <ReviewHeader review={review} />
      <EvaluationState review={review} />
      {review.trainingOverlap ? (
        <section className={styles.warning} aria-label="Training data warning">
          <p>
            <strong>The evaluation dataset overlaps the training data.</strong> {review.trainingOverlap} Scores on data the model has seen are optimistic.
          </p>
        </section>
      ) : null}
      {review.report ? <SummarySentences sentences={sentences} /> : null}
      <CriteriaTable results={review.criteriaResults} criteria={review.criteria} />
      {review.permissions.canEditCriteria ? <EditCriteria review={review} /> : null}
      {review.status === "approved" ? (
        <p className={ui.muted}>The criteria are final: this review is approved. To judge this version against other criteria, request a new review.</p>
      ) : null}
      <section aria-labelledby="review-revisions">
        <h2 id="review-revisions">Criteria revisions</h2>
        <CriteriaRevisions revisions={review.revisions} headingId="review-revisions" />
      </section>
      {review.exceptions.length ? (
        <section aria-labelledby="review-exceptions">
          <h2 id="review-exceptions">
            Exceptions ({exceptionCount(review.exceptions)} failing criteri{exceptionCount(review.exceptions) === 1 ? "on" : "a"} accepted)
          </h2>
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
  return (
    <>
      <div className={styles.headerRow}>
        <h1>
          Review #{review.id}: {review.modelName}@{review.modelVersion}
        </h1>
        <ReviewStatusBadge status={review.status} />
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>Model version</dt>
          <dd>
            <Link href={modelVersionHref(review.modelName, review.modelVersion)}>
              {review.modelName}@{review.modelVersion}
            </Link>
          </dd>
        </div>
        <div>
          <dt>Evaluation dataset</dt>
          <dd>
            <Link href={datasetVersionHref(review.datasetName, review.datasetVersion)}>
              {review.datasetName}@{review.datasetVersion}
            </Link>
          </dd>
        </div>
        <div>
          <dt>Requested</dt>
          <dd>
            by {review.requestedBy}, {formatTimestamp(review.createdAt)}
          </dd>
        </div>
        <div>
          <dt>Approvals</dt>
          <dd>
            {review.approvals}/{review.requiredApprovals}
          </dd>
        </div>
        <div>
          <dt>Label column</dt>
          <dd>
            <code>{review.labelColumn}</code>
          </dd>
        </div>
        <div>
          <dt>Sensitive attributes</dt>
          <dd>{review.sensitiveAttributes.length ? review.sensitiveAttributes.join(", ") : <span className={ui.muted}>none</span>}</dd>
        </div>
      </dl>
      <p className={styles.links}>
        <Link href={signOffHref(review.id)}>Printable sign-off sheet</Link>
      </p>
    </>
  );
}

function EvaluationState({ review }: { review: ReviewDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rerun = useMutation(
    trpc.review.reevaluate.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.review.pathKey() }) }),
  );
  if (review.evaluationError) {
    return (
      <section className={styles.warning} role="alert" aria-label="Evaluation failed">
        <h2>The evaluation failed</h2>
        <p>{review.evaluationError}</p>
        {review.permissions.canReevaluate ? (
          <p>
            <button type="button" className={ui.button} disabled={rerun.isPending} onClick={() => rerun.mutate({ id: review.id })}>
              {rerun.isPending ? "Starting…" : "Re-run evaluation"}
            </button>
          </p>
        ) : (
          <p>The requester or an admin can re-run it once the cause is fixed.</p>
        )}
        {rerun.error ? <p className={ui.error}>{rerun.error.message}</p> : null}
      </section>
    );
  }
  if (!isReviewEvaluating(review)) return null;
  const progress = review.job ? Math.max(0, Math.min(1, review.job.progress)) : 0;
  return (
    <section className={ui.panel} aria-label="Evaluation progress">
      <p role="status">
        {review.status === "draft" ? "Waiting for the evaluator" : "Evaluating"}
        {review.job?.stage ? `: ${review.job.stage}` : ""} — {Math.round(progress * 100)}%
      </p>
      <progress className={styles.progress} max={1} value={progress} aria-label="Evaluation progress" />
    </section>
  );
}

function ContextSection({ review }: { review: ReviewDetail }) {
  const entries = [
    ["Business goal", review.context.businessGoal],
    ["Expected ROI", review.context.expectedRoi],
    ["Known limits", review.context.knownLimits],
  ].filter(([, text]) => text.trim() !== "");
  if (entries.length === 0) return null;
  return (
    <section aria-label="Context">
      <h2>Context</h2>
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

const decisionButtons: readonly { kind: DecisionKind; label: string; needsComment: boolean }[] = [
  { kind: "approve", label: "Approve", needsComment: false },
  { kind: "request_changes", label: "Request changes", needsComment: true },
  { kind: "reject", label: "Reject", needsComment: true },
];

function DecisionPanel({ review }: { review: ReviewDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
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
  const { canDecide, cannotDecideReason } = review.permissions;
  const failing = (review.criteriaResults ?? []).filter((result) => !result.passed);
  function submit(kind: DecisionKind, needsComment: boolean, label: string) {
    if (needsComment && comment.trim() === "") {
      setMissingComment(`Write a comment to ${label.toLowerCase()}: say what must change.`);
      return;
    }
    setMissingComment(null);
    if (kind === "approve") {
      const unjustified = failing.filter((result) => !(justifications[result.key] ?? "").trim());
      if (unjustified.length) {
        setMissingJustification(`To approve while ${unjustified.map((r) => r.description).join(", ")} fail${unjustified.length === 1 ? "s" : ""}, justify each below.`);
        return;
      }
    }
    setMissingJustification(null);
    const exceptions = kind === "approve" ? failing.map((result) => ({ key: result.key, justification: justifications[result.key]!.trim() })) : [];
    decide.mutate({ id: review.id, decision: kind, comment: comment.trim(), exceptions });
  }
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Decision</h2>
      <div className={ui.panel}>
        {!canDecide && cannotDecideReason ? (
          <p id={`${ids}-reason`} className={ui.muted}>
            {cannotDecideReason}
          </p>
        ) : null}
        <div className={ui.field}>
          <label htmlFor={`${ids}-comment`}>Decision comment</label>
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
            Required to reject or request changes; optional to approve.
          </p>
          {missingComment ? (
            <p id={`${ids}-missing`} className={ui.error} role="alert">
              {missingComment}
            </p>
          ) : null}
        </div>
        {canDecide && failing.length ? (
          <fieldset className={styles.exceptions}>
            <legend>
              Approving despite {failing.length} failing criteri{failing.length === 1 ? "on" : "a"}: an exception for each
            </legend>
            <p className={styles.hint}>An approval with a failing criterion is recorded as an exception, shown on the review, the sign-off sheet and the Deployments gate.</p>
            {failing.map((result) => (
              <div key={result.key} className={ui.field}>
                <label htmlFor={`${ids}-exception-${result.key}`}>Why approve although {result.description} fails?</label>
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
              onClick={() => submit(button.kind, button.needsComment, button.label)}
            >
              {button.label}
            </button>
          ))}
        </div>
        {decide.error ? (
          <p className={ui.error} role="alert">
            {decide.error.message}
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
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
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
          Your approval is withdrawn.
          {withdraw.data.holdsProduction ? (
            <>
              {" "}
              This version serves production: it is flagged on the <Link href="/deployments">Deployments page</Link>, which offers the rollback.
            </>
          ) : null}
        </p>
      ) : null}
      {!offered ? null : open ? (
        <form onSubmit={submit} aria-label="Withdraw my approval">
          <div className={ui.field}>
            <label htmlFor={`${ids}-reason`}>Why do you withdraw your approval?</label>
            <textarea id={`${ids}-reason`} className={styles.textarea} value={reason} maxLength={10_000} onChange={(event) => setReason(event.target.value)} />
          </div>
          <p className={styles.links}>
            <button type="submit" className={ui.danger} disabled={withdraw.isPending || !reason.trim()}>
              {withdraw.isPending ? "Withdrawing…" : "Confirm withdrawal"}
            </button>
            <button type="button" className={ui.secondary} onClick={() => setOpen(false)}>
              Cancel
            </button>
          </p>
          {withdraw.error ? (
            <p className={ui.error} role="alert">
              {withdraw.error.message}
            </p>
          ) : null}
        </form>
      ) : (
        <p>
          <button type="button" className={ui.secondary} onClick={() => setOpen(true)}>
            Withdraw my approval
          </button>
        </p>
      )}
    </div>
  );
}

export function DecisionHistory({ decisions }: { decisions: ReviewDetail["decisions"] }) {
  if (decisions.length === 0) return <p className={ui.muted}>No decision yet.</p>;
  return (
    <ol className={styles.thread} aria-label="Decisions">
      {[...decisions]
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((decision) => (
          <li key={decision.id} className={styles.comment}>
            <span className={decision.invalidatedAt || decision.withdrawnAt ? styles.invalidated : undefined}>
              <strong>{decision.reviewer}</strong> {decisionLabels[decision.decision].toLowerCase()}
              {decision.exceptions.length ? ` with ${decision.exceptions.length} exception${decision.exceptions.length === 1 ? "" : "s"}` : ""}{" "}
              <span className={styles.meta}>
                {formatTimestamp(decision.createdAt)}, criteria revision {decision.criteriaRevision}
              </span>
            </span>
            {decision.invalidatedAt ? <span className={styles.meta}> — criteria changed after this decision; it no longer counts</span> : null}
            {decision.comment ? <p className={`${styles.commentBody} ${decision.invalidatedAt ? styles.invalidated : ""}`}>{decision.comment}</p> : null}
            {decision.exceptions.length ? (
              <ul aria-label={`Exceptions granted by ${decision.reviewer}`}>
                {decision.exceptions.map((exception) => (
                  <li key={exception.criterionKey} className={styles.commentBody}>
                    Exception for {exception.criterion} ({exception.result}): {exception.justification}
                  </li>
                ))}
              </ul>
            ) : null}
            {decision.withdrawnAt ? (
              <p className={styles.commentBody}>
                <strong>Withdrawn</strong> by {decision.withdrawnBy}, {formatTimestamp(decision.withdrawnAt)}: {decision.withdrawalReason}
              </p>
            ) : null}
          </li>
        ))}
    </ol>
  );
}

function CommentsThread({ review }: { review: ReviewDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
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
      <h2 id={`${ids}-title`}>Comments</h2>
      {review.comments.length ? (
        <ol className={styles.thread} aria-label="Comments">
          {[...review.comments]
            .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
            .map((entry) => (
              <li key={entry.id} className={styles.comment}>
                <strong>{entry.author}</strong> <span className={styles.meta}>{formatTimestamp(entry.createdAt)}</span>
                {/* Plain text: React escapes it, and no markdown or HTML is interpreted. */}
                <p className={styles.commentBody}>{entry.body}</p>
              </li>
            ))}
        </ol>
      ) : (
        <p className={ui.muted}>No comments yet. Ask a question or note a concern for the requester and the other reviewers.</p>
      )}
      {!review.permissions.canComment ? (
        <p className={ui.muted}>Your role can read this thread; commenting needs the editor, reviewer or admin role.</p>
      ) : null}
      {review.permissions.canComment ? (
        <form onSubmit={submit} aria-label="Add a comment">
          <div className={ui.field}>
            <label htmlFor={`${ids}-body`}>Your comment</label>
            <textarea id={`${ids}-body`} className={styles.textarea} value={body} maxLength={10_000} onChange={(event) => setBody(event.target.value)} />
          </div>
          <p>
            <button type="submit" className={ui.button} disabled={comment.isPending || body.trim() === ""}>
              Comment
            </button>
          </p>
          {comment.error ? (
            <p className={ui.error} role="alert">
              {comment.error.message}
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
  return (
    <>
      <p>
        <button type="button" className={ui.secondary} onClick={() => dialog.current?.showModal()}>
          Edit criteria
        </button>
      </p>
      <dialog ref={dialog} className={styles.dialog} aria-labelledby={`${ids}-title`}>
        <h2 id={`${ids}-title`} className={ui.panelTitle}>
          Edit the acceptance criteria
        </h2>
        <EditCriteriaForm key={review.criteriaRevision} review={review} onDone={() => dialog.current?.close()} />
      </dialog>
    </>
  );
}

function EditCriteriaForm({ review, onDone }: { review: ReviewDetail; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
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
    const parsed = formToCriteria(criteria);
    setErrors(parsed.errors ?? {});
    const required = Number(approvals);
    const badApprovals = !Number.isInteger(required) || required < 1 || required > 10;
    setApprovalsError(badApprovals ? "Enter a whole number from 1 to 10" : null);
    if (!parsed.criteria || badApprovals) return;
    update.mutate({ id: review.id, criteria: parsed.criteria, requiredApprovals: required });
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Edit the acceptance criteria">
      <p className={styles.warning} role="note">
        Saving new criteria checks the report against them again and invalidates every decision made so far
        {activeApprovals ? ` (${activeApprovals} approval${activeApprovals === 1 ? "" : "s"})` : ""}: reviewers must decide again.
      </p>
      <CriteriaEditor task={review.report?.task ?? null} value={criteria} onChange={setCriteria} errors={errors} />
      <div className={ui.field}>
        <label htmlFor={`${ids}-approvals`}>Required approvals</label>
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
          {update.isPending ? "Saving…" : "Save criteria"}
        </button>
        <button type="button" className={ui.secondary} onClick={onDone}>
          Cancel
        </button>
      </p>
      {update.error ? (
        <p className={ui.error} role="alert">
          {update.error.message}
        </p>
      ) : null}
    </form>
  );
}
