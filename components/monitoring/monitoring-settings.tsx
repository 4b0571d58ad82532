"use client";
// Monitoring settings of one model (writers): sampling, retention, drift and live-metric thresholds, and the
// reference dataset version (the training version from lineage unless one is chosen), and the column order of a feature
// matrix that nothing names, confirmed by a person. Errors sit next to their box.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { parseReferenceChoice, parseSettingsDraft, settingsDraft, settingsErrorsFromServer, type SettingsDraft, type SettingsField } from "@/lib/monitoring-view";
import type { MonitoringView } from "@/server/monitoring/schema";
import styles from "./monitoring.module.css";

export function MonitoringSettingsForm({ view }: { view: MonitoringView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraft(view.settings, view.reference));
  const [errors, setErrors] = useState<Partial<Record<SettingsField, string>>>({});
  const matrix = view.unnamedMatrix;
  const [columnOrder, setColumnOrder] = useState(() => (matrix ? (matrix.confirmedOrder ?? initialColumnGuess(matrix)).join(", ") : ""));
  const [orderConfirmed, setOrderConfirmed] = useState(false);
  const save = useMutation(
    trpc.monitoring.updateSettings.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.pathKey() }),
      onError: (error) => setErrors(settingsErrorsFromServer(error.data?.fieldErrors)),
    }),
  );
  const chosen = parseReferenceChoice(draft.reference);
  const referenceDataset = draft.reference === "lineage" ? "" : (chosen?.datasetName ?? draft.reference.replace(/@$/, ""));
  const datasets = useQuery(trpc.datasets.list.queryOptions({}));
  const dataset = useQuery(trpc.datasets.get.queryOptions({ name: referenceDataset }, { enabled: referenceDataset !== "" }));

  function change(field: SettingsField, value: string) {
    setDraft((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseSettingsDraft(view.modelName, draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    // The order is sent only when the person ticks the confirmation: nothing is matched by position behind their back.
    save.mutate(orderConfirmed ? { ...parsed.input, columnOrder: splitColumnOrder(columnOrder) } : parsed.input);
  }
  const field = (name: SettingsField, label: string, hint: string, extra: { step?: string; min?: number; max?: number } = {}) => (
    <NumberField id={`${ids}-${name}`} label={label} hint={hint} value={draft[name]} error={errors[name]} onChange={(value) => change(name, value)} {...extra} />
  );
  const liveMetricHint =
    view.task === "regression" ? "Flag when live RMSE rises above this. Blank: not checked." : "Flag when live accuracy falls below this. Blank: not checked.";
  const fieldErrorsShown = Object.values(errors).some(Boolean);

  return (
    <section className={ui.panel} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className={ui.panelTitle}>
        Monitoring settings
      </h2>
      <form onSubmit={submit} noValidate aria-label="Monitoring settings">
        <fieldset className={styles.fieldset}>
          <legend>Logging</legend>
          <div className={styles.settingsGrid}>
            {field("samplePercent", "Sampling rate (%)", "Share of requests written to the inference log.", { step: "any", min: 0, max: 100 })}
            {field("retentionDays", "Retention (days)", "Logged requests older than this are deleted.", { step: "1", min: 1, max: 3650 })}
          </div>
          <RetentionStatus modelName={view.modelName} />
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>Drift thresholds</legend>
          <div className={styles.settingsGrid}>
            {field("ksPValue", "KS p-value", "Numeric feature drifts below this (reference ≤ 1,000 rows).", { step: "any", min: 0, max: 1 })}
            {field("wasserstein", "Wasserstein distance", "Numeric feature drifts at or above this (larger references).", { step: "any", min: 0 })}
            {field("chiSquarePValue", "Chi-square p-value", "Categorical feature drifts below this (small samples).", { step: "any", min: 0, max: 1 })}
            {field("jensenShannon", "Jensen–Shannon distance", "Categorical feature drifts at or above this (larger samples).", { step: "any", min: 0, max: 1 })}
            {field("datasetDriftShare", "Dataset drift share", "Dataset drift when at least this share of features drifted.", { step: "any", min: 0, max: 1 })}
            {field("liveMetric", view.task === "regression" ? "Live RMSE threshold" : "Live accuracy threshold", liveMetricHint, { step: "any", min: 0 })}
          </div>
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>Reference data</legend>
          <div className={styles.settingsGrid}>
            <div className={ui.field}>
              <label htmlFor={`${ids}-dataset`}>Reference dataset</label>
              <select
                id={`${ids}-dataset`}
                className={ui.input}
                value={referenceDataset}
                onChange={(event) => change("reference", event.target.value ? `${event.target.value}@` : "lineage")}
              >
                <option value="">Training version from lineage</option>
                {referenceDataset && !datasets.data?.some((entry) => entry.name === referenceDataset) ? <option value={referenceDataset}>{referenceDataset}</option> : null}
                {datasets.data?.map((entry) => (
                  <option key={entry.name} value={entry.name}>
                    {entry.name}
                  </option>
                ))}
              </select>
              {datasets.error ? <p className={ui.error}>{datasets.error.message}</p> : null}
            </div>
            {referenceDataset ? (
              <div className={ui.field}>
                <label htmlFor={`${ids}-reference`}>Reference version</label>
                <select
                  id={`${ids}-reference`}
                  className={ui.input}
                  value={chosen ? String(chosen.version) : ""}
                  aria-invalid={errors.reference ? true : undefined}
                  aria-describedby={errors.reference ? `${ids}-reference-error` : undefined}
                  onChange={(event) => change("reference", `${referenceDataset}@${event.target.value}`)}
                >
                  <option value="">Choose a version…</option>
                  {chosen && !dataset.data?.versions.some((entry) => entry.version === chosen.version) ? <option value={chosen.version}>v{chosen.version}</option> : null}
                  {dataset.data?.versions.map((entry) => (
                    <option key={entry.version} value={entry.version}>
                      v{entry.version}
                      {entry.rowCount !== null ? ` (${entry.rowCount} rows)` : ""}
                    </option>
                  ))}
                </select>
                {dataset.error ? <p className={ui.error}>{dataset.error.message}</p> : null}
              </div>
            ) : null}
          </div>
          {errors.reference ? (
            <p id={`${ids}-reference-error`} className={ui.error}>
              {errors.reference}
            </p>
          ) : null}
        </fieldset>
        {matrix ? (
          <fieldset className={styles.fieldset}>
            <legend>Column order</legend>
            <p className={styles.hint}>
              Input <code>{matrix.inputName}</code> of the production version takes {matrix.width ?? "a matrix of"} columns and nothing names them (no signature, no
              training dataset in its lineage). Give the reference&apos;s column for each position, in the model&apos;s order, separated by commas.
              {matrix.confirmedOrder ? " An order is confirmed for this version." : " Until an order is confirmed, no feature is compared."}
            </p>
            <div className={ui.field}>
              <label htmlFor={`${ids}-column-order`}>Columns in the model&apos;s order</label>
              <textarea
                id={`${ids}-column-order`}
                className={ui.input}
                rows={3}
                value={columnOrder}
                onChange={(event) => {
                  setColumnOrder(event.target.value);
                  setOrderConfirmed(false);
                }}
              />
              <p className={styles.hint}>
                {splitColumnOrder(columnOrder).length} of {matrix.width ?? "the"} columns named.
              </p>
            </div>
            <label>
              <input type="checkbox" checked={orderConfirmed} onChange={(event) => setOrderConfirmed(event.target.checked)} /> I confirm this is the order of
              the model&apos;s input columns
            </label>
          </fieldset>
        ) : null}
        {save.error && !fieldErrorsShown ? (
          <p role="alert" className={ui.error}>
            {save.error.message}
          </p>
        ) : null}
        {fieldErrorsShown ? (
          <p role="alert" className={ui.error}>
            Some settings need fixing; see the messages next to them.
          </p>
        ) : null}
        {save.isSuccess && !save.isPending ? <p role="status">Settings saved; drift is measured with them from now on.</p> : null}
        <button type="submit" className={ui.button} disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save settings"}
        </button>
      </form>
    </section>
  );
}

/** Names typed with commas or new lines, blanks dropped. */
export function splitColumnOrder(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((name) => name.trim())
    .filter(Boolean);
}

/** A starting point to correct, never sent unconfirmed: the reference's columns when there are exactly as many. */
function initialColumnGuess(matrix: NonNullable<MonitoringView["unnamedMatrix"]>): string[] {
  return matrix.referenceColumns.length === matrix.width ? matrix.referenceColumns : [];
}

function NumberField(props: {
  id: string;
  label: string;
  hint: ReactNode;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  step?: string;
  min?: number;
  max?: number;
}) {
  const describedBy = `${props.id}-hint${props.error ? ` ${props.id}-error` : ""}`;
  return (
    <div className={ui.field}>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        className={ui.input}
        value={props.value}
        step={props.step}
        min={props.min}
        max={props.max}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => props.onChange(event.target.value)}
      />
      <p id={`${props.id}-hint`} className={styles.hint}>
        {props.hint}
      </p>
      {props.error ? (
        <p id={`${props.id}-error`} className={ui.error}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** When the hourly retention job last ran for this model and what it deleted: proof the setting is enforced. */
function RetentionStatus({ modelName }: { modelName: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.monitoring.retention.queryOptions({ name: modelName }));
  if (run.isPending || run.error) return null;
  return (
    <p className={ui.muted} data-testid="retention-status">
      {run.data
        ? `Retention job last ran ${new Date(run.data.at).toLocaleString()} (keeping ${run.data.retentionDays} days): deleted ${run.data.inferenceRowsDeleted} log entries and ${run.data.feedbackRowsDeleted} feedback labels. It runs every hour.`
        : "The retention job has not run for this model yet: it runs every hour, a minute after the studio starts."}
    </p>
  );
}
