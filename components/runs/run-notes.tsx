"use client";
// A run's notes (MLflow's mlflow.note.content tag) rendered as markdown without raw HTML, and edited in place by those who may write.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import Markdown, { type Components } from "react-markdown";
import { usePermission } from "@/components/auth/use-permission";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/ui/ui.module.css";
import { RUN_NOTE_MAX_LENGTH } from "@/lib/run-note";
import page from "./run-page.module.css";

/**
 * react-markdown shows raw HTML as text and empties unsafe URLs (javascript:, data: …). On top of
 * that, links open apart from the studio without a referrer, and images become links so that notes
 * never make the browser fetch from another site.
 */
const markdownComponents: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer">
        {alt || src}
      </a>
    ) : (
      <span>{alt}</span>
    ),
};

export function RunNotes({ runId, content, writable }: { runId: string; content: string; writable: boolean }) {
  const t = useTranslations("runPage.notes");
  const canWrite = usePermission("tracking.write") && writable;
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <section className={styles.panel} aria-labelledby="run-notes">
      <div className={styles.toolbarFlush}>
        <h2 id="run-notes" className={`${styles.panelTitle} ${styles.grow}`}>
          {t("title")}
        </h2>
        {canWrite && draft === null ? (
          <button type="button" className={styles.secondary} onClick={() => setDraft(content)}>
            {t("edit")}
          </button>
        ) : null}
      </div>
      {draft !== null ? (
        <NotesEditor runId={runId} draft={draft} onChange={setDraft} onDone={() => setDraft(null)} />
      ) : content.trim() ? (
        <div className={page.markdown} data-testid="run-notes-content">
          <Markdown components={markdownComponents}>{content}</Markdown>
        </div>
      ) : (
        <p className={styles.muted}>
          {t("none")} {canWrite ? t("noneWriter") : t("noneReader")}
        </p>
      )}
    </section>
  );
}

function NotesEditor({ runId, draft, onChange, onDone }: { runId: string; draft: string; onChange: (value: string) => void; onDone: () => void }) {
  const t = useTranslations("runPage.notes");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const save = useMutation(
    trpc.tracking.setRunNote.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.tracking.run.queryKey({ runId }) });
        onDone();
      },
    }),
  );
  const over = draft.length - RUN_NOTE_MAX_LENGTH;
  const problem = over > 0 ? t("tooLong", { max: RUN_NOTE_MAX_LENGTH, over }) : (save.error?.message ?? null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (over > 0) return;
    save.mutate({ runId, content: draft });
  }
  return (
    <form onSubmit={submit}>
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {t("label")}
      </label>
      <textarea
        id={`${id}-text`}
        className={page.notesEditor}
        value={draft}
        autoFocus
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-help${problem ? ` ${id}-error` : ""}`}
      />
      <p id={`${id}-help`} className={page.note}>
        {t("help", { length: draft.length, max: RUN_NOTE_MAX_LENGTH })}
      </p>
      {problem ? (
        <p id={`${id}-error`} className={styles.error} role="alert">
          {problem}
        </p>
      ) : null}
      <div className={page.notesActions}>
        <button type="submit" className={styles.button} disabled={save.isPending || over > 0}>
          {save.isPending ? t("saving") : t("save")}
        </button>
        <button type="button" className={styles.secondary} onClick={onDone} disabled={save.isPending}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
