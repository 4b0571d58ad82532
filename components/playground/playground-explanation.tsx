"use client";
// Next to a single-row answer: why the model answered so, computed in the browser (onnxruntime-web in the scoring
// worker) against the first rows of the training dataset, and for binary models a counterfactual on the features the
// user ticks as actionable.
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { memo, useEffect, useMemo, useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { CounterfactualText, ExplanationSentence, ExplanationWaterfall, type ExplanationData } from "@/components/review/explanation-view";
import ui from "@/components/ui/ui.module.css";
import { findCounterfactual, type Counterfactual } from "@/lib/counterfactual";
import { backgroundMeans } from "@/lib/explanation-sentence";
import type { InputPlan, InputRow, ModelInputInfo } from "@/lib/model-inputs";
import { shapleyValues, type BatchPredict, type FeatureBatch } from "@/lib/shapley";
import { backgroundFromPreview, explainedOutputOf, feedsFromBatch, playgroundRanges, rowValues, workerPredict } from "./explanation-model";
import type { ScoringClient } from "./scoring-client";
import styles from "./playground.module.css";

/** Background rows read from the training dataset's preview (its first rows). */
const BACKGROUND_ROWS = 50;
/** Model rows per explanation in the browser (30 features → 480 coalitions × 20 background rows): bench/explanations. */
const BROWSER_MAX_MODEL_ROWS = 10_000;

export type ExplanationState =
  | { status: "computing" }
  | { status: "failed"; message: string }
  | { status: "ready"; data: Omit<ExplanationData, "target">; explainedClass: number | null; ms: number; modelRows: number; backgroundRows: number; binary: boolean; predict: BatchPredict };

/** Memoised: the answer it explains does not change while the form's fields do. */
export const PlaygroundExplanation = memo(function PlaygroundExplanation({
  client,
  plan,
  inputs,
  row,
  dataset,
}: {
  client: ScoringClient | null;
  plan: InputPlan;
  inputs: readonly ModelInputInfo[];
  row: InputRow;
  dataset: { name: string; version: number } | null;
}) {
  const trpc = useTRPC();
  const preview = useQuery({
    ...trpc.datasets.preview.queryOptions({ name: dataset?.name ?? "-", version: dataset?.version ?? 1, offset: 0, limit: BACKGROUND_ROWS }),
    enabled: dataset !== null,
    retry: false,
  });
  const background = useMemo(() => backgroundFromPreview(plan, preview.data ?? null), [plan, preview.data]);
  const [state, setState] = useState<ExplanationState>({ status: "computing" });

  useEffect(() => {
    if (!client || !background) return;
    let cancelled = false;
    const values = rowValues(plan, row);
    const run = (feeds: Parameters<ScoringClient["run"]>[1]) => client.run("main", feeds);
    (async () => {
      setState({ status: "computing" });
      const batch: FeatureBatch = { rowCount: 1, columns: values.map((value) => (typeof value === "string" ? [value] : Float64Array.of(value))) };
      // The same feeds as the explanation's batches, so the explained output is read from identical inputs.
      const { outputs } = await run(feedsFromBatch(plan, inputs, batch));
      const explained = explainedOutputOf(outputs);
      if (!explained) throw new Error("the model has no probability or numeric output to explain");
      let modelRows = 0;
      const predict = workerPredict(run, plan, inputs, explained);
      const counting: BatchPredict = (scored) => {
        modelRows += scored.rowCount;
        return predict(scored);
      };
      const started = performance.now();
      const result = await shapleyValues(values, { background, predict: counting, maxModelRows: BROWSER_MAX_MODEL_ROWS });
      const ms = performance.now() - started;
      const binary = explained.kind === "probability" && explained.classCount === 2;
      if (cancelled) return;
      setState({
        status: "ready",
        ms,
        modelRows,
        backgroundRows: result.backgroundRows,
        binary,
        predict,
        explainedClass: explained.kind === "probability" ? explained.classIndex : null,
        data: {
          features: plan.fields.map((field) => field.key),
          values,
          contributions: result.contributions,
          baseValue: result.baseValue,
          output: result.output,
          means: backgroundMeans(background),
        },
      });
    })().catch((error: unknown) => {
      if (!cancelled) setState({ status: "failed", message: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      cancelled = true;
    };
  }, [client, plan, inputs, row, background]);

  const noBackground = dataset === null || preview.isError || (preview.isSuccess && background === null);
  return (
    <PlaygroundExplanationView
      state={noBackground ? null : state}
      plan={plan}
      row={row}
      background={background}
      datasetLabel={dataset ? `${dataset.name} v${dataset.version}` : ""}
    />
  );
});

/** The explanation as shown; `state` null = no background rows to measure against. */
export function PlaygroundExplanationView({
  state,
  plan,
  row,
  background,
  datasetLabel,
}: {
  state: ExplanationState | null;
  plan: InputPlan;
  row: InputRow;
  background: readonly (readonly (number | string)[])[] | null;
  datasetLabel: string;
}) {
  const t = useTranslations("reasons");
  const [actionable, setActionable] = useState<Set<number>>(() => new Set());
  const [counterfactual, setCounterfactual] = useState<{ status: "searching" } | { status: "done"; result: Counterfactual } | { status: "failed"; message: string } | null>(null);

  let body;
  if (state === null) body = <p className={ui.muted}>{t("playground.noBackground")}</p>;
  else if (state.status === "computing") body = <p role="status">{t("playground.computing")}</p>;
  else if (state.status === "failed") body = <p className={ui.error}>{t("playground.failed", { message: state.message })}</p>;
  else {
    const data: ExplanationData = { ...state.data, target: state.explainedClass === null ? t("targetValue") : t("targetProbability", { className: String(state.explainedClass) }) };
    const ready = state;
    const search = async () => {
      if (!background) return;
      setCounterfactual({ status: "searching" });
      try {
        const result = await findCounterfactual(rowValues(plan, row), { predict: ready.predict, actionable: [...actionable], ranges: playgroundRanges(plan, background) });
        setCounterfactual({ status: "done", result });
      } catch (error) {
        setCounterfactual({ status: "failed", message: error instanceof Error ? error.message : String(error) });
      }
    };
    body = (
      <>
        <ExplanationSentence data={data} />
        <ExplanationWaterfall data={data} />
        <p className={styles.hint}>{t("playground.timing", { count: state.modelRows, ms: Math.round(state.ms), rows: state.backgroundRows, dataset: datasetLabel })}</p>
        {state.binary ? (
          <fieldset className={ui.panel}>
            <legend>{t("counterfactual.title")}</legend>
            <p>{t("playground.actionable")}</p>
            <div className={styles.actionable}>
              {plan.fields.map((field, index) => (
                <label key={field.key}>
                  <input
                    type="checkbox"
                    data-testid="actionable-feature"
                    value={field.key}
                    checked={actionable.has(index)}
                    onChange={(event) => {
                      const next = new Set(actionable);
                      if (event.target.checked) next.add(index);
                      else next.delete(index);
                      setActionable(next);
                      setCounterfactual(null);
                    }}
                  />{" "}
                  {field.key}
                </label>
              ))}
            </div>
            <button type="button" className={ui.button} onClick={() => void search()} disabled={actionable.size === 0 || counterfactual?.status === "searching"}>
              {counterfactual?.status === "searching" ? t("playground.searching") : t("playground.find")}
            </button>
            {actionable.size === 0 ? <p className={styles.hint}>{t("playground.pickActionable")}</p> : null}
            {counterfactual?.status === "done" ? (
              <CounterfactualText
                counterfactual={
                  counterfactual.result.found
                    ? { ...counterfactual.result, changes: counterfactual.result.changes.map((change) => ({ ...change, feature: plan.fields[change.feature].key })) }
                    : { found: false, output: counterfactual.result.output, changes: [] }
                }
                wasPositive={state.data.output >= 0.5}
              />
            ) : null}
            {counterfactual?.status === "failed" ? <p className={ui.error}>{t("playground.failed", { message: counterfactual.message })}</p> : null}
          </fieldset>
        ) : null}
      </>
    );
  }
  return (
    <section aria-label={t("playground.title")} data-testid="playground-explanation">
      <h3>{t("playground.title")}</h3>
      {body}
    </section>
  );
}
