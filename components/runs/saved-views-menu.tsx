"use client";
// The "Views" menu of the runs table and the compare page: apply a saved view, save the current one under a
// name (shared with the experiment's readers, or kept for oneself), share a private one, mark the experiment's
// default runs view, delete one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
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
  const t = useTranslations("runsTable.views");
  const canShare = usePermission("tracking.write");
  const canKeepOwn = usePermission("views.keep-own");
  const views = useQuery(trpc.tracking.savedViews.queryOptions({ experimentId, kind }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tracking.savedViews.queryKey({ experimentId, kind }) });
  const menu = useRef<HTMLDetailsElement>(null);
  const [name, setName] = useState("");
  const [makeDefault, setMakeDefault] = useState(false);
  const [privately, setPrivately] = useState(false);
  // Whoever cannot share keeps their views private.
  const keepPrivate = privately || !canShare;
  const [confirmDelete, setConfirmDelete] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation(
    trpc.tracking.saveView.mutationOptions({
      onSuccess: (view) => {
        setNotice(t("saved", { name: view.name }));
        setName("");
        void refresh();
      },
    }),
  );
  const savePrivate = useMutation(
    trpc.tracking.savePrivateView.mutationOptions({
      onSuccess: (view) => {
        setNotice(t("savedPrivate", { name: view.name }));
        setName("");
        void refresh();
      },
    }),
  );
  const onDeleted = ({ deleted }: { deleted: string }) => {
    setNotice(t("deleted", { name: deleted }));
    setConfirmDelete(null);
    void refresh();
  };
  const remove = useMutation(trpc.tracking.deleteView.mutationOptions({ onSuccess: onDeleted }));
  const removePrivate = useMutation(trpc.tracking.deletePrivateView.mutationOptions({ onSuccess: onDeleted }));
  const share = useMutation(
    trpc.tracking.shareView.mutationOptions({
      onSuccess: (view) => {
        setNotice(t("shared", { name: view.name }));
        void refresh();
      },
    }),
  );
  const setDefault = useMutation(trpc.tracking.setDefaultView.mutationOptions({ onSuccess: () => void refresh() }));
  const error = save.error ?? savePrivate.error ?? remove.error ?? removePrivate.error ?? share.error ?? setDefault.error ?? views.error;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice(null);
    const state = currentState();
    const view = kind === "runs" ? { experimentId, kind, name, state } : { experimentId, kind, name, state: { query: state.query } };
    if (keepPrivate) savePrivate.mutate(view);
    else if (view.kind === "runs") save.mutate({ ...view, makeDefault });
    else save.mutate(view);
  }

  const list = views.data ?? [];
  const formId = `save-${kind}-view`;
  return (
    <details ref={menu} className={tableStyles.chooser}>
      <summary className={styles.secondary}>{t("summary", { count: list.length })}</summary>
      <div className={tableStyles.chooserPanel} role="group" aria-label={t("panel")}>
        {views.isPending ? <p role="status">{t("loading")}</p> : null}
        {list.length === 0 && !views.isPending ? (
          <p className={styles.muted}>
            {t("empty")}
            {canKeepOwn ? ` ${t("emptyHint")}` : ""}
          </p>
        ) : null}
        <ul className={tableStyles.viewList}>
          {list.map((view) => {
            const mine = view.visibility === "private";
            return (
              <li key={view.viewId}>
                <button
                  type="button"
                  className={styles.secondary}
                  onClick={() => {
                    // The menu closes so the applied view is in sight (its panel would cover the table).
                    if (menu.current) menu.current.open = false;
                    onApply(view);
                  }}
                  aria-label={t("apply", { name: view.name })}
                >
                  {view.name}
                </button>
                {view.isDefault ? <span className={styles.badge}>{t("default")}</span> : null}
                {mine ? (
                  <span className={styles.badge} title={t("privateTitle")}>
                    {t("private")}
                  </span>
                ) : (
                  <span className={styles.muted}>{t("by", { user: view.createdBy })}</span>
                )}
                <span className={tableStyles.spacer} />
                {canShare && mine ? (
                  <button type="button" className={styles.secondary} onClick={() => share.mutate({ experimentId, viewId: view.viewId })} aria-label={t("shareLabel", { name: view.name })}>
                    {t("share")}
                  </button>
                ) : null}
                {canShare && kind === "runs" && !mine ? (
                  <button
                    type="button"
                    className={styles.secondary}
                    onClick={() => setDefault.mutate({ experimentId, viewId: view.isDefault ? null : view.viewId })}
                    aria-label={view.isDefault ? t("notDefaultLabel", { name: view.name }) : t("makeDefaultLabel", { name: view.name })}
                  >
                    {view.isDefault ? t("notDefault") : t("makeDefault")}
                  </button>
                ) : null}
                {mine || canShare ? (
                  confirmDelete === view.viewId ? (
                    <>
                      <button
                        type="button"
                        className={styles.danger}
                        onClick={() => (mine ? removePrivate : remove).mutate({ experimentId, viewId: view.viewId })}
                      >
                        {t("confirmDelete", { name: view.name })}
                      </button>
                      <button type="button" className={styles.secondary} onClick={() => setConfirmDelete(null)}>
                        {t("keep")}
                      </button>
                    </>
                  ) : (
                    <button type="button" className={styles.secondary} onClick={() => setConfirmDelete(view.viewId)} aria-label={t("deleteLabel", { name: view.name })}>
                      {t("delete")}
                    </button>
                  )
                ) : null}
              </li>
            );
          })}
        </ul>
        {canKeepOwn ? (
          <form className={tableStyles.chooserActions} onSubmit={submit} aria-label={t("form")}>
            <label htmlFor={formId} className="visually-hidden">
              {t("nameLabel")}
            </label>
            <input
              id={formId}
              className={`${styles.input} ${styles.grow}`}
              placeholder={t("namePlaceholder")}
              value={name}
              maxLength={120}
              onChange={(event) => setName(event.target.value)}
            />
            <label htmlFor={`${formId}-visibility`} className="visually-hidden">
              {t("visibility")}
            </label>
            <select
              id={`${formId}-visibility`}
              className={styles.input}
              value={keepPrivate ? "private" : "shared"}
              disabled={!canShare}
              onChange={(event) => setPrivately(event.target.value === "private")}
            >
              <option value="shared">{t("visibilityShared")}</option>
              <option value="private">{t("visibilityPrivate")}</option>
            </select>
            {kind === "runs" && !keepPrivate ? (
              <label className={tableStyles.inlineCheck}>
                <input type="checkbox" checked={makeDefault} onChange={(event) => setMakeDefault(event.target.checked)} />
                {t("makeDefaultCheck")}
              </label>
            ) : null}
            <button type="submit" className={styles.button} disabled={save.isPending || savePrivate.isPending}>
              {t("save")}
            </button>
          </form>
        ) : null}
        {canKeepOwn && !canShare ? <p className={styles.muted}>{t("readOnly")}</p> : null}
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
