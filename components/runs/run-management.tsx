"use client";
// Run management on the run page for those who may write: rename, delete (asked first) and restore, edit tags; the run's parent and children; its logged models.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { modelVersionHref } from "@/components/models/model-format";
import { RegisterFromRun } from "@/components/models/register-from-run";
import { useTRPC } from "@/components/trpc-provider";
import { InlineEditForm } from "@/components/ui/inline-edit-form";
import { QueryError } from "@/components/ui/query-error";
import styles from "@/components/ui/ui.module.css";
import type { KeyValue } from "@/server/tracking/schema";
import page from "./run-page.module.css";

function useInvalidateRun(runId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.tracking.run.queryKey({ runId }) });
    // The runs table and compare view show names, tags and deleted state too.
    void queryClient.invalidateQueries({ queryKey: trpc.tracking.runsTable.pathKey() });
  };
}

/** An inline edit's mutation options: once saved, the run is refreshed wherever it shows, then the form closes. */
function useCloseWhenSaved(runId: string, onDone: () => void) {
  const invalidate = useInvalidateRun(runId);
  return {
    onSuccess: async () => {
      await invalidate();
      onDone();
    },
  };
}

/** Rename, and delete or restore: shown only to those who may write runs. */
export function RunActions({ runId, runName, deleted }: { runId: string; runName: string; deleted: boolean }) {
  const t = useTranslations("runPage.actions");
  const canWrite = usePermission("tracking.write");
  const trpc = useTRPC();
  const invalidate = useInvalidateRun(runId);
  const [renaming, setRenaming] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const lifecycle = useMutation(trpc.tracking.setRunDeleted.mutationOptions({ onSuccess: invalidate }));
  const questionId = useId();
  if (!canWrite) return null;
  if (renaming) return <RenameRunForm runId={runId} runName={runName} onDone={() => setRenaming(false)} />;
  return (
    <div className={styles.actions}>
      {deleted ? (
        <button type="button" className={styles.secondary} disabled={lifecycle.isPending} onClick={() => lifecycle.mutate({ runId, deleted: false })}>
          {t("restore")}
        </button>
      ) : confirmingDelete ? (
        <span role="alertdialog" aria-labelledby={questionId} className={styles.actions}>
          <span id={questionId}>{t("deleteQuestion", { name: runName })}</span>
          <button
            type="button"
            className={styles.danger}
            autoFocus
            onClick={() => {
              setConfirmingDelete(false);
              lifecycle.mutate({ runId, deleted: true });
            }}
          >
            {t("confirmDelete")}
          </button>
          <button type="button" className={styles.secondary} onClick={() => setConfirmingDelete(false)}>
            {t("keep")}
          </button>
        </span>
      ) : (
        <>
          <button type="button" className={styles.secondary} onClick={() => setRenaming(true)}>
            {t("rename")}
          </button>
          <button type="button" className={styles.danger} onClick={() => setConfirmingDelete(true)}>
            {t("delete")}
          </button>
        </>
      )}
      {lifecycle.error ? (
        <p className={styles.error} role="alert">
          {lifecycle.error.message}
        </p>
      ) : null}
    </div>
  );
}

function RenameRunForm({ runId, runName, onDone }: { runId: string; runName: string; onDone: () => void }) {
  const t = useTranslations("runPage.actions");
  const trpc = useTRPC();
  const closeWhenSaved = useCloseWhenSaved(runId, onDone);
  const [name, setName] = useState(runName);
  const rename = useMutation(trpc.tracking.renameRun.mutationOptions(closeWhenSaved));
  const id = useId();
  return (
    <InlineEditForm
      saveLabel={t("saveName")}
      onSave={() => rename.mutate({ runId, name })}
      onCancel={onDone}
      pending={rename.isPending}
      error={rename.error?.message ?? null}
      errorId={`${id}-error`}
    >
      <label htmlFor={id}>{t("newName")}</label>
      <input
        id={id}
        className={styles.input}
        value={name}
        autoFocus
        maxLength={250}
        onChange={(event) => setName(event.target.value)}
        aria-invalid={rename.error ? true : undefined}
        aria-describedby={rename.error ? `${id}-error` : undefined}
      />
    </InlineEditForm>
  );
}

/** The run's tags; writers may add, change and delete their own (MLflow's `mlflow.*` tags are shown, not edited). */
export function RunTags({ runId, tags, writable }: { runId: string; tags: KeyValue[]; writable: boolean }) {
  const t = useTranslations("runPage.tags");
  const canWrite = usePermission("tracking.write") && writable;
  const trpc = useTRPC();
  const invalidate = useInvalidateRun(runId);
  const [editing, setEditing] = useState<string | null>(null);
  // A form closes only itself: a save that finishes after the user opened another form must not close that one.
  const closeForm = (form: string) => setEditing((current) => (current === form ? null : current));
  const remove = useMutation(trpc.tracking.deleteRunTag.mutationOptions({ onSuccess: invalidate }));
  const sorted = [...tags].sort((a, b) => a.key.localeCompare(b.key));
  const editable = (key: string) => canWrite && !key.toLowerCase().startsWith("mlflow.");
  return (
    <section aria-labelledby="run-tags">
      <h2 id="run-tags">{t("title")}</h2>
      {sorted.length ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{t("key")}</th>
                <th scope="col">{t("value")}</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">{t("actions")}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {sorted.map((tag) => (
                <tr key={tag.key}>
                  <td>{tag.key}</td>
                  <td className={styles.wrap}>
                    {editing === tag.key ? <TagForm runId={runId} initial={tag} onDone={() => closeForm(tag.key)} /> : tag.value}
                  </td>
                  {canWrite ? (
                    <td>
                      {editable(tag.key) && editing !== tag.key ? (
                        <div className={styles.actions}>
                          <button type="button" className={styles.secondary} onClick={() => setEditing(tag.key)}>
                            {t("edit")}<span className="visually-hidden"> {t("tagNamed", { key: tag.key })}</span>
                          </button>
                          <button type="button" className={styles.danger} disabled={remove.isPending} onClick={() => remove.mutate({ runId, key: tag.key })}>
                            {t("delete")}<span className="visually-hidden"> {t("tagNamed", { key: tag.key })}</span>
                          </button>
                        </div>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={styles.muted}>{t("none")}</p>
      )}
      {remove.error ? (
        <p className={styles.error} role="alert">
          {remove.error.message}
        </p>
      ) : null}
      {canWrite ? editing === "" ? <TagForm runId={runId} initial={null} onDone={() => closeForm("")} /> : (
        <button type="button" className={styles.secondary} onClick={() => setEditing("")}>
          {t("add")}
        </button>
      ) : null}
    </section>
  );
}

/** Adds a tag (key and value) or changes the value of an existing one. */
function TagForm({ runId, initial, onDone }: { runId: string; initial: KeyValue | null; onDone: () => void }) {
  const t = useTranslations("runPage.tags");
  const trpc = useTRPC();
  const closeWhenSaved = useCloseWhenSaved(runId, onDone);
  const [key, setKey] = useState(initial?.key ?? "");
  const [value, setValue] = useState(initial?.value ?? "");
  const save = useMutation(trpc.tracking.setRunTag.mutationOptions(closeWhenSaved));
  const id = useId();
  return (
    <InlineEditForm
      className={page.tagForm}
      saveLabel={t("save")}
      onSave={() => save.mutate({ runId, key, value })}
      onCancel={onDone}
      pending={save.isPending}
      error={save.error?.message ?? null}
      errorId={`${id}-error`}
    >
      {initial ? null : (
        <>
          <label htmlFor={`${id}-key`}>{t("newKey")}</label>
          <input id={`${id}-key`} className={styles.input} value={key} autoFocus maxLength={250} required onChange={(event) => setKey(event.target.value)} />
        </>
      )}
      <label htmlFor={`${id}-value`}>{initial ? t("valueOf", { key: initial.key }) : t("newValue")}</label>
      <input
        id={`${id}-value`}
        className={styles.input}
        value={value}
        autoFocus={Boolean(initial)}
        maxLength={8000}
        onChange={(event) => setValue(event.target.value)}
        aria-invalid={save.error ? true : undefined}
        aria-describedby={save.error ? `${id}-error` : undefined}
      />
    </InlineEditForm>
  );
}

/** Nested runs: the parent this run was started under (mlflow.parentRunId) and the runs started under it. */
export function RunFamily({ runId }: { runId: string }) {
  const t = useTranslations("runPage.family");
  const trpc = useTRPC();
  const family = useQuery(trpc.tracking.runFamily.queryOptions({ runId }));
  if (family.error) return <QueryError error={family.error} onRetry={() => void family.refetch()} />;
  if (family.isPending) return null;
  const { parent, missingParentId, children } = family.data;
  if (!parent && !missingParentId && !children.length) return null;
  return (
    <section className={styles.panel} aria-labelledby="run-family">
      <h2 id="run-family" className={styles.panelTitle}>
        {t("title")}
      </h2>
      {parent ? (
        <p>
          {t("parent")} <Link href={`/experiments/${parent.experimentId}/runs/${parent.runId}`}>{parent.runName || parent.runId}</Link>
          {parent.deleted ? <span className={styles.badge}>{t("deleted")}</span> : null}
        </p>
      ) : missingParentId ? (
        <p className={styles.muted}>
          {t.rich("missingParent", { id: missingParentId, code: (chunks) => <code>{chunks}</code> })}
        </p>
      ) : null}
      {children.length ? (
        <>
          <h3 className={page.subheading}>
            {children.length === 1000 ? t("childrenCapped", { count: children.length }) : t("children", { count: children.length })}
          </h3>
          <ul aria-label={t("childrenLabel")}>
            {children.map((child) => (
              <li key={child.runId}>
                <Link href={`/experiments/${child.experimentId}/runs/${child.runId}`}>{child.runName || child.runId}</Link>{" "}
                <span className={`${styles.status} ${styles[child.status] ?? ""}`}>{child.status}</span>
                {child.deleted ? <span className={styles.badge}>{t("deleted")}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** The MLflow models the run logged (log_model), each with its flavours, its registered versions and Register. */
export function RunLoggedModels({ runId, runName }: { runId: string; runName: string }) {
  const t = useTranslations("runPage.loggedModels");
  const trpc = useTRPC();
  const models = useQuery(trpc.tracking.runLoggedModels.queryOptions({ runId }));
  if (models.error) return <QueryError error={models.error} onRetry={() => void models.refetch()} />;
  if (models.isPending || !models.data.length) return null;
  return (
    <section aria-labelledby="run-logged-models">
      <h2 id="run-logged-models">{t("title")}</h2>
      <ul className={page.loggedModels} aria-label={t("listLabel")}>
        {models.data.map((model) => (
          <li key={model.artifactPath} className={styles.panel}>
            <h3 className={page.subheading}>
              <code>{model.artifactPath}</code>
            </h3>
            <p className={styles.muted}>
              {model.flavors.length ? t("flavours", { flavours: model.flavors.join(", ") }) : t("noFlavour")}
              {model.loggedAt ? ` · ${t("loggedAt", { at: model.loggedAt })}` : ""}
              {model.onnxPath ? ` · ${t("onnxFile", { path: model.onnxPath })}` : ""}
            </p>
            {model.registeredVersions.length ? (
              <p>
                {t("registeredAs")}{" "}
                {model.registeredVersions.map((v, i) => (
                  <span key={`${v.name}/${v.version}`}>
                    {i ? ", " : ""}
                    <Link href={modelVersionHref(v.name, v.version)}>
                      {t("version", { name: v.name, version: v.version })}
                    </Link>
                  </span>
                ))}
              </p>
            ) : null}
            <RegisterFromRun runId={runId} artifactPath={model.onnxPath ?? model.artifactPath} runName={runName} />
          </li>
        ))}
      </ul>
    </section>
  );
}
