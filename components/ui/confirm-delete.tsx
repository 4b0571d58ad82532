"use client";
// A Delete button that asks first (an inline alertdialog with Confirm and Keep it) and shows the server's refusal.
import { useId, useState } from "react";
import styles from "./ui.module.css";

export interface ConfirmDeleteText {
  button: string;
  question: string;
  confirm: string;
  keep: string;
}

export function ConfirmDelete({ text, onConfirm, pending, error }: { text: ConfirmDeleteText; onConfirm: () => void; pending: boolean; error: string | null }) {
  const [asking, setAsking] = useState(false);
  const questionId = useId();
  return (
    <div className={styles.actions}>
      {asking ? (
        <span role="alertdialog" aria-labelledby={questionId} className={styles.actions}>
          <span id={questionId}>{text.question}</span>
          <button
            type="button"
            className={styles.danger}
            autoFocus
            disabled={pending}
            onClick={() => {
              setAsking(false);
              onConfirm();
            }}
          >
            {text.confirm}
          </button>
          <button type="button" className={styles.secondary} onClick={() => setAsking(false)}>
            {text.keep}
          </button>
        </span>
      ) : (
        <button type="button" className={styles.danger} disabled={pending} onClick={() => setAsking(true)}>
          {text.button}
        </button>
      )}
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
