"use client";
// One inline edit form: the caller's fields, then Save and Cancel, Escape to cancel, and the save error tied to the fields.
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import styles from "./ui.module.css";

export interface InlineEditFormProps {
  /** The inputs; give each `aria-describedby={errorId}` while `error` is set, so a screen reader reads the error with them. */
  children: ReactNode;
  /** What Save says, e.g. "Save name". */
  saveLabel: string;
  onSave: () => void;
  onCancel: () => void;
  pending: boolean;
  /** The save's error message, shown under the buttons as an alert. */
  error: string | null;
  errorId: string;
  className?: string;
}

export function InlineEditForm({ children, saveLabel, onSave, onCancel, pending, error, errorId, className = styles.actions }: InlineEditFormProps) {
  const t = useTranslations("common");
  return (
    <form
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
    >
      {children}
      <button type="submit" className={styles.button} disabled={pending}>
        {saveLabel}
      </button>
      <button type="button" className={styles.secondary} onClick={onCancel}>
        {t("cancel")}
      </button>
      {error ? (
        <p id={errorId} className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
