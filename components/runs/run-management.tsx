"use client";
// Run management on the run page for those who may write: rename, delete (asked first) and restore, edit tags; the run's parent and children; its logged models.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { modelVersionHref } from "@/components/models/model-format";
import { RegisterFromRun } from "@/components/models/register-from-run";
import { useTRPC } from "@/components/trpc-provider";
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

/** Rename, and delete or restore: shown only to those who may write runs. */
export function RunActions({ runId, runName, deleted }: { runId: string; runName: string; deleted: boolean }) {
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
          Restore run
        </button>
      ) : confirmingDelete ? (
        <span role="alertdialog" aria-labelledby={questionId} className={styles.actions}>
          <span id={questionId}>Delete {runName}? It is hidden from the runs table and can be restored from this page.</span>
          <button
            type="button"
            className={styles.danger}
            autoFocus
            onClick={() => {
              setConfirmingDelete(false);
              lifecycle.mutate({ runId, deleted: true });
            }}
          >
            Confirm delete
          </button>
          <button type="button" className={styles.secondary} onClick={() => setConfirmingDelete(false)}>
            Keep it
          </button>
        </span>
      ) : (
        <>
          <button type="button" className={styles.secondary} onClick={() => setRenaming(true)}>
            Rename run
          </button>
          <button type="button" className={styles.danger} onClick={() => setConfirmingDelete(true)}>
            Delete run
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
  const trpc = useTRPC();
  const invalidate = useInvalidateRun(runId);
  const [name, setName] = useState(runName);
  const rename = useMutation(
    trpc.tracking.renameRun.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onDone();
      },
    }),
  );
  const id = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ runId, name });
  }
  return (
    <form onSubmit={submit} className={styles.actions}>
      <label htmlFor={id}>New run name</label>
      <input
        id={id}
        className={styles.input}
        value={name}
        autoFocus
        maxLength={250}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onDone();
        }}
        aria-invalid={rename.error ? true : undefined}
        aria-describedby={rename.error ? `${id}-error` : undefined}
      />
      <button type="submit" className={styles.button} disabled={rename.isPending}>
        Save name
      </button>
      <button type="button" className={styles.secondary} onClick={onDone}>
        Cancel
      </button>
      {rename.error ? (
        <p id={`${id}-error`} className={styles.error} role="alert">
          {rename.error.message}
        </p>
      ) : null}
    </form>
  );
}

/** The run's tags; writers may add, change and delete their own (MLflow's `mlflow.*` tags are shown, not edited). */
export function RunTags({ runId, tags, writable }: { runId: string; tags: KeyValue[]; writable: boolean }) {
  const canWrite = usePermission("tracking.write") && writable;
  const trpc = useTRPC();
  const invalidate = useInvalidateRun(runId);
  const [editing, setEditing] = useState<string | null>(null);
  const remove = useMutation(trpc.tracking.deleteRunTag.mutationOptions({ onSuccess: invalidate }));
  const sorted = [...tags].sort((a, b) => a.key.localeCompare(b.key));
  const editable = (key: string) => canWrite && !key.toLowerCase().startsWith("mlflow.");
  return (
    <section aria-labelledby="run-tags">
      <h2 id="run-tags">Tags</h2>
      {sorted.length ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {sorted.map((tag) => (
                <tr key={tag.key}>
                  <td>{tag.key}</td>
                  <td className={styles.wrap}>
                    {editing === tag.key ? <TagForm runId={runId} initial={tag} onDone={() => setEditing(null)} /> : tag.value}
                  </td>
                  {canWrite ? (
                    <td>
                      {editable(tag.key) && editing !== tag.key ? (
                        <div className={styles.actions}>
                          <button type="button" className={styles.secondary} onClick={() => setEditing(tag.key)}>
                            Edit<span className="visually-hidden"> tag {tag.key}</span>
                          </button>
                          <button type="button" className={styles.danger} disabled={remove.isPending} onClick={() => remove.mutate({ runId, key: tag.key })}>
                            Delete<span className="visually-hidden"> tag {tag.key}</span>
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
        <p className={styles.muted}>No tags.</p>
      )}
      {remove.error ? (
        <p className={styles.error} role="alert">
          {remove.error.message}
        </p>
      ) : null}
      {canWrite ? editing === "" ? <TagForm runId={runId} initial={null} onDone={() => setEditing(null)} /> : (
        <button type="button" className={styles.secondary} onClick={() => setEditing("")}>
          Add tag
        </button>
      ) : null}
    </section>
  );
}

/** Adds a tag (key and value) or changes the value of an existing one. */
function TagForm({ runId, initial, onDone }: { runId: string; initial: KeyValue | null; onDone: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateRun(runId);
  const [key, setKey] = useState(initial?.key ?? "");
  const [value, setValue] = useState(initial?.value ?? "");
  const save = useMutation(
    trpc.tracking.setRunTag.mutationOptions({
      onSuccess: async () => {
        await invalidate();
        onDone();
      },
    }),
  );
  const id = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({ runId, key, value });
  }
  return (
    <form onSubmit={submit} className={page.tagForm}>
      {initial ? null : (
        <>
          <label htmlFor={`${id}-key`}>Tag key</label>
          <input id={`${id}-key`} className={styles.input} value={key} autoFocus maxLength={250} required onChange={(event) => setKey(event.target.value)} />
        </>
      )}
      <label htmlFor={`${id}-value`}>{initial ? `Value of ${initial.key}` : "Tag value"}</label>
      <input
        id={`${id}-value`}
        className={styles.input}
        value={value}
        autoFocus={Boolean(initial)}
        maxLength={8000}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onDone();
        }}
        aria-invalid={save.error ? true : undefined}
        aria-describedby={save.error ? `${id}-error` : undefined}
      />
      <button type="submit" className={styles.button} disabled={save.isPending}>
        Save tag
      </button>
      <button type="button" className={styles.secondary} onClick={onDone}>
        Cancel
      </button>
      {save.error ? (
        <p id={`${id}-error`} className={styles.error} role="alert">
          {save.error.message}
        </p>
      ) : null}
    </form>
  );
}

/** Nested runs: the parent this run was started under (mlflow.parentRunId) and the runs started under it. */
export function RunFamily({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const family = useQuery(trpc.tracking.runFamily.queryOptions({ runId }));
  if (family.error) return <QueryError error={family.error} onRetry={() => void family.refetch()} />;
  if (family.isPending) return null;
  const { parent, missingParentId, children } = family.data;
  if (!parent && !missingParentId && !children.length) return null;
  return (
    <section className={styles.panel} aria-labelledby="run-family">
      <h2 id="run-family" className={styles.panelTitle}>
        Nested runs
      </h2>
      {parent ? (
        <p>
          Parent run: <Link href={`/experiments/${parent.experimentId}/runs/${parent.runId}`}>{parent.runName || parent.runId}</Link>
          {parent.deleted ? <span className={styles.badge}>deleted</span> : null}
        </p>
      ) : missingParentId ? (
        <p className={styles.muted}>
          Parent run <code>{missingParentId}</code> is not in the studio.
        </p>
      ) : null}
      {children.length ? (
        <>
          <h3 className={page.subheading}>
            Child runs ({children.length}
            {children.length === 1000 ? ", the first 1000" : ""})
          </h3>
          <ul aria-label="Child runs">
            {children.map((child) => (
              <li key={child.runId}>
                <Link href={`/experiments/${child.experimentId}/runs/${child.runId}`}>{child.runName || child.runId}</Link>{" "}
                <span className={`${styles.status} ${styles[child.status] ?? ""}`}>{child.status}</span>
                {child.deleted ? <span className={styles.badge}>deleted</span> : null}
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
  const trpc = useTRPC();
  const models = useQuery(trpc.tracking.runLoggedModels.queryOptions({ runId }));
  if (models.error) return <QueryError error={models.error} onRetry={() => void models.refetch()} />;
  if (models.isPending || !models.data.length) return null;
  return (
    <section aria-labelledby="run-logged-models">
      <h2 id="run-logged-models">Logged models</h2>
      <ul className={page.loggedModels} aria-label="Models logged by this run">
        {models.data.map((model) => (
          <li key={model.artifactPath} className={styles.panel}>
            <h3 className={page.subheading}>
              <code>{model.artifactPath}</code>
            </h3>
            <p className={styles.muted}>
              {model.flavors.length ? `Flavours: ${model.flavors.join(", ")}` : "No flavour recorded"}
              {model.loggedAt ? ` · logged ${model.loggedAt}` : ""}
              {model.onnxPath ? ` · ONNX file ${model.onnxPath}` : ""}
            </p>
            {model.registeredVersions.length ? (
              <p>
                Registered as{" "}
                {model.registeredVersions.map((v, i) => (
                  <span key={`${v.name}/${v.version}`}>
                    {i ? ", " : ""}
                    <Link href={modelVersionHref(v.name, v.version)}>
                      {v.name} version {v.version}
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
