"use client";
// In the request form: which value of the label column is the favourable outcome (loan approved), chosen once and
// used by every selection rate and fairness gap of the review. Empty = the model's positive class.
import { useId } from "react";
import { useTranslations } from "next-intl";
import ui from "@/components/ui/ui.module.css";
import styles from "./review.module.css";

export function FavourableOutcomeField({
  labelColumn,
  values,
  value,
  onChange,
}: {
  labelColumn: string;
  /** The label column's distinct values from the dataset profile; null when there are too many to list. */
  values: readonly string[] | null;
  value: string;
  onChange: (value: string) => void;
}) {
  const t = useTranslations("fairness.favourableField");
  const id = useId();
  return (
    <div className={ui.field}>
      <label htmlFor={id}>{t("label")}</label>
      {values ? (
        <select id={id} className={ui.input} value={value} aria-describedby={`${id}-hint`} data-testid="favourable-outcome-select" onChange={(event) => onChange(event.target.value)}>
          <option value="">{t("positive")}</option>
          {values.map((entry) => (
            <option key={entry} value={entry}>
              {labelColumn} = {entry}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} className={ui.input} value={value} aria-describedby={`${id}-hint`} data-testid="favourable-outcome-select" onChange={(event) => onChange(event.target.value)} />
      )}
      <p id={`${id}-hint`} className={styles.hint}>
        {t(values ? "hint" : "hintNoValues", { label: labelColumn })}
      </p>
    </div>
  );
}
