"use client";
// A matrix model's column order when nothing names its columns: confirmed once in the request form, then shown on the
// review page and printed on the sign-off sheet, so everyone sees which file column fed which model input.
import { useTranslations } from "next-intl";
import { useId, useMemo } from "react";
import ui from "@/components/ui/ui.module.css";
import { columnOrderProblems, parseColumnOrder, type ColumnMapping } from "@/lib/feature-names";
import styles from "./review.module.css";
import { useReviewDates } from "./use-review-words";

export interface ColumnOrderState {
  text: string;
  confirmed: boolean;
}

/** What columnOrderToSend says, in the reader's language (useColumnOrderMessages). */
export interface ColumnOrderMessages {
  labelColumn: (column: string) => string;
  empty: string;
  confirm: string;
}

const englishColumnOrderMessages: ColumnOrderMessages = {
  labelColumn: (column) => `'${column}' is the label column; take it out.`,
  empty: "List the dataset columns that feed the model, in order.",
  confirm: "Tick the box to confirm this column order.",
};

export function useColumnOrderMessages(): ColumnOrderMessages {
  const t = useTranslations("review.columnMapping.errors");
  return useMemo(() => ({ labelColumn: (column: string) => t("labelColumn", { column }), empty: t("empty"), confirm: t("confirm") }), [t]);
}

/** The order to send with the request, or the problem to show; null when no order is asked for. */
export function columnOrderToSend(
  state: ColumnOrderState,
  width: number | null,
  columns: readonly string[],
  labelColumn: string,
  messages: ColumnOrderMessages = englishColumnOrderMessages,
): { order: string[]; error: null } | { order: null; error: string } {
  const order = parseColumnOrder(state.text);
  const problems = columnOrderProblems(order, width ?? order.length, columns);
  if (order.includes(labelColumn)) problems.push(messages.labelColumn(labelColumn));
  if (order.length === 0) return { order: null, error: messages.empty };
  if (problems.length > 0) return { order: null, error: problems.join(" ") };
  if (!state.confirmed) return { order: null, error: messages.confirm };
  return { order, error: null };
}

/** The form's step: the file's columns (label left out) in file order, editable, and a box to confirm them. */
export function ColumnOrderField({
  inputName,
  width,
  value,
  onChange,
  error,
}: {
  inputName: string;
  width: number | null;
  value: ColumnOrderState;
  onChange: (next: ColumnOrderState) => void;
  error: string | null;
}) {
  const ids = useId();
  const t = useTranslations("review.columnMapping");
  const count = parseColumnOrder(value.text).length;
  return (
    <fieldset className={styles.fieldset}>
      <legend>{t("legend")}</legend>
      <p id={`${ids}-hint`} className={styles.hint}>
        {width === null ? t("hintSeveral", { input: inputName }) : t("hint", { input: inputName, width })}
      </p>
      <div className={ui.field}>
        <label htmlFor={`${ids}-order`}>{t("label")}</label>
        <textarea
          id={`${ids}-order`}
          className={styles.textarea}
          value={value.text}
          aria-describedby={`${ids}-hint${error ? ` ${ids}-error` : ""}`}
          aria-invalid={error ? true : undefined}
          onChange={(event) => onChange({ text: event.target.value, confirmed: false })}
        />
        <p className={styles.hint}>{t("listed", { count, width: width ?? "?" })}</p>
      </div>
      <label className={ui.checkbox}>
        <input type="checkbox" checked={value.confirmed} onChange={(event) => onChange({ ...value, confirmed: event.target.checked })} />
        {t("confirm", { input: inputName })}
      </label>
      {error ? (
        <p id={`${ids}-error`} className={ui.error}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** On the review page and the sign-off sheet: the confirmed order, model column → dataset column; nothing when none. */
export function ColumnMappingSection({ mapping }: { mapping: ColumnMapping | null | undefined }) {
  const ids = useId();
  const t = useTranslations("review.columnMapping");
  const dates = useReviewDates();
  if (!mapping) return null;
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("confirmedTitle")}</h2>
      <p>{t("confirmedBy", { input: mapping.inputName, user: mapping.confirmedBy, date: dates.date(mapping.confirmedAt) })}</p>
      <table className={ui.table}>
        <caption className={styles.caption}>{t("caption", { input: mapping.inputName })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("modelColumn")}</th>
            <th scope="col">{t("datasetColumn")}</th>
          </tr>
        </thead>
        <tbody>
          {mapping.columns.map((column, index) => (
            <tr key={`${index}-${column}`}>
              <td>{index}</td>
              <td>{column}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
