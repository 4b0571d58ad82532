"use client";
// Batch scoring: a dropped or chosen CSV scored in the worker chunk by chunk, with progress, a 100-row preview and a CSV download.
import { useTranslations } from "next-intl";
import Papa from "papaparse";
import { useId, useState, type DragEvent } from "react";
import { toCsv } from "@/lib/csv";
import { columnOrderFindings, parseColumnOrder } from "@/lib/feature-names";
import {
  extraCsvColumns,
  feedsFromRows,
  missingCsvColumns,
  ModelInputError,
  rowFromCsvRecord,
  withConfirmedColumns,
  type InputPlan,
  type InputRow,
  type ModelInputInfo,
} from "@/lib/model-inputs";
import ui from "@/components/ui/ui.module.css";
import { useModelInputErrorText } from "./model-input-error-text";
import { useNumberCells } from "./number-cells";
import { chunkRanges, readPredictions, resultColumns, resultRow, withFileColumns, type RowPrediction } from "./prediction-format";
import type { ScoringClient } from "./scoring-client";
import styles from "./playground.module.css";

// Big enough that the worker round trip is small next to ORT's work, small enough that progress moves.
const CHUNK_ROWS = 1000;
const PREVIEW_ROWS = 100;

interface BatchResult {
  columns: string[];
  rows: (string | number | null)[][];
  scoreMs: number;
  fileName: string;
  /** The file's columns the model does not take: listed, then ignored. */
  ignored: string[];
}

/** A model whose columns nothing names, and a file without x0…: the user confirms which file columns feed it, in order. */
interface OrderQuestion {
  header: string[];
  text: string;
  confirmed: boolean;
}

export function BatchScoring({ client, plan, inputs, modelName }: { client: ScoringClient | null; plan: InputPlan; inputs: readonly ModelInputInfo[]; modelName: string }) {
  const t = useTranslations("playground.tools.batch");
  const cells = useNumberCells();
  const errorText = useModelInputErrorText();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<BatchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [order, setOrder] = useState<OrderQuestion | null>(null);
  const running = progress !== null && progress.done < progress.total;

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) choose(dropped);
  }

  function choose(chosen: File) {
    setFile(chosen);
    setOrder(null);
    setResult(null);
    setError(null);
    setProgress(null);
  }

  async function score() {
    if (!client || !file) return;
    setError(null);
    setResult(null);
    try {
      // No dynamic typing: every cell stays the text written, and the model's input types convert it.
      const parsed = Papa.parse<Record<string, string>>(await file.text(), { header: true, skipEmptyLines: "greedy" });
      const header = parsed.meta.fields ?? [];
      let active = plan;
      if (plan.unnamed && missingCsvColumns(plan, header).length > 0) {
        // Nothing names the model's columns and the file does not use x0…: never feed its columns by position unasked.
        if (!order || order.header.join("\u0000") !== header.join("\u0000")) {
          setOrder({ header, text: header.slice(0, plan.fields.length).join(", "), confirmed: false });
          throw new ModelInputError(t("needOrder", { count: plan.fields.length }));
        }
        const columns = parseColumnOrder(order.text);
        const findings = columnOrderFindings(columns, plan.fields.length, header);
        const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(", ");
        const problems = [
          findings.wrongCount ? t("orderWrongCount", { width: plan.fields.length, listed: columns.length }) : null,
          findings.repeated.length ? t("orderRepeated", { names: quoted(findings.repeated) }) : null,
          findings.absent.length ? t("orderAbsent", { names: quoted(findings.absent) }) : null,
        ].filter((problem) => problem !== null);
        if (problems.length) throw new ModelInputError(problems.join(" "));
        if (!order.confirmed) throw new ModelInputError(t("tickOrder"));
        active = withConfirmedColumns(plan, columns);
      }
      const missing = missingCsvColumns(active, header);
      if (missing.length) throw new ModelInputError(t("missingColumns", { count: missing.length, columns: missing.join(", ") }));
      if (parsed.data.length === 0) throw new ModelInputError(t("noRows"));
      const rows: InputRow[] = parsed.data.map((record, i) => rowFromCsvRecord(active, record, i + 1));
      setProgress({ done: 0, total: rows.length });
      const predictions: RowPrediction[] = [];
      let scoreMs = 0;
      for (const [start, end] of chunkRanges(rows.length, CHUNK_ROWS)) {
        const { outputs, roundTripMs } = await client.run("main", feedsFromRows(active, inputs, rows.slice(start, end)));
        predictions.push(...readPredictions(outputs));
        scoreMs += roundTripMs;
        setProgress({ done: end, total: rows.length });
      }
      // The columns the model does not take (the label above all) stay in the results, after the inputs.
      const ignored = extraCsvColumns(active, header);
      const keys = [...active.fields.map((field) => field.key), ...ignored];
      setResult({
        ignored,
        columns: resultColumns(keys, predictions[0]),
        rows: predictions.map((prediction, i) => resultRow(withFileColumns(rows[i], parsed.data[i], ignored), keys, prediction)),
        scoreMs,
        fileName: file.name,
      });
    } catch (caught) {
      setProgress(null);
      setError(errorText(caught));
    }
  }

  function download() {
    if (!result) return;
    const blob = new Blob([toCsv(result.columns, result.rows)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${modelName}-${result.fileName.replace(/\.csv$/i, "")}-scored.csv`;
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section className={ui.panel} aria-labelledby={`${fileId}-title`}>
      <h2 id={`${fileId}-title`} className={ui.panelTitle}>
        {t("title")}
      </h2>
      <div
        className={styles.drop}
        data-over={over || undefined}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <div className={ui.field}>
          <label htmlFor={fileId}>{t("file")}</label>
          <input id={fileId} type="file" accept=".csv,text/csv" onChange={(event) => event.target.files?.[0] && choose(event.target.files[0])} />
        </div>
        <p className={styles.hint}>{t("header", { columns: plan.fields.map((field) => field.key).join(", ") })}</p>
      </div>
      <div className={ui.toolbar} style={{ marginTop: "0.75rem" }}>
        <button type="button" className={ui.button} onClick={score} disabled={!client || !file || running}>
          {t("score")}
        </button>
        {result ? (
          <button type="button" className={ui.secondary} onClick={download}>
            {t("download")}
          </button>
        ) : null}
      </div>
      {order ? (
        <fieldset className={ui.panel}>
          <legend>{t("orderLegend")}</legend>
          <p className={styles.hint} id={`${fileId}-order-hint`}>
            {t("orderHint", { count: plan.fields.length })}
          </p>
          <div className={ui.field}>
            <label htmlFor={`${fileId}-order`}>{t("orderLabel")}</label>
            <textarea
              id={`${fileId}-order`}
              className={ui.input}
              rows={3}
              value={order.text}
              aria-describedby={`${fileId}-order-hint`}
              onChange={(event) => setOrder({ ...order, text: event.target.value, confirmed: false })}
            />
          </div>
          <label className={ui.checkbox}>
            <input type="checkbox" checked={order.confirmed} onChange={(event) => setOrder({ ...order, confirmed: event.target.checked })} />
            {t("orderConfirm")}
          </label>
        </fieldset>
      ) : null}
      {progress ? (
        <p>
          <progress className={styles.progress} value={progress.done} max={progress.total} aria-label={t("progressLabel")} />
          <span role="status">
            {t("progress", { done: progress.done, total: progress.total, percent: progress.done / progress.total })}
          </span>
        </p>
      ) : null}
      {error ? (
        <p className={ui.error} role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <>
          <p className={styles.hint}>
            {t("result", { rows: result.rows.length, ms: result.scoreMs, perRow: (1000 * result.scoreMs) / result.rows.length, shown: Math.min(PREVIEW_ROWS, result.rows.length) })}
          </p>
          {result.ignored.length ? <p className={styles.hint}>{t("ignored", { columns: result.ignored.join(", ") })}</p> : null}
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-label={t("previewLabel")}>
              <thead>
                <tr>
                  {result.columns.map((column) => (
                    <th key={column} scope="col">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.rows.slice(0, PREVIEW_ROWS).map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) => (
                      <td key={j} className={typeof cell === "number" ? ui.num : undefined}>
                        {typeof cell === "number" && !Number.isInteger(cell) ? cells.significant(cell, 5) : String(cell ?? "")}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
