"use client";
// The latest window's drift per feature (test, score against threshold, drifted, PSI band), sortable; choosing a
// feature shows its score over all windows.
import { useId, useState } from "react";
import {
  driftTestNames,
  featureScoreSeries,
  formatScore,
  formatWindowStart,
  latestWindowWithRows,
  psiBandText,
  scoreAgainstThreshold,
  sortFeatureDrift,
  type FeatureOrder,
} from "@/lib/monitoring-view";
import ui from "@/components/ui/ui.module.css";
import type { FeatureDrift, MonitoringWindow, WindowSize } from "@/server/monitoring/schema";
import styles from "./monitoring.module.css";
import { WindowChart } from "./window-chart";

const orderLabels: Record<FeatureOrder, string> = { drifted: "Drifted first", severity: "Score (most drift first)", name: "Feature name" };

export function FeatureDriftSection({ windows, size, initialFeature = null }: { windows: readonly MonitoringWindow[]; size: WindowSize; initialFeature?: string | null }) {
  const ids = useId();
  const [order, setOrder] = useState<FeatureOrder>("drifted");
  const [selected, setSelected] = useState<string | null>(initialFeature);
  const latest = latestWindowWithRows(windows);
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Feature drift</h2>
      {latest === null ? (
        <p className={ui.muted}>No window has rows with features yet, so there is no drift to show.</p>
      ) : (
        <>
          <div className={ui.toolbar}>
            <p className={`${ui.muted} ${ui.grow}`}>
              Window starting {formatWindowStart(latest.start, size)}: {latest.rows} row{latest.rows === 1 ? "" : "s"},{" "}
              {latest.features.filter((feature) => feature.drifted).length} of {latest.features.length} features drifted
              {latest.datasetDrifted ? " (dataset drift)" : ""}.
            </p>
            <div className={ui.field}>
              <label htmlFor={`${ids}-order`}>Sort features by</label>
              <select id={`${ids}-order`} className={ui.input} value={order} onChange={(event) => setOrder(event.target.value as FeatureOrder)}>
                {(Object.keys(orderLabels) as FeatureOrder[]).map((key) => (
                  <option key={key} value={key}>
                    {orderLabels[key]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <FeatureDriftTable features={latest.features} order={order} selected={selected} onSelect={setSelected} />
          {selected ? <FeatureHistory windows={windows} feature={selected} size={size} /> : <p className={ui.muted}>Choose a feature to see its drift score over the windows.</p>}
        </>
      )}
    </section>
  );
}

export function FeatureDriftTable({
  features,
  order,
  selected,
  onSelect,
}: {
  features: readonly FeatureDrift[];
  order: FeatureOrder;
  selected: string | null;
  onSelect: (feature: string) => void;
}) {
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label="Feature drift of the latest window">
        <thead>
          <tr>
            <th scope="col" aria-sort={order === "name" ? "ascending" : undefined}>
              Feature
            </th>
            <th scope="col">Kind</th>
            <th scope="col">Test</th>
            <th scope="col" className={ui.num} aria-sort={order === "severity" ? "descending" : undefined}>
              Score vs threshold
            </th>
            <th scope="col" aria-sort={order === "drifted" ? "descending" : undefined}>
              Drifted
            </th>
            <th scope="col">PSI</th>
            <th scope="col" className={ui.num}>
              Rows
            </th>
          </tr>
        </thead>
        <tbody>
          {sortFeatureDrift(features, order).map((feature) => (
            <tr key={feature.feature} className={feature.feature === selected ? styles.selectedRow : undefined}>
              <th scope="row">
                <button type="button" className={styles.featureButton} aria-pressed={feature.feature === selected} onClick={() => onSelect(feature.feature)}>
                  {feature.feature}
                </button>
              </th>
              <td>{feature.kind}</td>
              <td>{driftTestNames[feature.test]}</td>
              <td className={ui.num}>{scoreAgainstThreshold(feature)}</td>
              <td>
                {feature.drifted ? (
                  <span className={styles.drifted}>
                    <span aria-hidden="true">▲ </span>drifted
                  </span>
                ) : (
                  <span className={styles.stable}>
                    <span aria-hidden="true">✓ </span>no drift
                  </span>
                )}
              </td>
              <td>
                {formatScore(feature.psi)} <span className={styles[feature.psiBand]}>{psiBandText(feature.psiBand)}</span>
              </td>
              <td className={ui.num}>{feature.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FeatureHistory({ windows, feature, size }: { windows: readonly MonitoringWindow[]; feature: string; size: WindowSize }) {
  const points = featureScoreSeries(windows, feature);
  const test = latestWindowWithRows(windows)?.features.find((entry) => entry.feature === feature)?.test;
  const last = points[points.length - 1];
  return (
    <div className={styles.featureHistory}>
      <WindowChart
        title={`Drift of ${feature} over time`}
        rows={points.map((point) => ({ start: point.start, score: point.score }))}
        series={[{ key: "score", name: test ? driftTestNames[test] : "score", color: "var(--accent)" }]}
        size={size}
        format={formatScore}
        threshold={last ? { value: last.threshold, label: "threshold" } : null}
      />
    </div>
  );
}
