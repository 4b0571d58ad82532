"use client";
// One acceptance review: header, evaluation progress, the report in sentences and charts, criteria, comments, decisions and the criteria editor.
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
import { ReportSections, CriteriaTable, SummarySentences } from "./report-sections";
import { criteriaToForm, decisionLabels, formToCriteria, signOffHref, type CriteriaFormErrors } from "./review-format";
import styles from "./review.module.css";
import { ReviewStatusBadge } from "./status-badge";
import { ColumnMappingSection } from "./column-mapping";

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
      <ContextSection review={review} />
      <ColumnMappingSection mapping={review.columnMapping} />
      {review.report ? <ReportSections report={review.report} criteria={review.criteria} /> : null}
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
  const decide = useMutation(
    trpc.review.decide.mutationOptions({
      onSuccess: async () => {
        setComment("");
        await queryClient.invalidateQueries({ queryKey: trpc.review.pathKey() });
      },
    }),
  );
  const { canDecide, cannotDecideReason } = review.permissions;
  function submit(kind: DecisionKind, needsComment: boolean, label: string) {
    if (needsComment && comment.trim() === "") {
      setMissingComment(`Write a comment to ${label.toLowerCase()}: say what must change.`);
      return;
    }
    setMissingComment(null);
    decide.mutate({ id: review.id, decision: kind, comment: comment.trim() });
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
      <DecisionHistory decisions={review.decisions} />
    </section>
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
            <span className={decision.invalidatedAt ? styles.invalidated : undefined}>
              <strong>{decision.reviewer}</strong> {decisionLabels[decision.decision].toLowerCase()}{" "}
              <span className={styles.meta}>{formatTimestamp(decision.createdAt)}</span>
            </span>
            {decision.invalidatedAt ? <span className={styles.meta}> — criteria changed after this decision; it no longer counts</span> : null}
            {decision.comment ? <p className={`${styles.commentBody} ${decision.invalidatedAt ? styles.invalidated : ""}`}>{decision.comment}</p> : null}
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
