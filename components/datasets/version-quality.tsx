"use client";
// The version's quality: each rule's result with counts and sample offending rows; writers re-check with current rules or mark/clear "failed quality".
import { useMutation } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import type { DatasetVersionDetail, QualityResultOutput } from "@/server/datasets/schema";
import { formatPreviewCell } from "./profile-format";
import { formatCount } from "./format-bytes";
import { QualityBadge } from "./quality-badge";
import styles from "./version-pages.module.css";

export function VersionQuality({
  detail,
  canWrite,
  onChanged,
}: {
  detail: DatasetVersionDetail;
  canWrite: boolean;
  /** Called with the version as the server returns it after a re-check or a mark, so the page updates at once. */
  onChanged: (detail: DatasetVersionDetail) => void;
}) {
  const trpc = useTRPC();
  const key = { name: detail.datasetName, version: detail.version };
  const recheck = useMutation(trpc.datasets.recheckQuality.mutationOptions({ onSuccess: onChanged }));
  const results = detail.qualityResults ?? [];
  const datasetHref = `/datasets/${encodeURIComponent(detail.datasetName)}`;

  return (
    <>
      <p>
        Status: <QualityBadge status={detail.qualityStatus} reason={null} />
        {detail.qualityReason ? <span className={styles.message}> — {detail.qualityReason}</span> : null}
      </p>
      {canWrite ? (
        <div className={ui.toolbar}>
          <button type="button" className={ui.secondary} disabled={recheck.isPending} onClick={() => recheck.mutate(key)}>
            {recheck.isPending ? "Re-checking…" : "Re-check with current rules"}
          </button>
        </div>
      ) : null}
      {recheck.error ? (
        <p className={ui.error} role="alert">
          The re-check failed: {recheck.error.message} Try again, or check the rules on the <Link href={datasetHref}>dataset page</Link>.
        </p>
      ) : null}

      {detail.qualityStatus === "pending" && !results.length ? (
        detail.profileStatus === "failed" ? (
          <p className={ui.muted}>No results: the rules run after profiling, and profiling failed. Register a corrected file as a new version.</p>
        ) : (
          <p role="status">The rules are evaluated once profiling is done; results appear here by themselves.</p>
        )
      ) : results.length === 0 ? (
        <section className={ui.panel} aria-label="No quality rules">
          <p>
            No rules declared: add them on the <Link href={datasetHref}>dataset page</Link>, then re-check this version.
          </p>
        </section>
      ) : (
        <>
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-label="Quality results">
              <thead>
                <tr>
                  <th scope="col">Result</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Column</th>
                  <th scope="col" className={ui.num}>Failing</th>
                  <th scope="col" className={ui.num}>Checked</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {results.map((result) => (
                  <tr key={result.ruleId}>
                    <td>
                      <span className={`${styles.badge} ${result.passed ? styles.passed : styles.failed}`}>{result.passed ? "pass" : "fail"}</span>
                    </td>
                    <td>{result.kind.replace(/_/g, " ")}</td>
                    <td>{result.column}</td>
                    <td className={ui.num}>{formatCount(result.failingCount)}</td>
                    <td className={ui.num}>{formatCount(result.checkedCount)}</td>
                    <td className={ui.wrap}>{result.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {results
            .filter((result) => result.sampleRows.length > 0)
            .map((result) => (
              <SampleRows key={result.ruleId} result={result} />
            ))}
        </>
      )}

      {canWrite ? <QualityMark detail={detail} onChanged={onChanged} /> : null}
    </>
  );
}

function SampleRows({ result }: { result: QualityResultOutput }) {
  const columns = [...new Set(result.sampleRows.flatMap((row) => Object.keys(row)))];
  const label = `Sample offending rows: ${result.kind.replace(/_/g, " ")} on ${result.column}`;
  return (
    <details className={styles.result}>
      <summary>
        {label} ({result.sampleRows.length} of {formatCount(result.failingCount)})
      </summary>
      <div className={`${ui.tableWrap} ${styles.sampleTable}`}>
        <table className={ui.table} aria-label={label}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.sampleRows.map((row, i) => (
              <tr key={i}>
                {columns.map((column) => {
                  const value = row[column] ?? null;
                  return (
                    <td key={column} className={value === null ? styles.nullCell : undefined}>
                      {formatPreviewCell(value)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Marking needs a reason (it is shown wherever the version is used); clearing may give one. */
function QualityMark({ detail, onChanged }: { detail: DatasetVersionDetail; onChanged: (detail: DatasetVersionDetail) => void }) {
  const trpc = useTRPC();
  const reasonId = useId();
  const errorId = useId();
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const mark = useMutation(
    trpc.datasets.markQuality.mutationOptions({
      onSuccess: (updated) => {
        setReason("");
        onChanged(updated);
      },
    }),
  );
  const failed = detail.qualityStatus === "failed";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = reason.trim();
    if (!failed && !text) {
      setMissing(true);
      return;
    }
    setMissing(false);
    mark.mutate({ name: detail.datasetName, version: detail.version, failed: !failed, reason: text });
  }

  const message = missing ? "Give a reason: it is shown wherever this version is used." : mark.error?.message;
  return (
    <form className={`${ui.panel} ${styles.form}`} onSubmit={submit} aria-label={failed ? "Clear the failed-quality mark" : "Mark as failed quality"} noValidate>
      <p className={ui.panelTitle}>
        <strong>{failed ? "Clear the mark" : "Mark as failed quality"}</strong>
      </p>
      <label htmlFor={reasonId}>{failed ? "Reason for clearing (optional)" : "Reason (required)"}</label>
      <textarea
        id={reasonId}
        className={styles.textarea}
        value={reason}
        maxLength={2000}
        required={!failed}
        aria-invalid={missing || undefined}
        aria-describedby={message ? errorId : undefined}
        onChange={(event) => {
          setReason(event.target.value);
          if (missing && event.target.value.trim()) setMissing(false);
        }}
      />
      {message ? (
        <p id={errorId} className={ui.error} role="alert">
          {message}
        </p>
      ) : null}
      <p>
        <button type="submit" className={failed ? ui.secondary : ui.danger} disabled={mark.isPending}>
          {mark.isPending ? "Saving…" : failed ? "Clear the mark" : "Mark as failed quality"}
        </button>
      </p>
    </form>
  );
}
