"use client";
// Champion vs challenger on a labelled CSV: pick two versions and a file, the server scores both, the page shows how often
// they agree, each one's metrics, the rows where they differ, and offers the results (every column kept, label included).
import Papa from "papaparse";
import { useId, useState } from "react";
import ui from "@/components/ui/ui.module.css";
import type { ChampionChallengerReport } from "@/server/registry/champion-challenger";
import styles from "./models.module.css";

export interface ComparableVersion {
  version: string;
  aliases: readonly string[];
}

const metricLabels: Record<string, string> = { accuracy: "Accuracy", macro_f1: "Macro F1", rmse: "RMSE", mae: "MAE", r2: "R²" };
const lowerIsBetter = new Set(["rmse", "mae"]);
const LIKELY_LABELS = /^(label|target|y|class|outcome|approved|malignant|species|progression)$/i;

/** The default pair: the champion and challenger aliases when set, else the two newest versions (older as champion). */
export function defaultPair(versions: readonly ComparableVersion[]): { champion: string; challenger: string } {
  const newestFirst = [...versions].sort((a, b) => Number(b.version) - Number(a.version));
  const champion = newestFirst.find((v) => v.aliases.includes("champion"))?.version ?? newestFirst[1]?.version ?? newestFirst[0]?.version ?? "";
  const challenger = newestFirst.find((v) => v.aliases.includes("challenger") && v.version !== champion)?.version ?? newestFirst.find((v) => v.version !== champion)?.version ?? "";
  return { champion, challenger };
}

function formatMetric(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(4);
}

export function ChampionChallengerCsv({ name, versions }: { name: string; versions: readonly ComparableVersion[] }) {
  const id = useId();
  const initial = defaultPair(versions);
  const [champion, setChampion] = useState(initial.champion);
  const [challenger, setChallenger] = useState(initial.challenger);
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  const [labelColumn, setLabelColumn] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ChampionChallengerReport | null>(null);
  const label = (v: ComparableVersion) => `Version ${v.version}${v.aliases.length ? ` (${v.aliases.join(", ")})` : ""}`;

  async function choose(chosen: File | undefined) {
    setReport(null);
    setError(null);
    setFile(null);
    setHeader([]);
    if (!chosen) return;
    if (!/\.(csv|txt)$/i.test(chosen.name)) {
      setError(`${chosen.name} is not a CSV file: choose a .csv file with a header row and a label column.`);
      return;
    }
    // The header only: the file itself is sent whole to the server, which scores it.
    const firstLines = await chosen.slice(0, 64 * 1024).text();
    const fields = (Papa.parse<string[]>(firstLines.replace(/^\uFEFF/, ""), { preview: 1 }).data[0] ?? []).map((field) => field.trim()).filter(Boolean);
    if (fields.length < 2) {
      setError(`${chosen.name} has no header row with a label and feature columns.`);
      return;
    }
    setFile(chosen);
    setHeader(fields);
    setLabelColumn(fields.find((field) => LIKELY_LABELS.test(field)) ?? fields[fields.length - 1]);
  }

  async function compare() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const query = new URLSearchParams({ name, champion, challenger, label: labelColumn });
      const response = await fetch(`/api/models/compare?${query}`, { method: "POST", headers: { "content-type": "text/csv" }, body: file });
      const body = (await response.json().catch(() => null)) as (ChampionChallengerReport & { message?: string }) | null;
      if (!response.ok || !body) throw new Error(body?.message ?? `The studio answered ${response.status} without an explanation; try again.`);
      setReport(body);
    } catch (caught) {
      setError(caught instanceof TypeError ? "The studio did not answer: check your connection, then try again." : (caught as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function download() {
    if (!report || !file) return;
    const url = URL.createObjectURL(new Blob([report.resultsCsv], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${name}-v${champion}-vs-v${challenger}-${file.name.replace(/\.(csv|txt)$/i, "")}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section className={ui.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={ui.panelTitle}>
        Champion vs challenger on a CSV
      </h2>
      {versions.length < 2 ? (
        <p className={ui.muted}>{name} has one version: register another to compare them.</p>
      ) : (
        <>
          <p className={styles.hint}>Both versions score the file on the server; its header must name the models&apos; inputs and hold the true outcome.</p>
          <div className={styles.formRow}>
            <div className={ui.field}>
              <label htmlFor={`${id}-champion`}>Champion</label>
              <select id={`${id}-champion`} className={styles.select} value={champion} onChange={(event) => setChampion(event.target.value)}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {label(v)}
                  </option>
                ))}
              </select>
            </div>
            <div className={ui.field}>
              <label htmlFor={`${id}-challenger`}>Challenger</label>
              <select id={`${id}-challenger`} className={styles.select} value={challenger} onChange={(event) => setChallenger(event.target.value)}>
                {versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {label(v)}
                  </option>
                ))}
              </select>
            </div>
            <div className={ui.field}>
              <label htmlFor={`${id}-file`}>Labelled CSV file</label>
              <input id={`${id}-file`} type="file" accept=".csv,text/csv" onChange={(event) => void choose(event.target.files?.[0])} />
            </div>
            {header.length ? (
              <div className={ui.field}>
                <label htmlFor={`${id}-label`}>Label column</label>
                <select id={`${id}-label`} className={styles.select} value={labelColumn} onChange={(event) => setLabelColumn(event.target.value)}>
                  {header.map((field) => (
                    <option key={field} value={field}>
                      {field}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <button type="button" className={ui.button} onClick={compare} disabled={!file || busy || champion === challenger}>
              {busy ? "Scoring both…" : "Compare versions"}
            </button>
          </div>
          {champion === challenger ? <p className={styles.hint}>Pick two different versions.</p> : null}
        </>
      )}
      {error ? (
        <p className={ui.error} role="alert">
          {error}
        </p>
      ) : null}
      {report ? <ComparisonReport report={report} onDownload={download} /> : null}
    </section>
  );
}

function ComparisonReport({ report, onDownload }: { report: ChampionChallengerReport; onDownload: () => void }) {
  const [first, second] = report.versions;
  const metricNames = first.metrics.map((metric) => metric.name);
  const better = (metric: string, a: number, b: number) => (a === b ? null : lowerIsBetter.has(metric) ? a < b : a > b);
  return (
    <div role="region" aria-label="Comparison result">
      <p className={styles.notice} role="status">
        <strong>
          Agreement {(report.agreementRate * 100).toFixed(1)}%: {report.agreeing.toLocaleString("en-US")} of {report.comparedRows.toLocaleString("en-US")} rows
        </strong>{" "}
        ({report.agreementRule})
      </p>
      {report.notes.length ? (
        <ul className={styles.hint}>
          {report.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label="Metrics of both versions">
          <thead>
            <tr>
              <th scope="col">Metric (on {report.comparedRows.toLocaleString("en-US")} rows)</th>
              <th scope="col" className={ui.num}>
                Champion v{first.version}
              </th>
              <th scope="col" className={ui.num}>
                Challenger v{second.version}
              </th>
            </tr>
          </thead>
          <tbody>
            {metricNames.map((metric, index) => {
              const a = first.metrics[index].value;
              const b = second.metrics[index].value;
              const championBetter = better(metric, a, b);
              return (
                <tr key={metric}>
                  <th scope="row">{metricLabels[metric] ?? metric}</th>
                  <td className={ui.num}>
                    {formatMetric(a)}
                    {championBetter === true ? <span className={ui.badge}>better</span> : null}
                  </td>
                  <td className={ui.num}>
                    {formatMetric(b)}
                    {championBetter === false ? <span className={ui.badge}>better</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className={styles.formRow}>
        <button type="button" className={ui.secondary} onClick={onDownload}>
          Download results CSV
        </button>
        <span className={styles.hint}>Every row and column of your file (the label included), both predictions and whether they agree.</span>
      </div>
      <h3>
        Disagreements ({report.disagreementCount.toLocaleString("en-US")}
        {report.disagreementCount > report.disagreements.length ? `, the first ${report.disagreements.length} shown` : ""})
      </h3>
      {report.disagreements.length ? (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label="Disagreements">
            <thead>
              <tr>
                <th scope="col" className={ui.num}>
                  Row
                </th>
                <th scope="col">{report.labelColumn} (label)</th>
                <th scope="col">Champion v{first.version}</th>
                <th scope="col">Challenger v{second.version}</th>
              </tr>
            </thead>
            <tbody>
              {report.disagreements.map((row) => (
                <tr key={row.row}>
                  <td className={ui.num}>{row.row}</td>
                  <td>{row.label}</td>
                  <td>
                    {row.champion}
                    {report.task !== "regression" && row.champion === row.label ? <span className={ui.badge}>right</span> : null}
                  </td>
                  <td>
                    {row.challenger}
                    {report.task !== "regression" && row.challenger === row.label ? <span className={ui.badge}>right</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={ui.muted}>The two versions agree on every compared row.</p>
      )}
    </div>
  );
}
