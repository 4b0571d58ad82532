"use client";
// The criteria editor's "expected value per 1,000 decisions ≥ X" field (binary classifiers and regressors).
import { useTranslations } from "next-intl";
import { useId } from "react";
import ui from "@/components/ui/ui.module.css";
import type { EvaluationTask } from "@/server/review/schema";
import type { CriteriaFormErrors, CriteriaFormState } from "./review-format";
import styles from "./review.module.css";

export function ExpectedValueCriterionField({
  task,
  value,
  onChange,
  errors,
}: {
  task: EvaluationTask | null;
  value: CriteriaFormState;
  onChange: (next: CriteriaFormState) => void;
  errors: CriteriaFormErrors;
}) {
  const t = useTranslations("value.criterion");
  const id = useId();
  if (task === "multiclass") return null;
  const error = errors.minExpectedValuePer1000;
  return (
    <>
      <div className={ui.field}>
        <label htmlFor={id}>{t("label")}</label>
        <input
          id={id}
          className={ui.input}
          inputMode="decimal"
          data-testid="criterion-min-expected-value"
          value={value.minExpectedValuePer1000 ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint`}
          onChange={(event) => onChange({ ...value, minExpectedValuePer1000: event.target.value })}
        />
        <p id={`${id}-hint`} className={styles.hint}>
          {t("hint")}
        </p>
        {error ? <p className={ui.error}>{t("error")}</p> : null}
      </div>
      <label className={ui.checkbox}>
        <input
          type="checkbox"
          data-testid="criterion-expected-value-vs-production"
          checked={value.expectedValueAtLeastProduction ?? false}
          onChange={(event) => onChange({ ...value, expectedValueAtLeastProduction: event.target.checked })}
        />
        {t("atLeastProduction")}
      </label>
    </>
  );
}
