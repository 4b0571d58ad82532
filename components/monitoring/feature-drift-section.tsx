"use client";
// The latest window's drift per feature (test, score against threshold, drifted, PSI band), sortable; choosing a
// feature shows its score over all windows.
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import {
  featureScoreSeries,
  formatWindowStart,
  latestWindowWithRows,
  psiBandLimits,
  scoreAgainstThreshold,
  sortFeatureDrift,
  type FeatureOrder,
} from "@/lib/monitoring-view";
import ui from "@/components/ui/ui.module.css";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import type { FeatureDrift, MonitoringWindow, WindowSize } from "@/server/monitoring/schema";
import styles from "./monitoring.module.css";
import { WindowChart } from "./window-chart";

const orders: readonly FeatureOrder[] = ["drifted", "severity", "name"];

export function FeatureDriftSection({ windows, size, initialFeature = null }: { windows: readonly MonitoringWindow[]; size: WindowSize; initialFeature?: string | null }) {
  const ids = useId();
  const [order, setOrder] = useState<FeatureOrder>("drifted");
  const [selected, setSelected] = useState<string | null>(initialFeature);
  const latest = latestWindowWithRows(windows);
  const t = useTranslations("monitoring.drift");
  return (
    <section aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("title")}</h2>
      {latest === null ? (
        <p className={ui.muted}>{t("noRows")}</p>
      ) : (
        <>
          <div className={ui.toolbar}>
            <p className={`${ui.muted} ${ui.grow}`}>
              {t("window", {
                when: formatWindowStart(latest.start, size),
                rows: latest.rows,
                drifted: latest.features.filter((feature) => feature.drifted).length,
                features: latest.features.length,
                datasetDrift: latest.datasetDrifted ? "yes" : "no",
              })}
            </p>
            <div className={ui.field}>
              <label htmlFor={`${ids}-order`}>{t("sortBy")}</label>
              <select id={`${ids}-order`} className={ui.input} value={order} onChange={(event) => setOrder(event.target.value as FeatureOrder)}>
                {orders.map((key) => (
                  <option key={key} value={key}>
                    {t(`order.${key}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <FeatureDriftTable features={latest.features} order={order} selected={selected} onSelect={setSelected} />
          {selected ? <FeatureHistory windows={windows} feature={selected} size={size} /> : <p className={ui.muted}>{t("chooseFeature")}</p>}
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
  const t = useTranslations("monitoring.drift");
  const format = useLocaleFormat();
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label={t("tableLabel")}>
        <thead>
          <tr>
            <th scope="col" aria-sort={order === "name" ? "ascending" : undefined}>
              {t("feature")}
            </th>
            <th scope="col">{t("kind")}</th>
            <th scope="col">{t("test")}</th>
            <th scope="col" className={ui.num} aria-sort={order === "severity" ? "descending" : undefined}>
              {t("scoreVsThreshold")}
            </th>
            <th scope="col" aria-sort={order === "drifted" ? "descending" : undefined}>
              {t("drifted")}
            </th>
            <th scope="col">{t("psi")}</th>
            <th scope="col" className={ui.num}>
              {t("rows")}
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
              <td>{t(`kinds.${feature.kind}`)}</td>
              <td>{t(`tests.${feature.test}`)}</td>
              <td className={ui.num}>{scoreAgainstThreshold(feature, format.locale)}</td>
              <td>
                {feature.drifted ? (
                  <span className={styles.drifted}>
                    <span aria-hidden="true">▲ </span>
                    {t("isDrifted")}
                  </span>
                ) : (
                  <span className={styles.stable}>
                    <span aria-hidden="true">✓ </span>
                    {t("noDrift")}
                  </span>
                )}
              </td>
              <td>
                {format.score(feature.psi)} <span className={styles[feature.psiBand]}>{t(`psiBand.${feature.psiBand}`, { moderate: format.score(psiBandLimits.moderate), significant: format.score(psiBandLimits.significant) })}</span>
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
  const t = useTranslations("monitoring.drift");
  const format = useLocaleFormat();
  return (
    <div className={styles.featureHistory}>
      <WindowChart
        title={t("history", { feature })}
        rows={points.map((point) => ({ start: point.start, score: point.score }))}
        series={[{ key: "score", name: test ? t(`tests.${test}`) : t("score"), color: "var(--accent)" }]}
        size={size}
        format={format.score}
        threshold={last ? { value: last.threshold, label: t("threshold") } : null}
      />
    </div>
  );
}
