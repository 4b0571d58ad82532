"use client";
// The acceptance-criteria fields (metric thresholds, group gap, noise drop, edge cases), shared by the request form and the edit dialog.
import { useId } from "react";
import ui from "@/components/ui/ui.module.css";
import { metricLabel } from "@/lib/review-sentences";
import { defaultCriteria, type AcceptanceCriteria, type EvaluationTask, type MetricName } from "@/server/review/schema";
import { ExpectedValueCriterionField } from "./expected-value-criterion";
import { defaultOpFor, describeCriteria, metricsForTask, opSymbol, type CriteriaFormErrors, type CriteriaFormState } from "./review-format";
import { RelativeCriteriaEditor } from "./relative-criteria-editor";
import styles from "./review.module.css";

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
  const metrics = metricsForTask(task);
  const shownDefaults = defaults ?? (task ? defaultCriteria(task) : null);
  const setRow = (index: number, patch: Partial<CriteriaFormState["thresholds"][number]>) =>
    onChange({ ...value, thresholds: value.thresholds.map((row, i) => (i === index ? { ...row, ...patch } : row)) });
  const unusedMetric = metrics.find((metric) => !value.thresholds.some((row) => row.metric === metric)) ?? metrics[0];
  return (
    <fieldset className={styles.fieldset}>
      <legend>Acceptance criteria</legend>
      {shownDefaults ? (
        <p className={styles.hint}>Defaults: {describeCriteria(shownDefaults, metricLabel).join("; ")}. Every criterion is optional.</p>
      ) : null}
      <h3>Metric thresholds</h3>
      {value.thresholds.length === 0 ? <p className={ui.muted}>No metric threshold: the metrics are reported but not checked.</p> : null}
      {value.thresholds.map((row, index) => {
        const error = errors[`threshold.${index}`];
        return (
          <div key={index} className={styles.criteriaRow} role="group" aria-label={`Threshold ${index + 1}`}>
            <div className={ui.field}>
              <label htmlFor={`${ids}-metric-${index}`}>Metric</label>
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
              <label htmlFor={`${ids}-op-${index}`}>Must be</label>
              <select id={`${ids}-op-${index}`} className={`${ui.input} ${styles.small}`} value={row.op} onChange={(event) => setRow(index, { op: event.target.value as "gte" | "lte" })}>
                <option value="gte">{opSymbol.gte} at least</option>
                <option value="lte">{opSymbol.lte} at most</option>
              </select>
            </div>
            <div className={ui.field}>
              <label htmlFor={`${ids}-value-${index}`}>Value</label>
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
              aria-label={`Remove the ${metricLabel(row.metric)} threshold`}
              onClick={() => onChange({ ...value, thresholds: value.thresholds.filter((_, i) => i !== index) })}
            >
              Remove
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
          Add a threshold
        </button>
      ) : null}
      <RelativeCriteriaEditor task={task} value={value} onChange={onChange} errors={errors} />
      <div className={styles.criteriaGrid}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-gap`}>Max group gap (points)</label>
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
            {task !== null && task !== "binary"
              ? "Group gaps are measured for binary classifiers only."
              : "Largest difference in selection rate between the groups of a sensitive attribute; empty = not checked."}
          </p>
          {errors.maxGroupGapPoints ? <p className={ui.error}>{errors.maxGroupGapPoints}</p> : null}
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-noise`}>Max drop under noise</label>
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
            In the primary metric&apos;s unit (0.05 = 5 points of accuracy), under Gaussian noise of 0.1 std; empty = not checked.
          </p>
          {errors.maxNoiseDrop ? <p className={ui.error}>{errors.maxNoiseDrop}</p> : null}
        </div>
        <ExpectedValueCriterionField task={task} value={value} onChange={onChange} errors={errors} />
      </div>
      <label className={ui.checkbox}>
        <input type="checkbox" checked={value.edgeCasesMustNotCrash} onChange={(event) => onChange({ ...value, edgeCasesMustNotCrash: event.target.checked })} />
        Edge cases must not crash the model
      </label>
    </fieldset>
  );
}
