"use client";
// Admin: erase one data subject. Dry run first (counts, and the dataset versions holding the key), then erase with a confirmation.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/auth/auth.module.css";
import type { ErasureCounts, SubjectKey } from "@/server/erasure/schema";
import { useErrorText } from "@/components/ui/use-error-text";

function CountsList({ counts, done }: { counts: ErasureCounts; done: boolean }) {
  const verb = done ? "Erased" : "Would erase";
  return (
    <ul data-testid={done ? "erasure-result" : "erasure-plan"}>
      <li>
        {verb}: {counts.inferenceEntriesDeleted} inference-log entries whole, the subject&apos;s rows in {counts.inferenceEntriesRedacted} batch entries (
        {counts.inferenceRows} rows in all{counts.models.length ? `, models: ${counts.models.join(", ")}` : ""}).
      </li>
      {counts.linkedRows.map((t) => (
        <li key={t.table}>
          {verb} {t.rows} rows of <code>{t.table}</code>.
        </li>
      ))}
      <li>
        Audit reference (SHA-256 of the key): <code>{counts.keyHash.slice(0, 16)}…</code>
      </li>
    </ul>
  );
}

/** Registers a new version of the dataset without the subject's rows (same masking); the old version stays until someone deletes it. */
function DeriveButton({ subject, dataset, version }: { subject: SubjectKey; dataset: string; version: number }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const derive = useMutation(trpc.erasure.deriveDatasetVersion.mutationOptions());
  if (derive.data) {
    return (
      <span role="status">
        <a href={`/datasets/${encodeURIComponent(dataset)}/versions/${derive.data.version}`}>Version {derive.data.version}</a> registered without {derive.data.rowsRemoved} row(s).
      </span>
    );
  }
  return (
    <>
      <button
        type="button"
        className={styles.secondary}
        disabled={derive.isPending}
        onClick={() => derive.mutate({ dataset, version, column: subject.column, value: subject.value })}
      >
        Derive a version without them
      </button>
      {derive.error ? (
        <span className={styles.error} role="alert">
          {" "}
          {errorText(derive.error)}
        </span>
      ) : null}
    </>
  );
}

export function ErasurePanel() {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [key, setKey] = useState<SubjectKey | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const plan = useQuery(trpc.erasure.plan.queryOptions(key ?? { column: "x", value: "x" }, { enabled: key !== null, staleTime: Infinity }));
  const datasets = useQuery(trpc.erasure.datasets.queryOptions(key ?? { column: "x", value: "x" }, { enabled: key !== null, staleTime: Infinity }));
  const erase = useMutation(trpc.erasure.erase.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.erasure.plan.pathKey() }) }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const modelName = String(form.get("model") ?? "").trim();
    setKey({ column: String(form.get("column") ?? "").trim(), value: String(form.get("value") ?? ""), ...(modelName ? { modelName } : {}) });
    setConfirmed(false);
    erase.reset();
    // "Find" again with the same key searches again: the log may have gained (or lost) rows since.
    void queryClient.invalidateQueries({ queryKey: trpc.erasure.pathKey() });
  }
  const nothing = plan.data && plan.data.inferenceRows === 0 && plan.data.linkedRows.every((t) => t.rows === 0);

  return (
    <>
      <form className={`${styles.section} ${styles.inline}`} onSubmit={submit} aria-label="Find a data subject">
        <div className={styles.field}>
          <label htmlFor="erasure-column">Key column (feature)</label>
          <input id="erasure-column" name="column" required placeholder="customer_id" />
        </div>
        <div className={styles.field}>
          <label htmlFor="erasure-value">Key value</label>
          <input id="erasure-value" name="value" required autoComplete="off" />
        </div>
        <div className={styles.field}>
          <label htmlFor="erasure-model">Model (blank: every model)</label>
          <input id="erasure-model" name="model" />
        </div>
        <button className={styles.button} type="submit">
          Find (dry run)
        </button>
      </form>
      {plan.error ? (
        <p className={styles.error} role="alert">
          {errorText(plan.error)}
        </p>
      ) : null}
      {plan.isFetching ? <p className={styles.hint}>Searching the inference log…</p> : null}
      {plan.data && key ? (
        <section className={styles.section} aria-labelledby="erasure-plan-title">
          <h2 id="erasure-plan-title">Dry run: nothing has changed yet</h2>
          <CountsList counts={plan.data} done={false} />
          {nothing ? (
            <p className={styles.hint}>Nothing of this subject is stored in the inference log or feedback. Check the column name and value, or the dataset versions below.</p>
          ) : erase.data ? null : (
            <>
              <label>
                <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> I understand the erasure cannot be undone
              </label>{" "}
              <button type="button" className={styles.danger} disabled={!confirmed || erase.isPending} onClick={() => erase.mutate(key)}>
                Erase
              </button>
            </>
          )}
          {erase.error ? (
            <p className={styles.error} role="alert">
              {errorText(erase.error)}
            </p>
          ) : null}
        </section>
      ) : null}
      {erase.data ? (
        <section className={styles.section} aria-labelledby="erasure-done-title" role="status">
          <h2 id="erasure-done-title">Erased</h2>
          <CountsList counts={erase.data} done />
          <p className={styles.hint}>The audit log records these counts and the key&apos;s hash, not the key or the erased values.</p>
        </section>
      ) : null}
      {key ? (
        <section className={styles.section} aria-labelledby="erasure-datasets-title">
          <h2 id="erasure-datasets-title">Dataset versions holding the key</h2>
          {datasets.isFetching ? <p className={styles.hint}>Searching the stored dataset files…</p> : null}
          {datasets.error ? (
            <p className={styles.error} role="alert">
              {errorText(datasets.error)}
            </p>
          ) : null}
          {datasets.data ? (
            <>
              <p className={styles.hint}>
                {datasets.data.searchedVersions} versions have a <code>{key.column}</code> column. Stored versions are never rewritten: derive a new version
                without these rows (same masking, filtered from the stored file), then delete the old one from its dataset page.
              </p>
              {datasets.data.matches.length === 0 ? <p>No dataset version holds this key.</p> : null}
              {datasets.data.matches.length > 0 ? (
                <table className={styles.table} aria-label="Dataset versions holding the key">
                  <thead>
                    <tr>
                      <th scope="col">Dataset</th>
                      <th scope="col">Version</th>
                      <th scope="col">Rows</th>
                      <th scope="col">Column stored as</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {datasets.data.matches.map((m) => (
                      <tr key={`${m.dataset}/${m.version}`}>
                        <td>
                          <a href={`/datasets/${encodeURIComponent(m.dataset)}/versions/${m.version}`}>{m.dataset}</a>
                        </td>
                        <td>{m.version}</td>
                        <td>{m.rows ?? "cannot tell (masked)"}</td>
                        <td>{m.columnMasking}</td>
                        <td>{m.rows ? <DeriveButton subject={key} dataset={m.dataset} version={m.version} /> : null}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              {datasets.data.unreadable.length ? <p className={styles.error}>Could not read: {datasets.data.unreadable.join(", ")}</p> : null}
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
