"use client";
// The run page: info with rename/delete/restore, notes, nested runs, params, latest metrics, a chart per metric, tags, input datasets and artifacts.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { MetricChart } from "@/components/charts/metric-chart";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatDuration, formatMetricValue, formatTimestamp } from "@/components/ui/time-format";
import styles from "@/components/ui/ui.module.css";
import { RUN_NOTE_TAG } from "@/lib/run-note";
import { LOG_MODEL_HISTORY_TAG } from "@/lib/log-model-history";
import type { DatasetInput, KeyValue } from "@/server/tracking/schema";
import { RunArtifacts } from "./run-artifacts";
import { RunActions, RunFamily, RunLoggedModels, RunTags } from "./run-management";
import { RunNotes } from "./run-notes";
import page from "./run-page.module.css";

export function RunDetails({ experimentId, runId }: { experimentId: string; runId: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.tracking.run.queryOptions({ runId }));
  const experiment = useQuery(trpc.tracking.experiment.queryOptions({ experimentId }));

  const breadcrumb = (
    <p className={styles.breadcrumb}>
      <Link href="/experiments">Experiments</Link> / <Link href={`/experiments/${experimentId}`}>{experiment.data?.name ?? `Experiment ${experimentId}`}</Link> /
    </p>
  );
  if (run.error) {
    return (
      <>
        {breadcrumb}
        <h1>Run</h1>
        <QueryError error={run.error} onRetry={() => void run.refetch()} />
      </>
    );
  }
  if (run.isPending) {
    return (
      <>
        {breadcrumb}
        <p role="status">Loading run…</p>
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
          This run is deleted: it is hidden from the runs table and cannot be changed until it is restored.
        </p>
      ) : null}
      <section className={styles.panel} aria-labelledby="run-info">
        <h2 id="run-info" className={styles.panelTitle}>
          Info
        </h2>
        <dl className={styles.dl}>
          <dt>Status</dt>
          <dd>
            <span className={`${styles.status} ${styles[info.status] ?? ""}`}>{info.status}</span>
            {info.lifecycle_stage === "deleted" ? <span className={styles.badge}>deleted</span> : null}
          </dd>
          <dt>Run ID</dt>
          <dd>
            <code>{info.run_id}</code>
          </dd>
          <dt>User</dt>
          <dd>{info.user_id || "—"}</dd>
          <dt>Started</dt>
          <dd>{formatTimestamp(info.start_time)}</dd>
          <dt>Duration</dt>
          <dd>{info.end_time ? formatDuration(info.start_time, info.end_time) : info.status === "RUNNING" ? "still running" : "—"}</dd>
          <dt>Artifact URI</dt>
          <dd>
            <code>{info.artifact_uri}</code>
          </dd>
        </dl>
      </section>

      <RunNotes runId={runId} content={note} writable={info.lifecycle_stage === "active"} />

      <RunFamily runId={runId} />

      <div className={styles.grid}>
        <KeyValueTable title="Parameters" rows={data.params} empty="No parameters logged." />
        <section aria-labelledby="run-metrics">
          <h2 id="run-metrics">Metrics (latest)</h2>
          {metrics.length ? (
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col" className={styles.num}>Value</th>
                    <th scope="col" className={styles.num}>Step</th>
                  </tr>
                </thead>
                <tbody>
                  {metrics.map((metric) => (
                    <tr key={metric.key}>
                      <td>{metric.key}</td>
                      <td className={styles.num}>{formatMetricValue(metric.value)}</td>
                      <td className={styles.num}>{metric.step}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className={styles.muted}>No metrics logged.</p>
          )}
        </section>
      </div>

      {metrics.length ? (
        <section aria-labelledby="run-charts">
          <h2 id="run-charts">Metric charts</h2>
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
        <h2 id="run-artifacts">Artifacts</h2>
        <div className={styles.panel}>
          <RunArtifacts runId={runId} artifactUri={info.artifact_uri} />
        </div>
      </section>
    </>
  );
}

/** The datasets the run logged (log_input); those matched to a registry version (content digest, else name and source) link to it, say how they matched and carry its quality verdict. */
function InputDatasets({ inputs }: { inputs: DatasetInput[] }) {
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
      <h2 id="run-inputs">Input datasets</h2>
      {inputs.length ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Context</th>
                <th scope="col">Digest</th>
                <th scope="col">Source</th>
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
                      {version && version.datasetName !== input.dataset.name ? <span className={styles.muted}> (logged as {input.dataset.name})</span> : null}
                      {version ? <div className={styles.muted}>matched by {version.matchedBy}</div> : null}
                      {version?.qualityStatus === "failed" ? (
                        <>{" "}<span className={`${styles.status} ${styles.FAILED}`}>
                          failed quality
                        </span></>
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
        <p className={styles.muted}>No input datasets. Log them with <code>mlflow.log_input(dataset, context=&quot;training&quot;)</code>.</p>
      )}
      {versions.error ? (
        <p className={styles.error} role="alert">
          Links to the dataset registry could not be loaded: {versions.error.message}
        </p>
      ) : null}
    </section>
  );
}

function KeyValueTable({ title, rows, empty }: { title: string; rows: KeyValue[]; empty: string }) {
  const id = `run-${title.toLowerCase()}`;
  const sorted = [...rows].sort((a, b) => a.key.localeCompare(b.key));
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {sorted.length ? (
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
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
  const trpc = useTRPC();
  const history = useQuery(trpc.tracking.metricHistory.queryOptions({ runId, key: metricKey }));
  if (history.error) return <p className={styles.error} role="alert">{metricKey}: {history.error.message}</p>;
  if (history.isPending) return <p role="status">Loading {metricKey}…</p>;
  return <MetricChart metricKey={metricKey} points={history.data.metrics} />;
}
