"use client";
// A matrix model's column order when nothing names its columns: confirmed once in the request form, then shown on the
// review page and printed on the sign-off sheet, so everyone sees which file column fed which model input.
import { useId } from "react";
import ui from "@/components/ui/ui.module.css";
import { columnOrderProblems, parseColumnOrder, type ColumnMapping } from "@/lib/feature-names";
import styles from "./review.module.css";

export interface ColumnOrderState {
  text: string;
  confirmed: boolean;
}

/** The order to send with the request, or the problem to show; null when no order is asked for. */
export function columnOrderToSend(
  state: ColumnOrderState,
  width: number | null,
  columns: readonly string[],
  labelColumn: string,
): { order: string[]; error: null } | { order: null; error: string } {
  const order = parseColumnOrder(state.text);
  const problems = columnOrderProblems(order, width ?? order.length, columns);
  if (order.includes(labelColumn)) problems.push(`'${labelColumn}' is the label column; take it out.`);
  if (order.length === 0) return { order: null, error: "List the dataset columns that feed the model, in order." };
  if (problems.length > 0) return { order: null, error: problems.join(" ") };
  if (!state.confirmed) return { order: null, error: "Tick the box to confirm this column order." };
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
  const count = parseColumnOrder(value.text).length;
  return (
    <fieldset className={styles.fieldset}>
      <legend>Column order</legend>
      <p id={`${ids}-hint`} className={styles.hint}>
        The model takes one input &lsquo;{inputName}&rsquo; of {width ?? "several"} columns, and nothing names them (no MLmodel signature, no training
        dataset in its lineage). Columns are never taken by position behind your back: list the dataset columns that feed it, first to last, and
        confirm. The order is stored with the review and printed on its report and sign-off sheet.
      </p>
      <div className={ui.field}>
        <label htmlFor={`${ids}-order`}>Dataset columns, in the model&apos;s order (comma or line separated)</label>
        <textarea
          id={`${ids}-order`}
          className={styles.textarea}
          value={value.text}
          aria-describedby={`${ids}-hint${error ? ` ${ids}-error` : ""}`}
          aria-invalid={error ? true : undefined}
          onChange={(event) => onChange({ text: event.target.value, confirmed: false })}
        />
        <p className={styles.hint}>
          {count} of {width ?? "?"} columns listed.
        </p>
      </div>
      <label className={ui.checkbox}>
        <input type="checkbox" checked={value.confirmed} onChange={(event) => onChange({ ...value, confirmed: event.target.checked })} />
        I confirm these columns feed the model&apos;s input &lsquo;{inputName}&rsquo; in this order
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
  if (!mapping) return null;
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Column order (confirmed)</h2>
      <p>
        Nothing named the columns of the model&apos;s input &lsquo;{mapping.inputName}&rsquo;; {mapping.confirmedBy} confirmed this order on{" "}
        {new Date(mapping.confirmedAt).toISOString().slice(0, 10)}.
      </p>
      <table className={ui.table}>
        <caption className={styles.caption}>Which dataset column fed each column of &lsquo;{mapping.inputName}&rsquo;</caption>
        <thead>
          <tr>
            <th scope="col">Model column</th>
            <th scope="col">Dataset column</th>
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
