"use client";
// Champion vs challenger: a second version of the same model, loaded beside this one and run on the same inputs, with the differences.
import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { feedsFromRows, type InputPlan, type InputRow, type ModelInputInfo } from "@/lib/model-inputs";
import ui from "@/components/ui/ui.module.css";
import { comparePredictions, readPredictions, type PredictionDifference, type RowPrediction } from "./prediction-format";
import { PredictionSummary } from "./prediction-view";
import { ScoringError, type ScoringClient } from "./scoring-client";
import { useModelInputErrorText } from "./model-input-error-text";
import { useNumberCells } from "./number-cells";
import styles from "./playground.module.css";

export interface VersionChoice {
  version: string;
  aliases: string[];
}

interface Comparison {
  otherVersion: string;
  champion: RowPrediction;
  challenger: RowPrediction;
  difference: PredictionDifference;
  championMs: number;
  challengerMs: number;
}

export function ChampionChallenger({
  client,
  name,
  version,
  versions,
  plan,
  inputs,
  readRow,
  selected,
  onSelect,
  modelUrl,
  wasmPaths,
}: {
  client: ScoringClient | null;
  name: string;
  version: string;
  versions: readonly VersionChoice[];
  plan: InputPlan;
  inputs: readonly ModelInputInfo[];
  /** The form's row as it is now, read when the tool runs. */
  readRow: () => InputRow;
  selected: string | null;
  onSelect: (version: string) => void;
  modelUrl: (version: string) => string;
  wasmPaths: string;
}) {
  const t = useTranslations("playground.tools.compare");
  const cells = useNumberCells();
  const errorText = useModelInputErrorText();
  const id = useId();
  const others = versions.filter((choice) => choice.version !== version);
  // Unless the URL names one, the other side of the champion/challenger pair, else the newest other version.
  const chosen =
    others.find((choice) => choice.version === selected) ??
    others.find((choice) => choice.aliases.includes("challenger")) ??
    others.find((choice) => choice.aliases.includes("champion")) ??
    others[0] ??
    null;
  const loadedVersion = useRef<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function compare() {
    if (!client || !chosen) return;
    setBusy(true);
    setError(null);
    try {
      if (loadedVersion.current !== chosen.version) {
        const response = await fetch(modelUrl(chosen.version));
        if (!response.ok) throw new Error(t("fetchFailed", { version: chosen.version, status: response.status }));
        loadedVersion.current = null;
        await client.load("challenger", await response.arrayBuffer(), wasmPaths);
        loadedVersion.current = chosen.version;
      }
      const row = readRow();
      const feeds = feedsFromRows(plan, inputs, [row]);
      const mine = await client.run("main", feeds);
      const theirs = await client.run("challenger", feeds);
      const champion = readPredictions(mine.outputs)[0];
      const challenger = readPredictions(theirs.outputs)[0];
      setComparison({
        otherVersion: chosen.version,
        champion,
        challenger,
        difference: comparePredictions(champion, challenger),
        championMs: mine.runMs,
        challengerMs: theirs.runMs,
      });
    } catch (caught) {
      const reason = errorText(caught);
      setError(
        caught instanceof ScoringError && caught.operator
          ? t("runFailedOperator", { version: chosen.version, operator: caught.operator, reason })
          : t("runFailed", { version: chosen.version, reason }),
      );
    } finally {
      setBusy(false);
    }
  }

  const label = (choice: VersionChoice) =>
    choice.aliases.length ? t("versionAliases", { version: choice.version, aliases: choice.aliases.join(", ") }) : t("version", { version: choice.version });
  return (
    <section className={ui.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={ui.panelTitle}>
        {t("title")}
      </h2>
      {others.length === 0 ? (
        <p className={ui.muted}>{t("noOther", { name })}</p>
      ) : (
        <>
          <div className={ui.toolbar}>
            <div className={ui.field}>
              <label htmlFor={`${id}-version`}>{t("with")}</label>
              <select id={`${id}-version`} className={ui.input} value={chosen?.version ?? ""} onChange={(event) => onSelect(event.target.value)}>
                {others.map((choice) => (
                  <option key={choice.version} value={choice.version}>
                    {label(choice)}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" className={ui.button} onClick={compare} disabled={!client || busy}>
              {t("button")}
            </button>
          </div>
          {error ? (
            <p className={ui.error} role="alert">
              {error}
            </p>
          ) : null}
          {comparison ? (
            <div aria-label={t("region")} role="region">
              <div className={styles.columns}>
                <div>
                  <h3>
                    {t("version", { version })} <span className={ui.badge}>{t("thisPage")}</span>
                  </h3>
                  <PredictionSummary prediction={comparison.champion} />
                  <p className={styles.hint}>{t("ms", { ms: comparison.championMs })}</p>
                </div>
                <div>
                  <h3>{t("version", { version: comparison.otherVersion })}</h3>
                  <PredictionSummary prediction={comparison.challenger} />
                  <p className={styles.hint}>{t("ms", { ms: comparison.challengerMs })}</p>
                </div>
              </div>
              <h3>{t("difference", { other: comparison.otherVersion, version })}</h3>
              <p>
                {comparison.difference.labelChanged ? (
                  <strong>{t("labelChanges", { from: String(comparison.champion.label), to: String(comparison.challenger.label) })}</strong>
                ) : comparison.champion.label !== null ? (
                  <>{t("sameLabel", { label: String(comparison.champion.label) })}</>
                ) : null}{" "}
                {comparison.difference.maxAbsDelta !== null ? <>{t("largestChange", { delta: cells.significant(comparison.difference.maxAbsDelta, 4) })}</> : null}
              </p>
              {comparison.difference.probabilityDelta ? (
                <table className={ui.table} aria-label={t("tableLabel")}>
                  <thead>
                    <tr>
                      <th scope="col">{t("class")}</th>
                      <th scope="col" className={ui.num}>
                        {t("version", { version })}
                      </th>
                      <th scope="col" className={ui.num}>
                        {t("version", { version: comparison.otherVersion })}
                      </th>
                      <th scope="col" className={ui.num}>
                        {t("differenceColumn")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {comparison.difference.probabilityDelta.map((delta, i) => (
                      <tr key={i}>
                        <td>{t("classN", { index: i })}</td>
                        <td className={ui.num}>{cells.percent(comparison.champion.probabilities![i]!)}</td>
                        <td className={ui.num}>{cells.percent(comparison.challenger.probabilities![i]!)}</td>
                        <td className={`${ui.num} ${delta > 0 ? styles.positive : delta < 0 ? styles.negative : ""}`}>
                          {t("points", { sign: delta >= 0 ? "+" : "−", points: Math.abs(delta) * 100 })}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
