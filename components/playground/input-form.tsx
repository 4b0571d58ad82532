"use client";
// The playground's form: one labelled field per model feature, numbers with their training range, texts as selects when categories are known.
import type { InputField, InputPlan, InputRow } from "@/lib/model-inputs";
import ui from "@/components/ui/ui.module.css";
import styles from "./playground.module.css";

export function InputForm({ plan, row, onChange, idPrefix }: { plan: InputPlan; row: InputRow; onChange: (row: InputRow) => void; idPrefix: string }) {
  const set = (field: InputField, value: string | number | boolean) => onChange({ ...row, [field.key]: value });
  return (
    <div className={styles.fields}>
      {plan.fields.map((field) => {
        const id = `${idPrefix}-${field.key}`;
        const hintId = `${id}-hint`;
        const value = row[field.key];
        const range = field.min !== null && field.max !== null ? `training range ${field.min} – ${field.max}` : null;
        return (
          <div key={field.key} className={ui.field}>
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
                onChange={(event) => set(field, event.target.value === "" ? Number.NaN : Number(event.target.value))}
                aria-describedby={range ? hintId : undefined}
              />
            ) : field.valueType === "boolean" ? (
              <input id={id} type="checkbox" checked={value === true} onChange={(event) => set(field, event.target.checked)} />
            ) : field.options ? (
              <select id={id} className={ui.input} value={String(value ?? "")} onChange={(event) => set(field, event.target.value)}>
                {field.options.includes(String(value ?? "")) ? null : <option value={String(value ?? "")}>{String(value ?? "") || "(empty)"}</option>}
                {field.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} type="text" className={ui.input} value={String(value ?? "")} onChange={(event) => set(field, event.target.value)} />
            )}
            {range ? (
              <span id={hintId} className={styles.hint}>
                {range}
              </span>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
