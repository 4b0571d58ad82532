"use client";
// "Request a review": the model version (from the URL), the evaluation dataset version, label and sensitive columns, criteria, approvals and context.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { modelVersionHref } from "@/components/models/model-format";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { ReviewFormDefaults } from "@/server/review/schema";
import { FavourableOutcomeField } from "./favourable-outcome-field";
import { emptyOutcomeValues, formToValueSettings, OutcomeValuesFieldset, type OutcomeValuesErrors } from "./outcome-values-fieldset";
import { ColumnOrderField, columnOrderToSend, useColumnOrderMessages, type ColumnOrderState } from "./column-mapping";
import { CriteriaEditor, useCriteriaFormMessages } from "./criteria-editor";
import { criteriaToForm, firstFieldError, formToCriteria, reviewHref, type CriteriaFormErrors, type CriteriaFormState } from "./review-format";
import styles from "./review.module.css";
import { useFieldErrorTexts } from "@/components/ui/use-error-text";

export function RequestReviewPage() {
  const { params, update } = useUrlState();
  const t = useTranslations("review.request");
  const model = params.get("model") ?? "";
  const version = /^\d+$/.test(params.get("version") ?? "") ? (params.get("version") as string) : "";
  return (
    <>
      <p className={ui.breadcrumb}>
        <Link href="/reviews">{t("reviews")}</Link> /
      </p>
      <h1>{t("title")}</h1>
      {model && version ? (
        <RequestReviewForm
          key={`${model}@${version}`}
          modelName={model}
          modelVersion={version}
          initialDataset={params.get("dataset") ?? ""}
          initialDatasetVersion={/^\d+$/.test(params.get("datasetVersion") ?? "") ? Number(params.get("datasetVersion")) : null}
        />
      ) : (
        <ModelVersionPicker initialModel={model} onPick={(name, picked) => update({ model: name, version: picked }, "push")} />
      )}
    </>
  );
}

/** Without ?model=&version= (the list's button), the model version is chosen first. */
function ModelVersionPicker({ initialModel, onPick }: { initialModel: string; onPick: (name: string, version: string) => void }) {
  const trpc = useTRPC();
  const ids = useId();
  const t = useTranslations("review.request");
  const [name, setName] = useState(initialModel);
  const [version, setVersion] = useState("");
  const models = useQuery(trpc.registry.listModels.queryOptions({}));
  const detail = useQuery(trpc.registry.model.queryOptions({ name }, { enabled: name !== "" }));
  const versions = detail.data?.versions.map((entry) => entry.version).sort((a, b) => Number(b) - Number(a)) ?? [];
  if (models.error) return <QueryError error={models.error} onRetry={() => void models.refetch()} />;
  return (
    <form
      className={ui.panel}
      aria-label={t("chooseVersion")}
      onSubmit={(event) => {
        event.preventDefault();
        const chosen = version || versions[0];
        if (name && chosen) onPick(name, chosen);
      }}
    >
      <p>{t("whichVersion")}</p>
      <div className={ui.toolbarFlush}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-model`}>{t("model")}</label>
          <select id={`${ids}-model`} className={ui.input} value={name} onChange={(event) => (setName(event.target.value), setVersion(""))}>
            <option value="">{models.isPending ? t("loadingModels") : t("chooseModel")}</option>
            {models.data?.map((entry) => (
              <option key={entry.name} value={entry.name}>
                {entry.name}
              </option>
            ))}
          </select>
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-version`}>{t("version")}</label>
          <select id={`${ids}-version`} className={ui.input} value={version || versions[0] || ""} disabled={!versions.length} onChange={(event) => setVersion(event.target.value)}>
            {versions.map((entry) => (
              <option key={entry} value={entry}>
                {t("versionNumber", { version: entry })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={ui.button} disabled={!name || !versions.length}>
          {t("continue")}
        </button>
      </div>
      {detail.error ? <p className={ui.error}>{detail.error.message}</p> : null}
    </form>
  );
}

interface ContextState {
  businessGoal: string;
  expectedRoi: string;
  knownLimits: string;
}

/** `initialDataset` (?dataset=&datasetVersion=) preselects the evaluation dataset version, e.g. from a link. */
export function RequestReviewForm({
  modelName,
  modelVersion,
  initialDataset = "",
  initialDatasetVersion = null,
}: {
  modelName: string;
  modelVersion: string;
  initialDataset?: string;
  initialDatasetVersion?: number | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const ids = useId();
  const t = useTranslations("review.request");
  const format = useFormatter();
  const criteriaMessages = useCriteriaFormMessages();
  const columnOrderMessages = useColumnOrderMessages();
  const [datasetName, setDatasetName] = useState(initialDataset);
  const [datasetVersion, setDatasetVersion] = useState<number | null>(initialDataset ? initialDatasetVersion : null);
  const datasets = useQuery(trpc.datasets.list.queryOptions({}));
  const dataset = useQuery(trpc.datasets.get.queryOptions({ name: datasetName }, { enabled: datasetName !== "" }));
  const defaults = useQuery(
    trpc.review.formDefaults.queryOptions({
      modelName,
      modelVersion,
      ...(datasetName && datasetVersion ? { datasetName, datasetVersion } : {}),
    }),
  );
  // The last answer stays on screen while the next dataset's defaults load, so the form does not flicker.
  const [shown, setShown] = useState<ReviewFormDefaults | null>(null);
  if (defaults.data && defaults.data !== shown) setShown(defaults.data);
  const current = defaults.data ?? shown;

  const [labelColumn, setLabelColumn] = useState("");
  const [sensitive, setSensitive] = useState<string[]>([]);
  const datasetKey = current?.dataset ? `${current.dataset.name}@${current.dataset.version}` : "";
  const [seenDatasetKey, setSeenDatasetKey] = useState("");
  const [columnOrder, setColumnOrder] = useState<ColumnOrderState>({ text: "", confirmed: false });
  const [favourable, setFavourable] = useState({ column: "", value: "" });
  if (datasetKey !== seenDatasetKey && current?.dataset) {
    setSeenDatasetKey(datasetKey);
    setLabelColumn(current.dataset.labelColumn ?? "");
    setSensitive(current.dataset.sensitiveAttributes);
    // The file's order is only a starting point: the requester reads it, edits it if need be, and confirms it.
    const label = current.dataset.labelColumn;
    setColumnOrder({ text: current.dataset.columns.filter((column) => column !== label).join(", "), confirmed: false });
  }
  const orderNeeded = current?.matrixInput && current.matrixInput.names === null ? current.matrixInput : null;
  const [criteria, setCriteria] = useState<CriteriaFormState | null>(null);
  const [seenTask, setSeenTask] = useState<string | null>(null);
  const taskKey = current ? String(current.task) : null;
  if (current && taskKey !== seenTask) {
    setSeenTask(taskKey);
    setCriteria(criteriaToForm(current.criteria));
  }
  const [requiredApprovals, setRequiredApprovals] = useState("1");
  const [context, setContext] = useState<ContextState>({ businessGoal: "", expectedRoi: "", knownLimits: "" });
  const [criteriaErrors, setCriteriaErrors] = useState<CriteriaFormErrors>({});
  const [outcomeValues, setOutcomeValues] = useState(emptyOutcomeValues);
  const [outcomeErrors, setOutcomeErrors] = useState<OutcomeValuesErrors>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const fieldErrorTexts = useFieldErrorTexts();

  const request = useMutation(
    trpc.review.request.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.review.list.pathKey() });
        router.push(reviewHref(result.id));
      },
      onError: (error) => {
        const fields = ["datasetName", "datasetVersion", "labelColumn", "sensitiveAttributes", "criteria", "requiredApprovals", "context", "columnOrder", "value"];
        const found: Record<string, string> = {};
        const texts = fieldErrorTexts(error);
        for (const field of fields) {
          const message = firstFieldError(texts, field);
          if (message) found[field] = message;
        }
        setFieldErrors(found);
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!datasetName) errors.datasetName = t("errors.dataset");
    if (!datasetVersion) errors.datasetVersion = t("errors.datasetVersion");
    if (!labelColumn) errors.labelColumn = t("errors.labelColumn");
    const approvals = Number(requiredApprovals);
    if (!Number.isInteger(approvals) || approvals < 1 || approvals > 10) errors.requiredApprovals = t("errors.approvals");
    const parsed = criteria ? formToCriteria(criteria, criteriaMessages) : null;
    const chosenSensitive = sensitive.filter((column) => column !== labelColumn);
    const order = orderNeeded && current?.dataset ? columnOrderToSend(columnOrder, orderNeeded.width, current.dataset.columns, labelColumn, columnOrderMessages) : null;
    if (order?.error) errors.columnOrder = order.error;
    if (parsed?.criteria && parsed.criteria.maxGroupGap !== null && chosenSensitive.length === 0) {
      // Same rule as the server: a gap limit with no attribute to group by could only fail.
      setCriteriaErrors({ maxGroupGapPoints: t("errors.gapWithoutAttribute") });
      setFieldErrors(errors);
      return;
    }
    setCriteriaErrors(parsed?.errors ?? {});
    setFieldErrors(errors);
    const value = formToValueSettings(outcomeValues, current?.task ?? null);
    setOutcomeErrors(value.errors);
    if (Object.keys(errors).length || Object.keys(value.errors).length || !parsed?.criteria || !datasetVersion) return;
    request.mutate({
      modelName,
      modelVersion,
      datasetName,
      datasetVersion,
      labelColumn,
      sensitiveAttributes: sensitive.filter((column) => column !== labelColumn),
      criteria: parsed.criteria,
      requiredApprovals: approvals,
      context,
      ...(order?.order ? { columnOrder: order.order } : {}),
      ...(favourable.column === labelColumn && favourable.value.trim() ? { favourableOutcome: favourable.value.trim() } : {}),
      ...(value.settings ? { value: value.settings } : {}),
    });
  }

  if (defaults.error && !current) return <QueryError error={defaults.error} onRetry={() => void defaults.refetch()} />;
  const columns = current?.dataset?.columns ?? [];
  const versions = dataset.data?.versions ?? [];
  const fieldError = (field: string) =>
    fieldErrors[field] ? (
      <p id={`${ids}-${field}-error`} className={ui.error}>
        {fieldErrors[field]}
      </p>
    ) : null;
  const describedBy = (field: string) => (fieldErrors[field] ? `${ids}-${field}-error` : undefined);

  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-label={t("title")}>
      <p>
        {t("modelLabel")}{" "}
        <Link href={modelVersionHref(modelName, modelVersion)}>
          {modelName}@{modelVersion}
        </Link>
        {current?.task ? <span className={ui.muted}> — {t(`tasks.${current.task}`)}</span> : null}
      </p>
      {current?.problem ? (
        <section className={styles.warning} role="alert" aria-labelledby={`${ids}-problem`}>
          <h2 id={`${ids}-problem`}>{t("cannotEvaluate")}</h2>
          <p>{current.problem}</p>
        </section>
      ) : null}

      <fieldset className={styles.fieldset}>
        <legend>{t("evaluationDataset")}</legend>
        {current?.trainingDatasets.length ? (
          <p className={styles.hint}>{t("trainedOn", { datasets: current.trainingDatasets.map((entry) => `${entry.name}@${entry.version}`).join(", ") })}</p>
        ) : null}
        <div className={ui.toolbarFlush}>
          <div className={ui.field}>
            <label htmlFor={`${ids}-dataset`}>{t("dataset")}</label>
            <select
              id={`${ids}-dataset`}
              className={ui.input}
              value={datasetName}
              aria-invalid={fieldErrors.datasetName ? true : undefined}
              aria-describedby={describedBy("datasetName")}
              onChange={(event) => {
                setDatasetName(event.target.value);
                setDatasetVersion(null);
              }}
            >
              <option value="">{datasets.isPending ? t("loadingDatasets") : t("chooseDataset")}</option>
              {datasets.data?.map((entry) => (
                <option key={entry.name} value={entry.name}>
                  {entry.name}
                </option>
              ))}
            </select>
            {fieldError("datasetName")}
          </div>
          <div className={ui.field}>
            <label htmlFor={`${ids}-dataset-version`}>{t("version")}</label>
            <select
              id={`${ids}-dataset-version`}
              className={ui.input}
              value={datasetVersion ?? ""}
              disabled={!versions.length}
              aria-invalid={fieldErrors.datasetVersion ? true : undefined}
              aria-describedby={describedBy("datasetVersion")}
              onChange={(event) => setDatasetVersion(event.target.value ? Number(event.target.value) : null)}
            >
              <option value="">{t("chooseVersionOption")}</option>
              {versions.map((entry) => (
                <option key={entry.version} value={entry.version}>
                  {t("versionNumber", { version: entry.version })}
                  {entry.rowCount === null ? "" : ` ${t("rows", { count: entry.rowCount, rows: format.number(entry.rowCount) })}`}
                  {entry.qualityStatus === "failed" ? ` ${t("failedQuality")}` : ""}
                </option>
              ))}
            </select>
            {fieldError("datasetVersion")}
          </div>
        </div>
        {datasets.error ? <p className={ui.error}>{datasets.error.message}</p> : null}
        {datasets.data?.length === 0 ? (
          <p className={ui.muted}>{t.rich("noDatasets", { link: (chunks) => <Link href="/datasets/new">{chunks}</Link> })}</p>
        ) : null}
        {current?.dataset?.trainingOverlap ? (
          <div className={styles.warning} role="alert">
            <p>
              <strong>{t("looksLikeTraining")}</strong> {current.dataset.trainingOverlap}
            </p>
          </div>
        ) : null}
        {current?.dataset ? (
          <>
            <div className={ui.field}>
              <label htmlFor={`${ids}-label`}>{t("labelColumn")}</label>
              <select
                id={`${ids}-label`}
                className={ui.input}
                value={labelColumn}
                aria-invalid={fieldErrors.labelColumn ? true : undefined}
                aria-describedby={describedBy("labelColumn")}
                onChange={(event) => setLabelColumn(event.target.value)}
              >
                <option value="">{t("chooseLabel")}</option>
                {columns.map((column) => (
                  <option key={column} value={column}>
                    {column}
                  </option>
                ))}
              </select>
              {fieldError("labelColumn")}
            </div>
            <fieldset className={styles.fieldset}>
              <legend>{t("sensitiveAttributes")}</legend>
              <p className={styles.hint}>{t("sensitiveHint")}</p>
              {columns
                .filter((column) => column !== labelColumn)
                .map((column) => (
                  <label key={column} className={ui.checkbox}>
                    <input
                      type="checkbox"
                      checked={sensitive.includes(column)}
                      onChange={(event) => setSensitive(event.target.checked ? [...sensitive, column] : sensitive.filter((entry) => entry !== column))}
                    />
                    {column}
                  </label>
                ))}
              {fieldError("sensitiveAttributes")}
            </fieldset>
            {labelColumn && current.task === "binary" ? (
              <FavourableOutcomeField labelColumn={labelColumn} values={current.dataset.columnValues?.[labelColumn] ?? null} value={favourable.column === labelColumn ? favourable.value : ""} onChange={(value) => setFavourable({ column: labelColumn, value })} />
            ) : null}
            {orderNeeded ? (
              <ColumnOrderField inputName={orderNeeded.inputName} width={orderNeeded.width} value={columnOrder} onChange={setColumnOrder} error={fieldErrors.columnOrder ?? null} />
            ) : null}
          </>
        ) : null}
      </fieldset>

      {criteria ? (
        <CriteriaEditor task={current?.task ?? null} value={criteria} onChange={setCriteria} errors={criteriaErrors} defaults={current?.criteria} />
      ) : (
        <p role="status">{t("loadingCriteria")}</p>
      )}
      {fieldError("criteria")}
      <OutcomeValuesFieldset task={current?.task ?? null} value={outcomeValues} onChange={setOutcomeValues} errors={outcomeErrors} />
      {fieldError("value")}

      <fieldset className={styles.fieldset}>
        <legend>{t("signOff")}</legend>
        <div className={ui.field}>
          <label htmlFor={`${ids}-approvals`}>{t("requiredApprovals")}</label>
          <input
            id={`${ids}-approvals`}
            className={`${ui.input} ${styles.small}`}
            type="number"
            min={1}
            max={10}
            value={requiredApprovals}
            aria-invalid={fieldErrors.requiredApprovals ? true : undefined}
            aria-describedby={describedBy("requiredApprovals")}
            onChange={(event) => setRequiredApprovals(event.target.value)}
          />
          {fieldError("requiredApprovals")}
        </div>
        {(
          [
            ["businessGoal", t("businessGoal"), t("businessGoalHint")],
            ["expectedRoi", t("expectedRoi"), t("expectedRoiHint")],
            ["knownLimits", t("knownLimits"), t("knownLimitsHint")],
          ] as const
        ).map(([field, label, hint]) => (
          <div key={field} className={ui.field}>
            <label htmlFor={`${ids}-${field}`}>{label}</label>
            <textarea
              id={`${ids}-${field}`}
              className={styles.textarea}
              maxLength={10_000}
              value={context[field]}
              aria-describedby={`${ids}-${field}-hint`}
              onChange={(event) => setContext({ ...context, [field]: event.target.value })}
            />
            <p id={`${ids}-${field}-hint`} className={styles.hint}>
              {hint}
            </p>
          </div>
        ))}
        {fieldError("context")}
      </fieldset>

      <p className={styles.links}>
        <button type="submit" className={ui.button} disabled={request.isPending || Boolean(current?.problem)}>
          {request.isPending ? t("requesting") : t("submit")}
        </button>
        <Link href={modelVersionHref(modelName, modelVersion)}>{t("cancel")}</Link>
      </p>
      {request.error ? (
        <p className={ui.error} role="alert">
          {request.error.message}
        </p>
      ) : null}
    </form>
  );
}
