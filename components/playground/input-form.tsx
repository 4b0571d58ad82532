"use client";
// The playground's form: one labelled field per model feature, numbers with their training range, texts as selects when categories are known.
import { useTranslations } from "next-intl";
import { memo } from "react";
import type { FieldValue, InputField, InputPlan, InputRow } from "@/lib/model-inputs";
import ui from "@/components/ui/ui.module.css";
import { playgroundFieldName } from "./form-field-name";
import styles from "./playground.module.css";

/** onFieldChange must be stable (useCallback): each field re-renders only when its own value changes, so a change to
 * one of the digits model's 64 fields does not redraw the other 63. Each control is named for the form's post (the
 * server's answer when Predict is pressed before the page's JavaScript runs); errors: the server's message per field. */
export function InputForm({
  plan,
  row,
  onFieldChange,
  idPrefix,
  errors,
}: {
  plan: InputPlan;
  row: InputRow;
  onFieldChange: (key: string, value: FieldValue) => void;
  idPrefix: string;
  errors?: Readonly<Record<string, string>>;
}) {
  return (
    <div className={styles.fields}>
      {plan.fields.map((field) => (
        <InputFieldControl key={field.key} field={field} value={row[field.key]} onFieldChange={onFieldChange} idPrefix={idPrefix} error={errors?.[field.key]} />
      ))}
    </div>
  );
}

const InputFieldControl = memo(function InputFieldControl({
  field,
  value,
  onFieldChange,
  idPrefix,
  error,
}: {
  field: InputField;
  value: FieldValue | undefined;
  onFieldChange: (key: string, value: FieldValue) => void;
  idPrefix: string;
  error: string | undefined;
}) {
  const t = useTranslations("playground.tools.field");
  const id = `${idPrefix}-${field.key}`;
  const hintId = `${id}-hint`;
  const range = field.min !== null && field.max !== null ? t("range", { min: field.min, max: field.max }) : null;
  const errorId = `${id}-error`;
  const name = playgroundFieldName(field.key);
  const describedBy = [range ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const invalid = error ? true : undefined;
  const set = (next: FieldValue) => onFieldChange(field.key, next);
  return (
    <div className={ui.field}>
      <label htmlFor={id}>{field.key}</label>
      {field.valueType === "number" ? (
        <input
          id={id}
          name={name}
          type="number"
          step="any"
          className={ui.input}
          min={field.min ?? undefined}
          max={field.max ?? undefined}
          // An emptied box is NaN until the user types again; the JSON view and validation show it.
          value={typeof value === "number" && Number.isFinite(value) ? value : ""}
          onChange={(event) => set(event.target.value === "" ? Number.NaN : Number(event.target.value))}
          aria-describedby={describedBy}
          aria-invalid={invalid}
        />
      ) : field.valueType === "boolean" ? (
        <input id={id} name={name} value="true" type="checkbox" checked={value === true} onChange={(event) => set(event.target.checked)} aria-describedby={describedBy} aria-invalid={invalid} />
      ) : field.options ? (
        <select id={id} name={name} className={ui.input} value={String(value ?? "")} onChange={(event) => set(event.target.value)} aria-describedby={describedBy} aria-invalid={invalid}>
          {field.options.includes(String(value ?? "")) ? null : <option value={String(value ?? "")}>{String(value ?? "") || t("empty")}</option>}
          {field.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} name={name} type="text" className={ui.input} value={String(value ?? "")} onChange={(event) => set(event.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
      )}
      {range ? (
        <span id={hintId} className={styles.hint}>
          {range}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className={ui.error}>
          {error}
        </span>
      ) : null}
    </div>
  );
});
