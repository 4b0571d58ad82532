"use client";
// The request form's outcome values: what each outcome of a decision is worth (binary) or what a unit of error costs
// (regression), the yearly volume and the decision threshold; parsed into the request's value settings.
import { useTranslations } from "next-intl";
import { useId } from "react";
import ui from "@/components/ui/ui.module.css";
import type { ValueSettings } from "@/lib/business-value-schema";
import type { EvaluationTask } from "@/server/review/schema";
import styles from "./review.module.css";

const outcomeFields = ["tp", "fp", "fn", "tn"] as const;

export interface OutcomeValuesFormState {
  currency: string;
  tp: string;
  fp: string;
  fn: string;
  tn: string;
  yearlyVolume: string;
  threshold: string;
  costPerUnitError: string;
}

export const emptyOutcomeValues: OutcomeValuesFormState = { currency: "EUR", tp: "", fp: "", fn: "", tn: "", yearlyVolume: "", threshold: "0.5", costPerUnitError: "" };

/** Message keys (value.fieldset.errors.*) by field. */
export type OutcomeValuesErrors = Partial<Record<keyof OutcomeValuesFormState | "outcomes", "number" | "allOrNone" | "currency" | "volume" | "threshold" | "cost">>;

function parse(text: string): number | null {
  const trimmed = text.trim().replace(/\s/g, "").replace(",", ".");
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The value settings to send (null = none given), or which fields to fix. */
export function formToValueSettings(form: OutcomeValuesFormState, task: EvaluationTask | null): { settings: ValueSettings | null; errors: OutcomeValuesErrors } {
  const errors: OutcomeValuesErrors = {};
  if (task !== "binary" && task !== "regression") return { settings: null, errors };
  const currency = form.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = "currency";
  const volume = parse(form.yearlyVolume);
  if (volume !== null && (!Number.isInteger(volume) || volume <= 0)) errors.yearlyVolume = "volume";
  const threshold = parse(form.threshold);
  if (task === "binary" && (threshold === null || Number.isNaN(threshold) || threshold < 0 || threshold > 1)) errors.threshold = "threshold";
  const common = { currency, yearlyVolume: volume, threshold: task === "binary" && threshold !== null && !Number.isNaN(threshold) ? threshold : 0.5 };
  if (task === "regression") {
    const cost = parse(form.costPerUnitError);
    if (cost !== null && (Number.isNaN(cost) || cost < 0)) errors.costPerUnitError = "cost";
    if (Object.keys(errors).length || cost === null) return { settings: null, errors };
    return { settings: { ...common, outcomes: null, costPerUnitError: cost }, errors };
  }
  const values = outcomeFields.map((field) => parse(form[field]));
  outcomeFields.forEach((field, i) => {
    if (Number.isNaN(values[i])) errors[field] = "number";
  });
  const given = values.filter((v) => v !== null).length;
  if (given > 0 && given < 4) errors.outcomes = "allOrNone";
  if (Object.keys(errors).length) return { settings: null, errors };
  const [tp, fp, fn, tn] = values as (number | null)[];
  const outcomes = given === 4 ? { tp: tp!, fp: fp!, fn: fn!, tn: tn! } : null;
  // A threshold other than 0.5 is worth keeping without outcome values: serving applies it.
  if (!outcomes && common.threshold === 0.5) return { settings: null, errors };
  return { settings: { ...common, outcomes, costPerUnitError: null }, errors };
}

export function OutcomeValuesFieldset({
  task,
  value,
  onChange,
  errors,
}: {
  task: EvaluationTask | null;
  value: OutcomeValuesFormState;
  onChange: (next: OutcomeValuesFormState) => void;
  errors: OutcomeValuesErrors;
}) {
  const t = useTranslations("value.fieldset");
  const ids = useId();
  if (task === "multiclass") {
    return (
      <fieldset className={styles.fieldset}>
        <legend>{t("legend")}</legend>
        <p className={styles.hint}>{t("multiclass")}</p>
      </fieldset>
    );
  }
  const field = (name: keyof OutcomeValuesFormState, label: string, options: { testId: string; hint?: string; small?: boolean }) => {
    const error = errors[name];
    const describedBy = [options.hint ? `${ids}-${name}-hint` : null, error ? `${ids}-${name}-error` : null].filter(Boolean).join(" ") || undefined;
    return (
      <div className={ui.field} key={name}>
        <label htmlFor={`${ids}-${name}`}>{label}</label>
        <input
          id={`${ids}-${name}`}
          className={`${ui.input} ${options.small === false ? "" : styles.small}`}
          inputMode="decimal"
          data-testid={options.testId}
          value={value[name]}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange({ ...value, [name]: event.target.value })}
        />
        {options.hint ? (
          <p id={`${ids}-${name}-hint`} className={styles.hint}>
            {options.hint}
          </p>
        ) : null}
        {error ? (
          <p id={`${ids}-${name}-error`} className={ui.error}>
            {t(`errors.${error}`)}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <fieldset className={styles.fieldset} data-testid="outcome-values">
      <legend>{t("legend")}</legend>
      <p className={styles.hint}>{t("hint")}</p>
      <div className={styles.criteriaRow}>{field("currency", t("currency"), { testId: "outcome-currency" })}</div>
      {task === "regression" ? (
        <div className={styles.criteriaRow}>{field("costPerUnitError", t("costPerUnitError"), { testId: "outcome-cost-per-unit-error", hint: t("costHint") })}</div>
      ) : (
        <>
          <div className={styles.criteriaRow} role="group" aria-label={t("legend")}>
            {outcomeFields.map((name) => field(name, t(name), { testId: `outcome-${name}` }))}
          </div>
          {errors.outcomes ? (
            <p className={ui.error} role="alert">
              {t(`errors.${errors.outcomes}`)}
            </p>
          ) : null}
        </>
      )}
      <div className={styles.criteriaRow}>
        {field("yearlyVolume", t("yearlyVolume"), { testId: "outcome-yearly-volume" })}
        {task === "binary" ? field("threshold", t("threshold"), { testId: "outcome-threshold", hint: t("thresholdHint") }) : null}
      </div>
    </fieldset>
  );
}
