"use client";
// The acceptance-criteria fields (metric thresholds, group gap, noise drop, edge cases), shared by the request form and the edit dialog.
import { useTranslations } from "next-intl";
import { useId, useMemo } from "react";
import ui from "@/components/ui/ui.module.css";
import { metricLabel as metricLabelIn } from "@/lib/review-sentences";
import { defaultCriteria, type AcceptanceCriteria, type EvaluationTask, type MetricName } from "@/server/review/schema";
import { ExpectedValueCriterionField } from "./expected-value-criterion";
import { RelativeCriteriaEditor } from "./relative-criteria-editor";
import { defaultOpFor, describeCriteria, metricsForTask, opSymbol, type CriteriaFormErrors, type CriteriaFormMessages, type CriteriaFormState } from "./review-format";
import styles from "./review.module.css";
import { useReviewWords } from "./use-review-words";

/** What the criteria form says about a field to fix, in the reader's language (for formToCriteria). */
export function useCriteriaFormMessages(): CriteriaFormMessages {
  const t = useTranslations("review.criteriaEditor.errors");
  return useMemo(() => ({ number: t("number"), gapPoints: t("gapPoints"), noiseDrop: t("noiseDrop") }), [t]);
}

export function CriteriaEditor({
  task,
  value,
  onChange,
  errors,
  defaults,
}: {
  task: EvaluationTask | null;
  value: CriteriaFormState;
  onChange: (next: CriteriaFormState) => void;
  errors: CriteriaFormErrors;
  /** The criteria the form started from, shown as the defaults. */
  defaults?: AcceptanceCriteria;
}) {
  const ids = useId();
  const t = useTranslations("review.criteriaEditor");
  const words = useReviewWords();
  const metricLabel = (metric: MetricName) => metricLabelIn(metric, words);
  const metrics = metricsForTask(task);
  const shownDefaults = defaults ?? (task ? defaultCriteria(task) : null);
  const setRow = (index: number, patch: Partial<CriteriaFormState["thresholds"][number]>) =>
    onChange({ ...value, thresholds: value.thresholds.map((row, i) => (i === index ? { ...row, ...patch } : row)) });
  const unusedMetric = metrics.find((metric) => !value.thresholds.some((row) => row.metric === metric)) ?? metrics[0];
  return (
    <fieldset className={styles.fieldset}>
      <legend>{t("legend")}</legend>
      {shownDefaults ? (
        <p className={styles.hint}>{t("defaults", { criteria: describeCriteria(shownDefaults, metricLabel, words).join("; ") })}</p>
      ) : null}
      <h3>{t("thresholds")}</h3>
      {value.thresholds.length === 0 ? <p className={ui.muted}>{t("noThreshold")}</p> : null}
      {value.thresholds.map((row, index) => {
        const error = errors[`threshold.${index}`];
        return (
          <div key={index} className={styles.criteriaRow} role="group" aria-label={t("threshold", { number: index + 1 })}>
            <div className={ui.field}>
              <label htmlFor={`${ids}-metric-${index}`}>{t("metric")}</label>
              <select
                id={`${ids}-metric-${index}`}
                className={ui.input}
                value={row.metric}
                onChange={(event) => {
                  const metric = event.target.value as MetricName;
                  setRow(index, { metric, op: defaultOpFor(metric) });
                }}
              >
                {(metrics.includes(row.metric) ? metrics : [row.metric, ...metrics]).map((metric) => (
                  <option key={metric} value={metric}>
                    {metricLabel(metric)}
                  </option>
                ))}
              </select>
            </div>
            <div className={ui.field}>
              <label htmlFor={`${ids}-op-${index}`}>{t("mustBe")}</label>
              <select id={`${ids}-op-${index}`} className={`${ui.input} ${styles.small}`} value={row.op} onChange={(event) => setRow(index, { op: event.target.value as "gte" | "lte" })}>
                <option value="gte">{t("atLeast", { op: opSymbol.gte })}</option>
                <option value="lte">{t("atMost", { op: opSymbol.lte })}</option>
              </select>
            </div>
            <div className={ui.field}>
              <label htmlFor={`${ids}-value-${index}`}>{t("value")}</label>
              <input
                id={`${ids}-value-${index}`}
                className={`${ui.input} ${styles.small}`}
                inputMode="decimal"
                value={row.value}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${ids}-value-${index}-error` : undefined}
                onChange={(event) => setRow(index, { value: event.target.value })}
              />
            </div>
            <button
              type="button"
              className={ui.secondary}
              aria-label={t("removeLabel", { metric: metricLabel(row.metric) })}
              onClick={() => onChange({ ...value, thresholds: value.thresholds.filter((_, i) => i !== index) })}
            >
              {t("remove")}
            </button>
            {error ? (
              <p id={`${ids}-value-${index}-error`} className={ui.error}>
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      {value.thresholds.length < 20 ? (
        <button
          type="button"
          className={ui.secondary}
          onClick={() => onChange({ ...value, thresholds: [...value.thresholds, { metric: unusedMetric, op: defaultOpFor(unusedMetric), value: "" }] })}
        >
          {t("add")}
        </button>
      ) : null}
      <RelativeCriteriaEditor task={task} value={value} onChange={onChange} errors={errors} />
      <div className={styles.criteriaGrid}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-gap`}>{t("maxGap")}</label>
          <input
            id={`${ids}-gap`}
            className={ui.input}
            inputMode="decimal"
            value={value.maxGroupGapPoints}
            disabled={task !== null && task !== "binary"}
            aria-invalid={errors.maxGroupGapPoints ? true : undefined}
            aria-describedby={`${ids}-gap-hint`}
            onChange={(event) => onChange({ ...value, maxGroupGapPoints: event.target.value })}
          />
          <p id={`${ids}-gap-hint`} className={styles.hint}>
            {task !== null && task !== "binary" ? t("gapBinaryOnly") : t("gapHint")}
          </p>
          {errors.maxGroupGapPoints ? <p className={ui.error}>{errors.maxGroupGapPoints}</p> : null}
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-noise`}>{t("maxNoise")}</label>
          <input
            id={`${ids}-noise`}
            className={ui.input}
            inputMode="decimal"
            value={value.maxNoiseDrop}
            aria-invalid={errors.maxNoiseDrop ? true : undefined}
            aria-describedby={`${ids}-noise-hint`}
            onChange={(event) => onChange({ ...value, maxNoiseDrop: event.target.value })}
          />
          <p id={`${ids}-noise-hint`} className={styles.hint}>
            {t("noiseHint")}
          </p>
          {errors.maxNoiseDrop ? <p className={ui.error}>{errors.maxNoiseDrop}</p> : null}
        </div>
        <ExpectedValueCriterionField task={task} value={value} onChange={onChange} errors={errors} />
      </div>
      <label className={ui.checkbox}>
        <input type="checkbox" checked={value.edgeCasesMustNotCrash} onChange={(event) => onChange({ ...value, edgeCasesMustNotCrash: event.target.checked })} />
        {t("edgeCases")}
      </label>
    </fieldset>
  );
}
