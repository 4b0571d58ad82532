"use client";
// Admin: erase one data subject. Dry run first (counts, and the dataset versions holding the key), then erase with a confirmation.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent, type ReactNode } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/auth/auth.module.css";
import type { ErasureCounts, SubjectKey } from "@/server/erasure/schema";
import { useErrorText } from "@/components/ui/use-error-text";

const code = (chunks: ReactNode) => <code>{chunks}</code>;

function CountsList({ counts, done }: { counts: ErasureCounts; done: boolean }) {
  const t = useTranslations("erasure.counts");
  const inference = { deleted: counts.inferenceEntriesDeleted, redacted: counts.inferenceEntriesRedacted, rows: counts.inferenceRows };
  return (
    <ul data-testid={done ? "erasure-result" : "erasure-plan"}>
      <li>
        {counts.models.length
          ? t(done ? "doneInferenceModels" : "planInferenceModels", { ...inference, models: counts.models.join(", ") })
          : t(done ? "doneInference" : "planInference", inference)}
      </li>
      {counts.linkedRows.map((linked) => (
        <li key={linked.table}>{t.rich(done ? "doneLinked" : "planLinked", { rows: linked.rows, table: linked.table, code })}</li>
      ))}
      <li>{t.rich("auditReference", { hash: counts.keyHash.slice(0, 16), code })}</li>
    </ul>
  );
}

/** Registers a new version of the dataset without the subject's rows (same masking); the old version stays until someone deletes it. */
function DeriveButton({ subject, dataset, version }: { subject: SubjectKey; dataset: string; version: number }) {
  const errorText = useErrorText();
  const t = useTranslations("erasure.datasets");
  const trpc = useTRPC();
  const derive = useMutation(trpc.erasure.deriveDatasetVersion.mutationOptions());
  if (derive.data) {
    return (
      <span role="status">
        {t.rich("derived", {
          version: derive.data.version,
          rows: derive.data.rowsRemoved,
          link: (chunks) => <a href={`/datasets/${encodeURIComponent(dataset)}/versions/${derive.data.version}`}>{chunks}</a>,
        })}
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
        {t("derive")}
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
  const t = useTranslations("erasure");
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
      <form className={`${styles.section} ${styles.inline}`} onSubmit={submit} aria-label={t("find.form")}>
        <div className={styles.field}>
          <label htmlFor="erasure-column">{t("find.column")}</label>
          <input id="erasure-column" name="column" required placeholder="customer_id" />
        </div>
        <div className={styles.field}>
          <label htmlFor="erasure-value">{t("find.value")}</label>
          <input id="erasure-value" name="value" required autoComplete="off" />
        </div>
        <div className={styles.field}>
          <label htmlFor="erasure-model">{t("find.model")}</label>
          <input id="erasure-model" name="model" />
        </div>
        <button className={styles.button} type="submit">
          {t("find.submit")}
        </button>
      </form>
      {plan.error ? (
        <p className={styles.error} role="alert">
          {errorText(plan.error)}
        </p>
      ) : null}
      {plan.isFetching ? <p className={styles.hint}>{t("find.searching")}</p> : null}
      {plan.data && key ? (
        <section className={styles.section} aria-labelledby="erasure-plan-title">
          <h2 id="erasure-plan-title">{t("plan.title")}</h2>
          <CountsList counts={plan.data} done={false} />
          {nothing ? (
            <p className={styles.hint}>{t("plan.nothing")}</p>
          ) : erase.data ? null : (
            <>
              <label>
                <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {t("plan.confirm")}
              </label>{" "}
              <button type="button" className={styles.danger} disabled={!confirmed || erase.isPending} onClick={() => erase.mutate(key)}>
                {t("plan.erase")}
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
          <h2 id="erasure-done-title">{t("done.title")}</h2>
          <CountsList counts={erase.data} done />
          <p className={styles.hint}>{t("done.hint")}</p>
        </section>
      ) : null}
      {key ? (
        <section className={styles.section} aria-labelledby="erasure-datasets-title">
          <h2 id="erasure-datasets-title">{t("datasets.title")}</h2>
          {datasets.isFetching ? <p className={styles.hint}>{t("datasets.searching")}</p> : null}
          {datasets.error ? (
            <p className={styles.error} role="alert">
              {errorText(datasets.error)}
            </p>
          ) : null}
          {datasets.data ? (
            <>
              <p className={styles.hint}>{t.rich("datasets.searched", { count: datasets.data.searchedVersions, column: key.column, code })}</p>
              {datasets.data.matches.length === 0 ? <p>{t("datasets.none")}</p> : null}
              {datasets.data.matches.length > 0 ? (
                <table className={styles.table} aria-label={t("datasets.table")}>
                  <thead>
                    <tr>
                      <th scope="col">{t("datasets.dataset")}</th>
                      <th scope="col">{t("datasets.version")}</th>
                      <th scope="col">{t("datasets.rows")}</th>
                      <th scope="col">{t("datasets.storedAs")}</th>
                      <th scope="col">{t("datasets.actions")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {datasets.data.matches.map((m) => (
                      <tr key={`${m.dataset}/${m.version}`}>
                        <td>
                          <a href={`/datasets/${encodeURIComponent(m.dataset)}/versions/${m.version}`}>{m.dataset}</a>
                        </td>
                        <td>{m.version}</td>
                        <td>{m.rows ?? t("datasets.rowsUnknown")}</td>
                        <td>{m.columnMasking}</td>
                        <td>{m.rows ? <DeriveButton subject={key} dataset={m.dataset} version={m.version} /> : null}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              {datasets.data.unreadable.length ? <p className={styles.error}>{t("datasets.unreadable", { names: datasets.data.unreadable.join(", ") })}</p> : null}
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
