"use client";
// The run page: info with rename/delete/restore, notes, nested runs, params, latest metrics, a chart per metric, tags, input datasets and artifacts.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { MetricChart } from "@/components/charts/metric-chart";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatDuration } from "@/components/ui/time-format";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import styles from "@/components/ui/ui.module.css";
import { RUN_NOTE_TAG } from "@/lib/run-note";
import { LOG_MODEL_HISTORY_TAG } from "@/lib/log-model-history";
import type { DatasetInput, KeyValue } from "@/server/tracking/schema";
import { RunArtifacts } from "./run-artifacts";
import { RunActions, RunFamily, RunLoggedModels, RunTags } from "./run-management";
import { RunNotes } from "./run-notes";
import page from "./run-page.module.css";

export function RunDetails({ experimentId, runId }: { experimentId: string; runId: string }) {
  const t = useTranslations("runPage");
  const format = useLocaleFormat();
  const trpc = useTRPC();
  const run = useQuery(trpc.tracking.run.queryOptions({ runId }));
  const experiment = useQuery(trpc.tracking.experiment.queryOptions({ experimentId }));

  const breadcrumb = (
    <p className={styles.breadcrumb}>
      <Link href="/experiments">{t("experiments")}</Link> / <Link href={`/experiments/${experimentId}`}>{experiment.data?.name ?? t("experiment", { id: experimentId })}</Link> /
    </p>
  );
  if (run.error) {
    return (
      <>
        {breadcrumb}
        <h1>{t("title")}</h1>
        <QueryError error={run.error} onRetry={() => void run.refetch()} />
      </>
    );
  }
  if (run.isPending) {
    return (
      <>
        {breadcrumb}
        <p role="status">{t("loading")}</p>
      </>
    );
  }
  const { info, data, inputs } = run.data;
  const metrics = [...data.metrics].sort((a, b) => a.key.localeCompare(b.key));
  // The note tag is shown rendered as the run's notes, not as a raw tag value.
  const note = data.tags.find((t) => t.key === RUN_NOTE_TAG)?.value ?? "";
  // The log-model history is shown as the Logged models section, not as a raw JSON tag.
  const tags = data.tags.filter((t) => t.key !== RUN_NOTE_TAG && t.key !== LOG_MODEL_HISTORY_TAG);
  return (
    <>
      {breadcrumb}
      <div className={page.titleRow}>
        <h1>{info.run_name || info.run_id}</h1>
        <RunActions runId={runId} runName={info.run_name || info.run_id} deleted={info.lifecycle_stage === "deleted"} />
      </div>
      {info.lifecycle_stage === "deleted" ? (
        <p className={styles.muted} role="status">
          {t("deletedNote")}
        </p>
      ) : null}
      <section className={styles.panel} aria-labelledby="run-info">
        <h2 id="run-info" className={styles.panelTitle}>
          {t("info.title")}
        </h2>
        <dl className={styles.dl}>
          <dt>{t("info.status")}</dt>
          <dd>
            <span className={`${styles.status} ${styles[info.status] ?? ""}`}>{info.status}</span>
            {info.lifecycle_stage === "deleted" ? <span className={styles.badge}>{t("info.deleted")}</span> : null}
          </dd>
          <dt>{t("info.runId")}</dt>
          <dd>
            <code>{info.run_id}</code>
          </dd>
          <dt>{t("info.user")}</dt>
          <dd>{info.user_id || "—"}</dd>
          <dt>{t("info.started")}</dt>
          <dd>{format.timestamp(info.start_time)}</dd>
          <dt>{t("info.duration")}</dt>
          <dd>{info.end_time ? formatDuration(info.start_time, info.end_time) : info.status === "RUNNING" ? t("info.stillRunning") : "—"}</dd>
          <dt>{t("info.artifactUri")}</dt>
          <dd>
            <code>{info.artifact_uri}</code>
          </dd>
        </dl>
      </section>

      <RunNotes runId={runId} content={note} writable={info.lifecycle_stage === "active"} />

      <RunFamily runId={runId} />

      <div className={styles.grid}>
        <KeyValueTable id="run-parameters" title={t("params.title")} rows={data.params} empty={t("params.none")} />
        <section aria-labelledby="run-metrics">
          <h2 id="run-metrics">{t("metrics.title")}</h2>
          {metrics.length ? (
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">{t("key")}</th>
                    <th scope="col" className={styles.num}>{t("value")}</th>
                    <th scope="col" className={styles.num}>{t("metrics.step")}</th>
                  </tr>
                </thead>
                <tbody>
                  {metrics.map((metric) => (
                    <tr key={metric.key}>
                      <td>{metric.key}</td>
                      <td className={styles.num}>{format.metricValue(metric.value)}</td>
                      <td className={styles.num}>{metric.step}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className={styles.muted}>{t("metrics.none")}</p>
          )}
        </section>
      </div>

      {metrics.length ? (
        <section aria-labelledby="run-charts">
          <h2 id="run-charts">{t("metrics.charts")}</h2>
          <div className={styles.grid}>
            {metrics.map((metric) => (
              <MetricHistoryChart key={metric.key} runId={runId} metricKey={metric.key} />
            ))}
          </div>
        </section>
      ) : null}

      <div className={styles.grid}>
        <RunTags runId={runId} tags={tags} writable={info.lifecycle_stage === "active"} />
        <InputDatasets inputs={inputs.dataset_inputs} />
      </div>

      <RunLoggedModels runId={runId} runName={info.run_name || info.run_id} />

      <section aria-labelledby="run-artifacts">
        <h2 id="run-artifacts">{t("artifactsTitle")}</h2>
        <div className={styles.panel}>
          <RunArtifacts runId={runId} artifactUri={info.artifact_uri} />
        </div>
      </section>
    </>
  );
}

/** The datasets the run logged (log_input); those matched to a registry version (content digest, else name and source) link to it, say how they matched and carry its quality verdict. */
function InputDatasets({ inputs }: { inputs: DatasetInput[] }) {
  const t = useTranslations("runPage.inputs");
  const trpc = useTRPC();
  // The procedure matches at most 200 datasets; a run logs far fewer. Longer digests cannot be registry digests.
  const logged = inputs.slice(0, 200).map((input) => ({
    name: input.dataset.name.slice(0, 500),
    digest: input.dataset.digest.slice(0, 128),
    source: input.dataset.source.slice(0, 10_000),
  }));
  const versions = useQuery({ ...trpc.datasets.matchLogged.queryOptions({ datasets: logged }), enabled: logged.length > 0 });
  const versionAt = (index: number) => versions.data?.[index] ?? undefined;
  return (
    <section aria-labelledby="run-inputs">
      <h2 id="run-inputs">{t("title")}</h2>
      {inputs.length ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("context")}</th>
                <th scope="col">{t("digest")}</th>
                <th scope="col">{t("source")}</th>
              </tr>
            </thead>
            <tbody>
              {inputs.map((input, index) => {
                const version = versionAt(index);
                return (
                  <tr key={`${input.dataset.name}:${input.dataset.digest}`}>
                    <td className={version?.qualityStatus === "failed" ? styles.wrap : undefined}>
                      {version ? (
                        <Link href={`/datasets/${encodeURIComponent(version.datasetName)}/versions/${version.version}`}>
                          {version.datasetName} v{version.version}
                        </Link>
                      ) : (
                        input.dataset.name
                      )}
                      {version && version.datasetName !== input.dataset.name ? <span className={styles.muted}> {t("loggedAs", { name: input.dataset.name })}</span> : null}
                      {version ? <div className={styles.muted}>{t("matchedBy", { how: version.matchedBy })}</div> : null}
                      {version?.qualityStatus === "failed" ? (
                        <>
                          {" "}
                          <span className={`${styles.status} ${styles.FAILED}`}>{t("failedQuality")}</span>
                        </>
                      ) : null}
                      {version?.qualityStatus === "failed" && version.qualityReason ? (
                        <div className={styles.error}>{version.qualityReason}</div>
                      ) : null}
                    </td>
                    <td>{input.tags.find((t) => t.key === "mlflow.data.context")?.value ?? ""}</td>
                    <td>
                      <code>{input.dataset.digest}</code>
                    </td>
                    <td>
                      {input.dataset.source_type}: {input.dataset.source}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={styles.muted}>{t.rich("none", { code: (chunks) => <code>{chunks}</code> })}</p>
      )}
      {versions.error ? (
        <p className={styles.error} role="alert">
          {t("registryFailed", { message: versions.error.message })}
        </p>
      ) : null}
    </section>
  );
}

function KeyValueTable({ id, title, rows, empty }: { id: string; title: string; rows: KeyValue[]; empty: string }) {
  const t = useTranslations("runPage");
  const sorted = [...rows].sort((a, b) => a.key.localeCompare(b.key));
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {sorted.length ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{t("key")}</th>
                <th scope="col">{t("value")}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((row) => (
                <tr key={row.key}>
                  <td>{row.key}</td>
                  <td className={styles.wrap}>{row.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={styles.muted}>{empty}</p>
      )}
    </section>
  );
}

function MetricHistoryChart({ runId, metricKey }: { runId: string; metricKey: string }) {
  const t = useTranslations("runPage.metrics");
  const trpc = useTRPC();
  const history = useQuery(trpc.tracking.metricHistory.queryOptions({ runId, key: metricKey }));
  if (history.error) return <p className={styles.error} role="alert">{metricKey}: {history.error.message}</p>;
  if (history.isPending) return <p role="status">{t("loadingChart", { key: metricKey })}</p>;
  return <MetricChart metricKey={metricKey} points={history.data.metrics} />;
}
