"use client";
// The criteria against the production version ("accuracy no worse than production − 0.01"), inside the criteria editor.
import { useId } from "react";
import { useTranslations } from "next-intl";
import ui from "@/components/ui/ui.module.css";
import type { EvaluationTask, MetricName } from "@/server/review/schema";
import { defaultOpFor, metricsForTask, type CriteriaFormErrors, type CriteriaFormState } from "./review-format";
import styles from "./review.module.css";

export function RelativeCriteriaEditor({
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
  const t = useTranslations("comparison");
  const ids = useId();
  const metrics = metricsForTask(task);
  const rows = value.relative ?? [];
  const setRows = (next: NonNullable<CriteriaFormState["relative"]>) => onChange({ ...value, relative: next });
  const unused = metrics.find((metric) => !rows.some((row) => row.metric === metric)) ?? metrics[0];
  return (
    <div data-testid="relative-criteria">
      <h3>{t("relative.title")}</h3>
      <p className={styles.hint}>{t("relative.hint")}</p>
      {rows.length === 0 ? <p className={ui.muted}>{t("relative.empty")}</p> : null}
      {rows.map((row, index) => {
        const error = errors[`relative.${index}`];
        const sign = defaultOpFor(row.metric) === "lte" ? "+" : "−";
        return (
          <div key={index} className={styles.criteriaRow} role="group" aria-label={t("relative.row", { number: index + 1 })} data-testid="relative-criterion">
            <div className={ui.field}>
              <label htmlFor={`${ids}-metric-${index}`}>{t("relative.metric")}</label>
              <select
                id={`${ids}-metric-${index}`}
                className={ui.input}
                value={row.metric}
                onChange={(event) => setRows(rows.map((r, i) => (i === index ? { ...r, metric: event.target.value as MetricName } : r)))}
              >
                {(metrics.includes(row.metric) ? metrics : [row.metric, ...metrics]).map((metric) => (
                  <option key={metric} value={metric}>
                    {t(`metrics.${metric}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className={ui.field}>
              <label htmlFor={`${ids}-tolerance-${index}`}>
                {t("relative.tolerance")} ({sign})
              </label>
              <input
                id={`${ids}-tolerance-${index}`}
                className={`${ui.input} ${styles.small}`}
                inputMode="decimal"
                value={row.tolerance}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${ids}-tolerance-${index}-error` : undefined}
                onChange={(event) => setRows(rows.map((r, i) => (i === index ? { ...r, tolerance: event.target.value } : r)))}
              />
            </div>
            <button type="button" className={ui.secondary} aria-label={t("relative.remove", { metric: t(`metrics.${row.metric}`) })} onClick={() => setRows(rows.filter((_, i) => i !== index))}>
              {t("relative.removeLabel")}
            </button>
            {error ? (
              <p id={`${ids}-tolerance-${index}-error`} className={ui.error}>
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      {rows.length < 20 ? (
        <button type="button" className={ui.secondary} onClick={() => setRows([...rows, { metric: unused, tolerance: "0.01" }])}>
          {t("relative.add")}
        </button>
      ) : null}
    </div>
  );
}
