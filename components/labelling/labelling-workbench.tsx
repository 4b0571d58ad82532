"use client";
// The labelling page: one item at a time — its logged inputs, one button (and key) per class, skip and undo — with the
// labeller's progress. The model's answer is not shown: it would anchor the label the live metric judges it by.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { classKey, labellingKeyAction, type LabellingKeyAction } from "@/lib/labelling-keys";
import type { NextItem } from "@/server/labelling/schema";
import styles from "./labelling.module.css";
import { useErrorText } from "@/components/ui/use-error-text";

export function LabellingWorkbench({ name }: { name: string }) {
  const errorText = useErrorText();
  const trpc = useTRPC();
  const t = useTranslations("labelling.workbench");
  const queryClient = useQueryClient();
  const next = useQuery(trpc.labelling.next.queryOptions({ name }, { refetchOnWindowFocus: false }));
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.labelling.next.queryKey({ name }) });
  const label = useMutation(trpc.labelling.label.mutationOptions({ onSettled: refresh }));
  const undo = useMutation(trpc.labelling.undo.mutationOptions({ onSettled: refresh }));
  const busy = label.isPending || undo.isPending || next.isFetching;
  const data = next.data;

  const act = useCallback(
    (action: LabellingKeyAction) => {
      if (!data || busy) return;
      if (action.kind === "undo") {
        if (!data.undoable) return;
        label.reset();
        undo.mutate({ name }, { onSuccess: () => setNotice(t("undone")) });
        return;
      }
      if (!data.item) return;
      undo.reset();
      const value = action.kind === "label" ? action.label : null;
      label.mutate({ name, itemId: data.item.itemId, label: value }, { onSuccess: () => setNotice(value === null ? t("skipped") : t("labelled", { label: value })) });
    },
    [busy, data, label, name, t, undo],
  );

  // Keys act anywhere on the page except while typing in a field.
  const actRef = useRef(act);
  useEffect(() => {
    actRef.current = act;
  }, [act]);
  const classes = data?.classes;
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      const action = labellingKeyAction(event, classes ?? []);
      if (!action) return;
      event.preventDefault();
      actRef.current(action);
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [classes]);

  const error = label.error ?? undo.error;
  return (
    <>
      <p className={ui.breadcrumb}>
        <Link href="/labelling">{t("allQueues")}</Link> /
      </p>
      <h1>{t("title", { model: name })}</h1>
      {next.error ? (
        <QueryError error={next.error} onRetry={() => void next.refetch()} />
      ) : !data ? (
        <p role="status">…</p>
      ) : (
        <>
          <Progress data={data} />
          <p className={ui.muted}>{t("keysHelp")}</p>
          {data.item && data.classes.length ? <ItemView data={data} busy={busy} onAct={act} /> : null}
          {data.item && !data.classes.length ? <p role="alert">{t("noClasses")}</p> : null}
          {!data.item ? <p className={ui.panel}>{t("done")}</p> : null}
          <p>
            <button type="button" className={ui.secondary} onClick={() => act({ kind: "undo" })} disabled={!data.undoable || busy} aria-keyshortcuts="U Backspace">
              <kbd>U</kbd> {t("undo")}
            </button>
          </p>
        </>
      )}
      {error ? (
        <p role="alert" className={ui.error}>
          {errorText(error)}
        </p>
      ) : null}
      <p role="status" className={styles.notice}>
        {notice}
      </p>
    </>
  );
}

function Progress({ data }: { data: NextItem }) {
  const t = useTranslations("labelling.workbench");
  const total = data.doneByMe + data.waitingForMe;
  return (
    <div className={styles.progress}>
      <progress aria-label={t("progressLabel")} value={data.doneByMe} max={Math.max(total, 1)} />
      <span>{t("progress", { done: data.doneByMe, waiting: data.waitingForMe })}</span>
    </div>
  );
}

function ItemView({ data, busy, onAct }: { data: NextItem; busy: boolean; onAct: (action: LabellingKeyAction) => void }) {
  const t = useTranslations("labelling.workbench");
  const item = data.item!;
  return (
    <section aria-labelledby="labelling-item" className={ui.panel}>
      <h2 id="labelling-item" className={ui.panelTitle}>
        {t("item", { n: data.doneByMe + 1 })}
      </h2>
      {item.tieBreak ? <p className={styles.tieBreak}>{t("tieBreak")}</p> : null}
      <p className={ui.muted}>{t("answerHidden")}</p>
      <div role="group" aria-label={t("classes")} className={styles.classes}>
        {data.classes.map((label, index) => {
          const key = classKey(index);
          return (
            <button key={label} type="button" className={ui.button} disabled={busy} aria-keyshortcuts={key ?? undefined} onClick={() => onAct({ kind: "label", label })}>
              {key ? <kbd>{key}</kbd> : null} {label}
            </button>
          );
        })}
        <button type="button" className={ui.secondary} disabled={busy} aria-keyshortcuts="S" onClick={() => onAct({ kind: "skip" })}>
          <kbd>S</kbd> {t("skip")}
        </button>
      </div>
      <div className={ui.tableWrap}>
        <table className={ui.table}>
          <caption>{t("inputsCaption", { requestId: item.requestId, row: item.rowIndex })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("column")}</th>
              <th scope="col">{t("value")}</th>
            </tr>
          </thead>
          <tbody>
            {item.inputs.map(([column, value]) => (
              <tr key={column}>
                <th scope="row">{column}</th>
                <td className={typeof value === "number" ? ui.num : undefined}>{value === null ? <em>{t("missing")}</em> : String(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
