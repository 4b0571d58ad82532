"use client";
// The "Views" menu of the runs table and the compare page: apply a saved view, save the current one under a
// name (shared with the experiment's readers), mark the experiment's default runs view, delete one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/ui/ui.module.css";
import type { SavedViewKind, SavedViewState } from "@/lib/saved-view-state";
import type { SavedView } from "@/server/tracking/saved-views";
import tableStyles from "./runs-table.module.css";

export function SavedViewsMenu({
  experimentId,
  kind,
  currentState,
  onApply,
}: {
  experimentId: string;
  kind: SavedViewKind;
  /** The view as it is on the page now, read when the user saves. */
  currentState: () => SavedViewState;
  onApply: (view: SavedView) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = usePermission("tracking.write");
  const views = useQuery(trpc.tracking.savedViews.queryOptions({ experimentId, kind }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tracking.savedViews.queryKey({ experimentId, kind }) });
  const menu = useRef<HTMLDetailsElement>(null);
  const [name, setName] = useState("");
  const [makeDefault, setMakeDefault] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation(
    trpc.tracking.saveView.mutationOptions({
      onSuccess: (view) => {
        setNotice(`Saved “${view.name}”.`);
        setName("");
        void refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.tracking.deleteView.mutationOptions({
      onSuccess: ({ deleted }) => {
        setNotice(`Deleted “${deleted}”.`);
        setConfirmDelete(null);
        void refresh();
      },
    }),
  );
  const setDefault = useMutation(trpc.tracking.setDefaultView.mutationOptions({ onSuccess: () => void refresh() }));
  const error = save.error ?? remove.error ?? setDefault.error ?? views.error;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const state = currentState();
    if (kind === "runs") save.mutate({ experimentId, kind, name, state, makeDefault });
    else save.mutate({ experimentId, kind, name, state: { query: state.query } });
  }

  const list = views.data ?? [];
  const formId = `save-${kind}-view`;
  return (
    <details ref={menu} className={tableStyles.chooser}>
      <summary className={styles.secondary}>Views ({list.length})</summary>
      <div className={tableStyles.chooserPanel} role="group" aria-label="Saved views">
        {views.isPending ? <p role="status">Loading views…</p> : null}
        {list.length === 0 && !views.isPending ? (
          <p className={styles.muted}>No saved views yet.{canWrite ? " Set the page up as you like it, name it below and save it." : ""}</p>
        ) : null}
        <ul className={tableStyles.viewList}>
          {list.map((view) => (
            <li key={view.viewId}>
              <button type="button" className={styles.secondary} onClick={() => {
                  // The menu closes so the applied view is in sight (its panel would cover the table).
                  if (menu.current) menu.current.open = false;
                  onApply(view);
                }}
                aria-label={`Apply view ${view.name}`}>
                {view.name}
              </button>
              {view.isDefault ? <span className={styles.badge}>default</span> : null}
              <span className={styles.muted}>by {view.createdBy}</span>
              <span className={tableStyles.spacer} />
              {canWrite && kind === "runs" ? (
                <button
                  type="button"
                  className={styles.secondary}
                  onClick={() => setDefault.mutate({ experimentId, viewId: view.isDefault ? null : view.viewId })}
                  aria-label={view.isDefault ? `Stop opening with ${view.name}` : `Open the experiment with ${view.name}`}
                >
                  {view.isDefault ? "Not default" : "Make default"}
                </button>
              ) : null}
              {canWrite ? (
                confirmDelete === view.viewId ? (
                  <>
                    <button type="button" className={styles.danger} onClick={() => remove.mutate({ experimentId, viewId: view.viewId })}>
                      Confirm delete {view.name}
                    </button>
                    <button type="button" className={styles.secondary} onClick={() => setConfirmDelete(null)}>
                      Keep it
                    </button>
                  </>
                ) : (
                  <button type="button" className={styles.secondary} onClick={() => setConfirmDelete(view.viewId)} aria-label={`Delete view ${view.name}`}>
                    Delete
                  </button>
                )
              ) : null}
            </li>
          ))}
        </ul>
        {canWrite ? (
          <form className={tableStyles.chooserActions} onSubmit={submit} aria-label="Save this view">
            <label htmlFor={formId} className="visually-hidden">
              View name
            </label>
            <input
              id={formId}
              className={`${styles.input} ${styles.grow}`}
              placeholder="Name this view…"
              value={name}
              maxLength={120}
              onChange={(event) => setName(event.target.value)}
            />
            {kind === "runs" ? (
              <label className={tableStyles.inlineCheck}>
                <input type="checkbox" checked={makeDefault} onChange={(event) => setMakeDefault(event.target.checked)} />
                Default
              </label>
            ) : null}
            <button type="submit" className={styles.button} disabled={save.isPending}>
              Save view
            </button>
          </form>
        ) : (
          <p className={styles.muted}>Saving views needs an editor or admin role.</p>
        )}
        {notice ? <p role="status">{notice}</p> : null}
        {error ? (
          <p role="alert" className={styles.error}>
            {error.message}
          </p>
        ) : null}
      </div>
    </details>
  );
}
