"use client";
// The experiments page: search, list with run counts and last activity, create, rename, delete and restore.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useEffect, useState, type FormEvent } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatRelativeTime, formatTimestamp } from "@/components/ui/time-format";
import styles from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { ExperimentSummary } from "@/server/tracking/experiment-summaries";
import { NewExperimentForm } from "./new-experiment-form";
import { decodeUrlList, encodeUrlList } from "@/lib/url-list";
import { useBrowserOrigin } from "@/components/ui/use-browser-origin";
import { mlflowQuickstartSnippet } from "@/lib/mlflow-snippet";

export function ExperimentsView() {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const q = params.get("q") ?? "";
  const urlShowDeleted = params.get("deleted") === "1";
  // The box answers the click at once; the URL catches up a moment later, and back/forward moves it again.
  const [showDeleted, setShowDeleted] = useState(urlShowDeleted);
  const [seenShowDeleted, setSeenShowDeleted] = useState(urlShowDeleted);
  if (seenShowDeleted !== urlShowDeleted) {
    setSeenShowDeleted(urlShowDeleted);
    setShowDeleted(urlShowDeleted);
  }
  const canWrite = usePermission("tracking.write");
  // The box updates at once; the URL (and so the query) follows after a short pause in typing.
  const [search, setSearch] = useState(q);
  const [seenQ, setSeenQ] = useState(q);
  if (seenQ !== q) {
    setSeenQ(q);
    setSearch(q);
  }
  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(() => update({ q: search }), 250);
    return () => clearTimeout(timer);
  }, [search, q, update]);

  const selected = decodeUrlList(params.get("sel"));
  const summaries = useQuery(
    trpc.tracking.experimentSummaries.queryOptions({ search: q || undefined, viewType: showDeleted ? "ALL" : "ACTIVE_ONLY" }),
  );

  return (
    <>
      <h1>Experiments</h1>
      <div className={styles.toolbar} role="search">
        <div className={styles.field}>
          <label htmlFor="experiment-search">Search experiments</label>
          <input
            id="experiment-search"
            type="search"
            className={styles.input}
            value={search}
            placeholder="Name contains…"
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <label className={styles.checkbox}>
          <input
            type="checkbox"
            checked={showDeleted}
            onChange={(event) => {
              setShowDeleted(event.target.checked);
              update({ deleted: event.target.checked ? "1" : null }, "push");
            }}
          />
          Show deleted
        </label>
      </div>
      {summaries.error ? (
        <QueryError error={summaries.error} onRetry={() => void summaries.refetch()} />
      ) : summaries.isPending ? (
        <p role="status">Loading experiments…</p>
      ) : summaries.data.length === 0 ? (
        <EmptyExperiments searching={Boolean(q)} canWrite={canWrite} />
      ) : (
        <ExperimentsTable
          experiments={summaries.data}
          canWrite={canWrite}
          now={summaries.dataUpdatedAt}
          selected={selected}
          onSelect={(ids) => update({ sel: ids.length ? encodeUrlList(ids) : null })}
        />
      )}
      {canWrite ? <NewExperimentForm /> : null}
    </>
  );
}

function EmptyExperiments({ searching, canWrite }: { searching: boolean; canWrite: boolean }) {
  const origin = useBrowserOrigin();
  if (searching) return <p className={styles.panel}>No experiment matches this search. Clear the box to see them all.</p>;
  return (
    <section className={styles.panel} aria-label="No experiments yet">
      <p>
        No experiments yet. {canWrite ? "Create one below, or log" : "An editor can log"} the first run from Python with the stock mlflow client:
      </p>
      <code className={styles.snippet}>{mlflowQuickstartSnippet(origin ?? "<this studio's address>", "my first experiment")}</code>
    </section>
  );
}

/** `now` is when the list was fetched, so "3 minutes ago" is true of the data shown and renders the same every time. */
function ExperimentsTable({
  experiments,
  canWrite,
  now,
  selected,
  onSelect,
}: {
  experiments: ExperimentSummary[];
  canWrite: boolean;
  now: number;
  selected: string[];
  onSelect: (ids: string[]) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tracking.experimentSummaries.pathKey() });
  const setDeleted = useMutation(trpc.tracking.setExperimentDeleted.mutationOptions({ onSuccess: () => void refresh() }));
  return (
    <>
      {setDeleted.error ? <p className={styles.error} role="alert">{setDeleted.error.message}</p> : null}
      <div className={styles.toolbar}>
        {selected.length ? (
          <>
            <span role="status">
              {selected.length} experiment{selected.length === 1 ? "" : "s"} selected
            </span>
            <button type="button" className={styles.secondary} onClick={() => onSelect([])}>
              Clear selection
            </button>
            <Link className={styles.button} href={`/runs?${new URLSearchParams({ experiments: encodeUrlList(selected) }).toString()}`}>
              Show their runs
            </Link>
          </>
        ) : (
          <span className={styles.muted}>Tick experiments to see their runs in one table.</span>
        )}
      </div>
      <div className={styles.tableWrap}>
        <table className={styles.table}>
          <caption className="visually-hidden">Experiments, most recently active first</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col" className={styles.num}>Runs</th>
              <th scope="col">Last activity</th>
              <th scope="col">Created</th>
              {canWrite ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {experiments.map((experiment) => (
              <ExperimentRow
                key={experiment.experimentId}
                experiment={experiment}
                now={now}
                canWrite={canWrite}
                selected={selected.includes(experiment.experimentId)}
                onSelectedChange={(on) =>
                  onSelect(on ? [...selected, experiment.experimentId] : selected.filter((id) => id !== experiment.experimentId))
                }
                onSetDeleted={(deleted) => setDeleted.mutate({ experimentId: experiment.experimentId, deleted })}
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ExperimentRow({
  experiment,
  now,
  canWrite,
  selected,
  onSelectedChange,
  onSetDeleted,
}: {
  experiment: ExperimentSummary;
  now: number;
  canWrite: boolean;
  selected: boolean;
  onSelectedChange: (selected: boolean) => void;
  onSetDeleted: (deleted: boolean) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  // Deleting hides every run of the experiment from the lists: one click opens the question, a second confirms.
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const deleted = experiment.lifecycleStage === "deleted";
  return (
    <tr>
      <td>
        <input type="checkbox" aria-label={`Select ${experiment.name}`} checked={selected} onChange={(event) => onSelectedChange(event.target.checked)} />
      </td>
      <td>
        {renaming ? (
          <RenameForm experiment={experiment} onDone={() => setRenaming(false)} />
        ) : (
          <>
            <Link href={`/experiments/${experiment.experimentId}`}>{experiment.name}</Link>
            {deleted ? <span className={styles.badge}>deleted</span> : null}
          </>
        )}
      </td>
      <td className={styles.num}>{experiment.runCount}</td>
      <td title={formatTimestamp(experiment.lastActivity)}>{formatRelativeTime(experiment.lastActivity, now)}</td>
      <td>{formatTimestamp(experiment.creationTime)}</td>
      {canWrite ? (
        <td>
          <div className={styles.actions}>
            {deleted ? (
              <button type="button" className={styles.secondary} onClick={() => onSetDeleted(false)}>
                Restore<span className="visually-hidden"> {experiment.name}</span>
              </button>
            ) : (
              <>
                {renaming ? null : (
                  <button type="button" className={styles.secondary} onClick={() => setRenaming(true)}>
                    Rename<span className="visually-hidden"> {experiment.name}</span>
                  </button>
                )}
                {confirmingDelete ? (
                  <span role="alertdialog" aria-labelledby={`delete-${experiment.experimentId}-question`} className={styles.actions}>
                    <span id={`delete-${experiment.experimentId}-question`}>
                      Delete {experiment.name} and hide its {experiment.runCount} run{experiment.runCount === 1 ? "" : "s"}? It can be restored
                      from the deleted list.
                    </span>
                    <button
                      type="button"
                      className={styles.danger}
                      autoFocus
                      onClick={() => {
                        setConfirmingDelete(false);
                        onSetDeleted(true);
                      }}
                    >
                      Confirm delete<span className="visually-hidden"> {experiment.name}</span>
                    </button>
                    <button type="button" className={styles.secondary} onClick={() => setConfirmingDelete(false)}>
                      Keep it
                    </button>
                  </span>
                ) : (
                  <button type="button" className={styles.danger} onClick={() => setConfirmingDelete(true)}>
                    Delete<span className="visually-hidden"> {experiment.name}</span>
                  </button>
                )}
              </>
            )}
          </div>
        </td>
      ) : null}
    </tr>
  );
}

function RenameForm({ experiment, onDone }: { experiment: ExperimentSummary; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(experiment.name);
  const rename = useMutation(
    trpc.tracking.renameExperiment.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tracking.experimentSummaries.pathKey() });
        onDone();
      },
    }),
  );
  const inputId = `rename-${experiment.experimentId}`;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ experimentId: experiment.experimentId, newName: name });
  }
  return (
    <form onSubmit={submit} className={styles.actions}>
      <label htmlFor={inputId} className="visually-hidden">
        New name for {experiment.name}
      </label>
      <input
        id={inputId}
        className={styles.input}
        value={name}
        autoFocus
        maxLength={500}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onDone();
        }}
        aria-invalid={rename.error ? true : undefined}
        aria-describedby={rename.error ? `${inputId}-error` : undefined}
      />
      <button type="submit" className={styles.button} disabled={rename.isPending}>
        Save
      </button>
      <button type="button" className={styles.secondary} onClick={onDone}>
        Cancel
      </button>
      {rename.error ? (
        <p id={`${inputId}-error`} className={styles.error} role="alert">
          {rename.error.message}
        </p>
      ) : null}
    </form>
  );
}
