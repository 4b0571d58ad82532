"use client";
// Monitoring settings of one model (writers): sampling, retention, drift and live-metric thresholds, and the
// reference dataset version (the training version from lineage unless one is chosen), and the column order of a feature
// matrix that nothing names, confirmed by a person. Errors sit next to their box.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { useErrorText, useFieldErrorTexts } from "@/components/ui/use-error-text";
import { parseReferenceChoice, parseSettingsDraft, settingsDraft, settingsErrorsFromServer, type SettingsDraft, type SettingsField } from "@/lib/monitoring-view";
import type { MonitoringView } from "@/server/monitoring/schema";
import styles from "./monitoring.module.css";

export function MonitoringSettingsForm({ view }: { view: MonitoringView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const fieldErrorTexts = useFieldErrorTexts();
  const ids = useId();
  const t = useTranslations("monitoring.settings");
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraft(view.settings, view.reference));
  const [errors, setErrors] = useState<Partial<Record<SettingsField, string>>>({});
  const matrix = view.unnamedMatrix;
  const [columnOrder, setColumnOrder] = useState(() => (matrix ? (matrix.confirmedOrder ?? initialColumnGuess(matrix)).join(", ") : ""));
  const [orderConfirmed, setOrderConfirmed] = useState(false);
  const save = useMutation(
    trpc.monitoring.updateSettings.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.monitoring.pathKey() }),
      onError: (error) => setErrors(settingsErrorsFromServer(fieldErrorTexts(error))),
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
      // The catalogue says each field's fix in the reader's language (the same sentences parseSettingsDraft writes in English).
      setErrors(Object.fromEntries(Object.entries(parsed.errors).map(([key, message]) => [key, message ? t(`errors.${key as SettingsField}`) : message])));
      return;
    }
    setErrors({});
    // The order is sent only when the person ticks the confirmation: nothing is matched by position behind their back.
    save.mutate(orderConfirmed ? { ...parsed.input, columnOrder: splitColumnOrder(columnOrder) } : parsed.input);
  }
  const field = (name: SettingsField, label: string, hint: string, extra: { step?: string; min?: number; max?: number } = {}) => (
    <NumberField id={`${ids}-${name}`} label={label} hint={hint} value={draft[name]} error={errors[name]} onChange={(value) => change(name, value)} {...extra} />
  );
  const task = view.task === "regression" ? "regression" : "classification";
  const liveMetricHint = t("liveMetricHint", { task });
  const fieldErrorsShown = Object.values(errors).some(Boolean);

  return (
    <section className={ui.panel} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className={ui.panelTitle}>
        {t("title")}
      </h2>
      <form onSubmit={submit} noValidate aria-label={t("title")}>
        <fieldset className={styles.fieldset}>
          <legend>{t("logging")}</legend>
          <div className={styles.settingsGrid}>
            {field("samplePercent", t("samplePercent"), t("samplePercentHint"), { step: "any", min: 0, max: 100 })}
            {field("retentionDays", t("retentionDays"), t("retentionDaysHint"), { step: "1", min: 1, max: 3650 })}
          </div>
          <RetentionStatus modelName={view.modelName} />
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>{t("thresholds")}</legend>
          <div className={styles.settingsGrid}>
            {field("ksPValue", t("ksPValue"), t("ksPValueHint"), { step: "any", min: 0, max: 1 })}
            {field("wasserstein", t("wasserstein"), t("wassersteinHint"), { step: "any", min: 0 })}
            {field("chiSquarePValue", t("chiSquarePValue"), t("chiSquarePValueHint"), { step: "any", min: 0, max: 1 })}
            {field("jensenShannon", t("jensenShannon"), t("jensenShannonHint"), { step: "any", min: 0, max: 1 })}
            {field("datasetDriftShare", t("datasetDriftShare"), t("datasetDriftShareHint"), { step: "any", min: 0, max: 1 })}
            {field("liveMetric", t("liveMetric", { task }), liveMetricHint, { step: "any", min: 0 })}
          </div>
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend>{t("referenceData")}</legend>
          <div className={styles.settingsGrid}>
            <div className={ui.field}>
              <label htmlFor={`${ids}-dataset`}>{t("referenceDataset")}</label>
              <select
                id={`${ids}-dataset`}
                className={ui.input}
                value={referenceDataset}
                onChange={(event) => change("reference", event.target.value ? `${event.target.value}@` : "lineage")}
              >
                <option value="">{t("lineage")}</option>
                {referenceDataset && !datasets.data?.some((entry) => entry.name === referenceDataset) ? <option value={referenceDataset}>{referenceDataset}</option> : null}
                {datasets.data?.map((entry) => (
                  <option key={entry.name} value={entry.name}>
                    {entry.name}
                  </option>
                ))}
              </select>
              {datasets.error ? <p className={ui.error}>{errorText(datasets.error)}</p> : null}
            </div>
            {referenceDataset ? (
              <div className={ui.field}>
                <label htmlFor={`${ids}-reference`}>{t("referenceVersion")}</label>
                <select
                  id={`${ids}-reference`}
                  className={ui.input}
                  value={chosen ? String(chosen.version) : ""}
                  aria-invalid={errors.reference ? true : undefined}
                  aria-describedby={errors.reference ? `${ids}-reference-error` : undefined}
                  onChange={(event) => change("reference", `${referenceDataset}@${event.target.value}`)}
                >
                  <option value="">{t("chooseVersion")}</option>
                  {chosen && !dataset.data?.versions.some((entry) => entry.version === chosen.version) ? <option value={chosen.version}>v{chosen.version}</option> : null}
                  {dataset.data?.versions.map((entry) => (
                    <option key={entry.version} value={entry.version}>
                      {entry.rowCount !== null ? t("versionRows", { version: String(entry.version), rows: String(entry.rowCount) }) : `v${entry.version}`}
                    </option>
                  ))}
                </select>
                {dataset.error ? <p className={ui.error}>{errorText(dataset.error)}</p> : null}
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
            <legend>{t("columnOrder")}</legend>
            <p className={styles.hint}>
              {t.rich("columnOrderHelp", { code: (chunks) => <code>{chunks}</code>, input: matrix.inputName, width: matrix.width ?? "unknown" })}
              {matrix.confirmedOrder ? t("orderConfirmed") : t("orderUnconfirmed")}
            </p>
            <div className={ui.field}>
              <label htmlFor={`${ids}-column-order`}>{t("columnsLabel")}</label>
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
                {matrix.width === null
                  ? t("columnsNamedUnknown", { named: splitColumnOrder(columnOrder).length })
                  : t("columnsNamed", { named: splitColumnOrder(columnOrder).length, width: matrix.width })}
              </p>
            </div>
            <label>
              <input type="checkbox" checked={orderConfirmed} onChange={(event) => setOrderConfirmed(event.target.checked)} /> {t("confirmOrder")}
            </label>
          </fieldset>
        ) : null}
        {save.error && !fieldErrorsShown ? (
          <p role="alert" className={ui.error}>
            {errorText(save.error)}
          </p>
        ) : null}
        {fieldErrorsShown ? (
          <p role="alert" className={ui.error}>
            {t("fixFields")}
          </p>
        ) : null}
        {save.isSuccess && !save.isPending ? <p role="status">{t("saved")}</p> : null}
        <button type="submit" className={ui.button} disabled={save.isPending}>
          {save.isPending ? t("saving") : t("save")}
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
  const t = useTranslations("monitoring.settings");
  const format = useFormatter();
  if (run.isPending || run.error) return null;
  return (
    <p className={ui.muted} data-testid="retention-status">
      {run.data
        ? t("retentionRan", {
            at: format.dateTime(run.data.at, { dateStyle: "medium", timeStyle: "short" }),
            days: String(run.data.retentionDays),
            logs: String(run.data.inferenceRowsDeleted),
            feedback: String(run.data.feedbackRowsDeleted),
          })
        : t("retentionNotRun")}
    </p>
  );
}
