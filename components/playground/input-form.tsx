"use client";
// The playground's form: one labelled field per model feature, numbers with their training range, texts as selects when categories are known.
import { memo } from "react";
import type { FieldValue, InputField, InputPlan, InputRow } from "@/lib/model-inputs";
import ui from "@/components/ui/ui.module.css";
import styles from "./playground.module.css";

/** onFieldChange must be stable (useCallback): each field re-renders only when its own value changes, so a change to
 * one of the digits model's 64 fields does not redraw the other 63. */
export function InputForm({ plan, row, onFieldChange, idPrefix }: { plan: InputPlan; row: InputRow; onFieldChange: (key: string, value: FieldValue) => void; idPrefix: string }) {
  return (
    <div className={styles.fields}>
      {plan.fields.map((field) => (
        <InputFieldControl key={field.key} field={field} value={row[field.key]} onFieldChange={onFieldChange} idPrefix={idPrefix} />
      ))}
    </div>
  );
}

const InputFieldControl = memo(function InputFieldControl({
  field,
  value,
  onFieldChange,
  idPrefix,
}: {
  field: InputField;
  value: FieldValue | undefined;
  onFieldChange: (key: string, value: FieldValue) => void;
  idPrefix: string;
}) {
  const id = `${idPrefix}-${field.key}`;
  const hintId = `${id}-hint`;
  const set = (next: FieldValue) => onFieldChange(field.key, next);
  const range = field.min !== null && field.max !== null ? `training range ${field.min} – ${field.max}` : null;
  return (
    <div className={ui.field}>
      <label htmlFor={id}>{field.key}</label>
      {field.valueType === "number" ? (
        <input
          id={id}
          type="number"
          step="any"
          className={ui.input}
          min={field.min ?? undefined}
          max={field.max ?? undefined}
          // An emptied box is NaN until the user types again; the JSON view and validation show it.
          value={typeof value === "number" && Number.isFinite(value) ? value : ""}
          onChange={(event) => set(event.target.value === "" ? Number.NaN : Number(event.target.value))}
          aria-describedby={range ? hintId : undefined}
        />
      ) : field.valueType === "boolean" ? (
        <input id={id} type="checkbox" checked={value === true} onChange={(event) => set(event.target.checked)} />
      ) : field.options ? (
        <select id={id} className={ui.input} value={String(value ?? "")} onChange={(event) => set(event.target.value)}>
          {field.options.includes(String(value ?? "")) ? null : <option value={String(value ?? "")}>{String(value ?? "") || "(empty)"}</option>}
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} type="text" className={ui.input} value={String(value ?? "")} onChange={(event) => set(event.target.value)} />
      )}
      {range ? (
        <span id={hintId} className={styles.hint}>
          {range}
        </span>
      ) : null}
    </div>
  );
});
