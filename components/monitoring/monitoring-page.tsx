"use client";
// A model's monitoring page: window size in the URL, production version and reference data, the health flag with
// the way forward, charts over time, the latest window's feature drift, and the settings (writers).
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useId, type ReactNode } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { datasetVersionHref, modelHref, modelVersionHref } from "@/components/models/model-format";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { useLocaleFormat, type LocaleFormat } from "@/components/ui/use-locale-format";
import { useServerSentence } from "@/components/ui/use-server-sentence";
import { useUrlState } from "@/components/ui/use-url-state";
import { hasTraffic, liveMetricName, monitoringChartRows } from "@/lib/monitoring-view";
import { zWindowSize, type MonitoringView, type WindowSize } from "@/server/monitoring/schema";
import { FeatureDriftSection } from "./feature-drift-section";
import { MonitoringSettingsForm } from "./monitoring-settings";
import styles from "./monitoring.module.css";
import { WindowChart } from "./window-chart";
import { LiveValueSection } from "./live-value-section";

export function MonitoringPage({ name }: { name: string }) {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const parsedWindow = zWindowSize.safeParse(params.get("window"));
  const windowSize: WindowSize = parsedWindow.success ? parsedWindow.data : "hour";
  const canWrite = usePermission("models.write");
  const view = useQuery(trpc.monitoring.view.queryOptions({ name, window: windowSize }));
  const t = useTranslations("monitoring.page");
  return (
    <>
      <p className={ui.breadcrumb}>
        <Link href="/models">{t("models")}</Link> / <Link href={modelHref(name)}>{name}</Link> /
      </p>
      <div className={styles.headerRow}>
        <h1>{t("title")}</h1>
        <WindowPicker value={windowSize} onChange={(next) => update({ window: next === "hour" ? null : next }, "push")} />
      </div>
      {view.error ? (
        <QueryError error={view.error} onRetry={() => void view.refetch()} />
      ) : view.isPending ? (
        <p role="status">{t("loading", { name })}</p>
      ) : (
        <MonitoringSections view={view.data} canWrite={canWrite} />
      )}
    </>
  );
}

function WindowPicker({ value, onChange }: { value: WindowSize; onChange: (value: WindowSize) => void }) {
  const ids = useId();
  const t = useTranslations("monitoring.page");
  return (
    <fieldset className={styles.windowPicker}>
      <legend>{t("window")}</legend>
      {zWindowSize.options.map((option) => (
        <label key={option} className={ui.checkbox} htmlFor={`${ids}-${option}`}>
          <input id={`${ids}-${option}`} type="radio" name={`${ids}-window`} value={option} checked={value === option} onChange={() => onChange(option)} />
          {option === "hour" ? t("hourly") : t("daily")}
        </label>
      ))}
    </fieldset>
  );
}

/** Everything below the title, from one view: rendered on its own in tests. */
export function MonitoringSections({ view, canWrite }: { view: MonitoringView; canWrite: boolean }) {
  const traffic = hasTraffic(view.windows);
  const t = useTranslations("monitoring.page");
  const say = useServerSentence();
  return (
    <>
      <MonitoringHeader view={view} />
      {view.referenceProblem ? (
        <div className={styles.notice} role="note" aria-label={t("referenceProblemLabel")}>
          <p>{t.rich("referenceProblem", { strong: (chunks) => <strong>{chunks}</strong>, problem: say(view.referenceProblemMessage, view.referenceProblem) })}</p>
          {canWrite ? <p>{t("chooseReference")}</p> : null}
        </div>
      ) : null}
      {view.flag.flagged ? <FlagBanner view={view} /> : null}
      {traffic ? <MonitoringCharts view={view} /> : <NoTraffic name={view.modelName} />}
      {traffic ? <FeatureDriftSection key={view.window} windows={view.windows} size={view.window} /> : null}
      <LiveValueSection liveValue={view.liveValue} />
      {canWrite ? <MonitoringSettingsForm key={settingsKey(view)} view={view} /> : null}
    </>
  );
}

/** The form starts again from the server's values whenever they change (saved here or elsewhere). */
function settingsKey(view: MonitoringView): string {
  return JSON.stringify([view.settings, view.reference?.source === "chosen" ? [view.reference.datasetName, view.reference.version] : null]);
}

export function MonitoringHeader({ view }: { view: MonitoringView }) {
  const reference = view.reference;
  const t = useTranslations("monitoring.header");
  const format = useLocaleFormat();
  return (
    <dl className={styles.facts}>
      <div>
        <dt>{t("model")}</dt>
        <dd>
          <Link href={modelHref(view.modelName)}>{view.modelName}</Link>
          {view.task ? ` (${view.task})` : ""}
        </dd>
      </div>
      <div>
        <dt>{t("productionVersion")}</dt>
        <dd>
          {view.productionVersion ? (
            <Link href={modelVersionHref(view.modelName, view.productionVersion)}>v{view.productionVersion}</Link>
          ) : (
            t.rich("noProduction", { link: (chunks) => <Link href="/deployments">{chunks}</Link> })
          )}
        </dd>
      </div>
      <div>
        <dt>{t("referenceDataset")}</dt>
        <dd>
          {reference ? (
            <>
              <Link href={datasetVersionHref(reference.datasetName, reference.version)}>
                {reference.datasetName}@{reference.version}
              </Link>
              {t("referenceRows", { rows: reference.rowCount, source: reference.source === "lineage" ? t("sourceLineage") : t("sourceChosen") })}
            </>
          ) : (
            <span className={ui.muted}>{t("none")}</span>
          )}
        </dd>
      </div>
      <div>
        <dt>{t("logging")}</dt>
        <dd>{t("loggingValue", { rate: format.metricValue(view.settings.sampleRate * 100), days: view.settings.retentionDays })}</dd>
      </div>
    </dl>
  );
}

export function FlagBanner({ view }: { view: MonitoringView }) {
  const ids = useId();
  const t = useTranslations("monitoring.flagBanner");
  const say = useServerSentence();
  return (
    <section className={styles.banner} role="alert" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t("title")}</h2>
      <ul>
        {view.flag.reasons.map((reason, i) => (
          <li key={reason}>{say(view.flag.reasonMessages[i], reason)}</li>
        ))}
      </ul>
      <p>
        {t.rich("wayForward", {
          strong: (chunks) => <strong>{chunks}</strong>,
          reviews: (chunks) => <Link href="/reviews">{chunks}</Link>,
          deployments: (chunks) => <Link href="/deployments">{chunks}</Link>,
          rollback: (chunks) => <Link href="/deployments">{chunks}</Link>,
        })}
      </p>
    </section>
  );
}

const latencyFormat = (format: LocaleFormat) => (ms: number) => `${format.score(ms)} ms`;
// French sets the percent sign apart (with a narrow no-break space, as Intl does).
const shareFormat = (format: LocaleFormat) => (share: number) => `${format.score(share * 100)}${format.locale === "en" ? "" : "\u202f"}%`;

export function MonitoringCharts({ view }: { view: MonitoringView }) {
  const rows = monitoringChartRows(view.windows);
  const metric = liveMetricName(view.windows);
  const thresholds = view.settings.thresholds;
  const predictionTest = view.windows.find((window) => window.predictionDrift)?.predictionDrift;
  const t = useTranslations("monitoring.charts");
  const format = useLocaleFormat();
  const hasF1 = rows.some((row) => row.liveF1 !== null);
  return (
    <section aria-labelledby="monitoring-over-time">
      <h2 id="monitoring-over-time">{t("title")}</h2>
      <div className={styles.charts}>
        <WindowChart
          title={t("requestVolume")}
          rows={rows.map((row) => ({ start: row.start, requests: row.requests }))}
          series={[{ key: "requests", name: t("requests"), color: "var(--accent)" }]}
          size={view.window}
          format={format.metricValue}
        />
        <WindowChart
          title={t("latency")}
          rows={rows.map((row) => ({ start: row.start, p50: row.latencyP50, p95: row.latencyP95, p99: row.latencyP99 }))}
          series={[
            { key: "p50", name: "p50", color: "var(--ok)" },
            { key: "p95", name: "p95", color: "var(--accent)" },
            { key: "p99", name: "p99", color: "var(--danger)", dashed: true },
          ]}
          size={view.window}
          format={latencyFormat(format)}
        />
        <WindowChart
          title={t("driftShare")}
          rows={rows.map((row) => ({ start: row.start, share: row.driftShare }))}
          series={[{ key: "share", name: t("driftedShare"), color: "var(--accent)" }]}
          size={view.window}
          format={shareFormat(format)}
          threshold={{ value: thresholds.datasetDriftShare, label: t("datasetDrift") }}
        />
        <WindowChart
          title={t("predictionDrift")}
          rows={rows.map((row) => ({ start: row.start, score: row.predictionDrift }))}
          series={[{ key: "score", name: predictionTest ? t("predictionDriftSeriesTest", { test: predictionTest.test }) : t("predictionDriftSeries"), color: "var(--accent)" }]}
          size={view.window}
          format={format.score}
          threshold={predictionTest ? { value: predictionTest.threshold, label: t("threshold") } : null}
        />
        {metric ? (
          <WindowChart
            title={t(`live.${metric === "rmse" || metric === "f1" ? metric : hasF1 ? "accuracyAndF1" : "accuracy"}`)}
            rows={rows.map((row) => ({ start: row.start, value: row.liveMetric, f1: row.liveF1 }))}
            series={[
              { key: "value", name: t(`metricNames.${metric}`), color: "var(--ok)" },
              ...(hasF1 ? [{ key: "f1", name: t("f1Class1"), color: "var(--accent)" }] : []),
            ]}
            size={view.window}
            format={format.score}
            threshold={thresholds.liveMetric === null ? null : { value: thresholds.liveMetric, label: t("threshold") }}
          />
        ) : (
          <section className={styles.chartSection}>
            <h3>{t("liveMetric")}</h3>
            <p className={ui.muted}>
              {t.rich(view.task === "regression" ? "noFeedbackRegression" : "noFeedback", {
                code: (chunks) => <code>{chunks}</code>,
                link: (chunks) => <Link href={`${modelHref(view.modelName)}/labelling`}>{chunks}</Link>,
                path: `/api/serve/${view.modelName}/feedback`,
              })}
            </p>
          </section>
        )}
      </div>
    </section>
  );
}

export function NoTraffic({ name }: { name: string }) {
  const path = encodeURIComponent(name);
  const t = useTranslations("monitoring.noTraffic");
  const code = (chunks: ReactNode) => <code>{chunks}</code>;
  return (
    <section className={ui.panel} aria-labelledby="no-traffic-title">
      <h2 id="no-traffic-title" className={ui.panelTitle}>
        {t("title")}
      </h2>
      <p>{t.rich("send", { code, link: (chunks) => <Link href="/settings/tokens">{chunks}</Link> })}</p>
      <code className={ui.snippet}>
        {`curl -X POST "$STUDIO_URL/api/serve/${path}/invocations" \\
  -H "Authorization: Bearer <token>" \\
  -H "Content-Type: application/json" \\
  -d '{"dataframe_split": {"columns": ["feature_a", "feature_b"], "data": [[1.0, 2.0]]}}'`}
      </code>
      <p>{t.rich("feedback", { code })}</p>
      <code className={ui.snippet}>
        {`curl -X POST "$STUDIO_URL/api/serve/${path}/feedback" \\
  -H "Authorization: Bearer <token>" \\
  -H "Content-Type: application/json" \\
  -d '{"feedback": [{"request_id": "<x-request-id>", "label": 1}]}'`}
      </code>
    </section>
  );
}
