"use client";
// The dataset page: metadata (edited in place by writers), versions with quality and profile status (polled while profiling), compare picker, quality rules and lineage.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { modelVersionHref } from "@/components/models/model-format";
import { useId, useState, type FormEvent } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatRelativeTime, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import type { DatasetDetail, DatasetVersionSummary } from "@/server/datasets/schema";
import styles from "./datasets.module.css";
import { formatBytes, formatCount } from "./format-bytes";
import { ProfileStatus, QualityBadge } from "./quality-badge";
import { QualityRulesEditor } from "./quality-rules-editor";

const datasetHref = (name: string) => `/datasets/${encodeURIComponent(name)}`;
const versionHref = (name: string, version: number) => `${datasetHref(name)}/versions/${version}`;

function isProfiling(versions: DatasetVersionSummary[]): boolean {
  return versions.some((v) => v.profileStatus === "pending" || v.profileStatus === "running" || v.qualityStatus === "pending");
}

export function DatasetPage({ name }: { name: string }) {
  const trpc = useTRPC();
  const canWrite = usePermission("datasets.write");
  // Profiling runs in the background after upload: poll each second until every version is settled.
  const dataset = useQuery(
    trpc.datasets.get.queryOptions({ name }, { refetchInterval: (query) => (query.state.data && isProfiling(query.state.data.versions) ? 1000 : false) }),
  );
  const latest = dataset.data?.versions[0];
  const latestDetail = useQuery(trpc.datasets.version.queryOptions({ name, version: latest?.version ?? 1 }, { enabled: Boolean(latest) }));
  const columns = latestDetail.data?.columns ?? [];

  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/datasets">Datasets</Link> /
    </p>
  );
  if (dataset.error) {
    return (
      <>
        {breadcrumb}
        <h1>{name}</h1>
        <QueryError error={dataset.error} onRetry={() => void dataset.refetch()} />
      </>
    );
  }
  if (dataset.isPending) {
    return (
      <>
        {breadcrumb}
        <h1>{name}</h1>
        <p role="status">Loading dataset…</p>
      </>
    );
  }
  const detail = dataset.data;
  return (
    <>
      {breadcrumb}
      <div className={styles.headerRow}>
        <h1>{detail.name}</h1>
        {canWrite ? (
          <Link className={ui.button} href={`/datasets/new?dataset=${encodeURIComponent(detail.name)}`}>
            Upload a new version
          </Link>
        ) : null}
      </div>
      <MetadataPanel dataset={detail} columns={columns} canWrite={canWrite} />
      <VersionsSection dataset={detail} now={dataset.dataUpdatedAt} canWrite={canWrite} />
      {detail.versions.length >= 2 ? <ComparePicker name={detail.name} versions={detail.versions} /> : null}
      <QualityRulesEditor name={detail.name} rules={detail.rules} columns={columns} canWrite={canWrite} />
      <LineageSection name={detail.name} />
    </>
  );
}

function MetadataPanel({ dataset, columns, canWrite }: { dataset: DatasetDetail; columns: string[]; canWrite: boolean }) {
  const [editing, setEditing] = useState(false);
  const titleId = useId();
  return (
    <section className={ui.panel} aria-labelledby={titleId}>
      <div className={ui.toolbarFlush}>
        <h2 id={titleId} className={`${ui.panelTitle} ${ui.grow}`}>
          About
        </h2>
        {canWrite && !editing ? (
          <button type="button" className={ui.secondary} onClick={() => setEditing(true)}>
            Edit details
          </button>
        ) : null}
      </div>
      {editing ? (
        <MetadataForm dataset={dataset} columns={columns} onDone={() => setEditing(false)} />
      ) : (
        <dl className={ui.dl}>
          <dt>Description</dt>
          <dd className={styles.description}>{dataset.description || <Missing canWrite={canWrite} />}</dd>
          <dt>Source</dt>
          <dd>{dataset.source || <Missing canWrite={canWrite} />}</dd>
          <dt>Licence</dt>
          <dd>{dataset.licence || <Missing canWrite={canWrite} />}</dd>
          <dt>Owner</dt>
          <dd>{dataset.owner}</dd>
          <dt>Label column</dt>
          <dd>{dataset.labelColumn ? <code>{dataset.labelColumn}</code> : <Missing canWrite={canWrite} />}</dd>
          <dt>Sensitive attributes</dt>
          <dd>
            {dataset.sensitiveAttributes.length ? (
              dataset.sensitiveAttributes.map((attribute, index) => (
                <span key={attribute}>
                  {index ? ", " : null}
                  <code>{attribute}</code>
                </span>
              ))
            ) : (
              <Missing canWrite={canWrite} />
            )}
          </dd>
          <dt>Created</dt>
          <dd>{formatTimestamp(dataset.createdAt)}</dd>
          <dt>Updated</dt>
          <dd>{formatTimestamp(dataset.updatedAt)}</dd>
        </dl>
      )}
    </section>
  );
}

function Missing({ canWrite }: { canWrite: boolean }) {
  return <span className={ui.muted}>not given{canWrite ? " — use Edit details" : ""}</span>;
}

function MetadataForm({ dataset, columns, onDone }: { dataset: DatasetDetail; columns: string[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [description, setDescription] = useState(dataset.description);
  const [source, setSource] = useState(dataset.source);
  const [licence, setLicence] = useState(dataset.licence);
  const [labelColumn, setLabelColumn] = useState(dataset.labelColumn ?? "");
  const [sensitive, setSensitive] = useState<string[]>(dataset.sensitiveAttributes);
  // Attributes declared earlier stay choosable even if the latest version no longer has them.
  const choices = [...new Set([...columns, ...dataset.sensitiveAttributes])];
  const labelChoices = [...new Set([...columns, ...(dataset.labelColumn ? [dataset.labelColumn] : [])])];
  const update = useMutation(
    trpc.datasets.updateMetadata.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.datasets.get.queryKey({ name: dataset.name }), updated);
        void queryClient.invalidateQueries({ queryKey: trpc.datasets.list.pathKey() });
        onDone();
      },
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update.mutate({
      name: dataset.name,
      description: description.trim(),
      source: source.trim(),
      licence: licence.trim(),
      labelColumn: labelColumn || null,
      sensitiveAttributes: sensitive,
    });
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Edit dataset details">
      <div className={styles.spacedField}>
        <label htmlFor={`${ids}-description`}>Description</label>
        <textarea id={`${ids}-description`} className={styles.textarea} value={description} maxLength={5000} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className={styles.formGrid}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-source`}>Source</label>
          <input id={`${ids}-source`} className={ui.input} value={source} maxLength={1000} onChange={(e) => setSource(e.target.value)} />
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-licence`}>Licence</label>
          <input id={`${ids}-licence`} className={ui.input} value={licence} maxLength={300} onChange={(e) => setLicence(e.target.value)} />
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-label`}>Label column</label>
          {labelChoices.length ? (
            <select id={`${ids}-label`} className={styles.select} value={labelColumn} onChange={(e) => setLabelColumn(e.target.value)}>
              <option value="">None</option>
              {labelChoices.map((column) => (
                <option key={column} value={column}>
                  {column}
                </option>
              ))}
            </select>
          ) : (
            <input id={`${ids}-label`} className={ui.input} value={labelColumn} maxLength={300} onChange={(e) => setLabelColumn(e.target.value)} />
          )}
        </div>
      </div>
      {choices.length ? (
        <fieldset className={styles.fieldset}>
          <legend>Sensitive attributes</legend>
          <div className={styles.checkboxes}>
            {choices.map((column) => (
              <label key={column} className={ui.checkbox}>
                <input
                  type="checkbox"
                  checked={sensitive.includes(column)}
                  onChange={(e) => setSensitive((current) => (e.target.checked ? [...current, column] : current.filter((c) => c !== column)))}
                />
                {column}
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        <p className={styles.hint}>Sensitive attributes can be chosen once a version with columns is registered.</p>
      )}
      <div className={ui.actions}>
        <button type="submit" className={ui.button} disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save details"}
        </button>
        <button type="button" className={ui.secondary} onClick={onDone}>
          Cancel
        </button>
      </div>
      {update.error ? (
        <p className={ui.error} role="alert">
          {update.error.message} Correct the field and save again, or cancel to keep the current details.
        </p>
      ) : null}
    </form>
  );
}

function VersionsSection({ dataset, now, canWrite }: { dataset: DatasetDetail; now: number; canWrite: boolean }) {
  const titleId = useId();
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>Versions</h2>
      {dataset.versions.length === 0 ? (
        <p className={ui.panel}>
          No versions yet.{" "}
          {canWrite ? (
            <Link href={`/datasets/new?dataset=${encodeURIComponent(dataset.name)}`}>Upload the first version</Link>
          ) : (
            "An editor can upload the first version."
          )}
        </p>
      ) : (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label="Dataset versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Digest (SHA-256)</th>
                <th scope="col" className={ui.num}>Rows</th>
                <th scope="col" className={ui.num}>Size</th>
                <th scope="col">Format</th>
                <th scope="col" className={ui.num}>Masked columns</th>
                <th scope="col">Quality</th>
                <th scope="col">Profile</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {dataset.versions.map((version) => (
                <tr key={version.version}>
                  <td>
                    <Link href={versionHref(dataset.name, version.version)}>Version {version.version}</Link>
                    {version.note ? <span className={styles.reason}>{version.note}</span> : null}
                  </td>
                  <td>
                    <Digest digest={version.digest} />
                  </td>
                  <td className={ui.num}>{formatCount(version.rowCount)}</td>
                  <td className={ui.num}>{formatBytes(version.sizeBytes)}</td>
                  <td>{version.format === "csv" ? "CSV" : "Parquet"}</td>
                  <td className={ui.num}>{formatCount(version.maskedColumns)}</td>
                  <td>
                    <QualityBadge status={version.qualityStatus} reason={version.qualityReason} />
                  </td>
                  <td>
                    <ProfileStatus version={version} />
                  </td>
                  <td title={formatTimestamp(version.createdAt)}>
                    {version.createdBy}, {formatRelativeTime(version.createdAt, now)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Digest({ digest }: { digest: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <code className={styles.digest} title={digest}>
        {digest.slice(0, 12)}
      </code>
      <button
        type="button"
        className={styles.copy}
        onClick={() =>
          void navigator.clipboard?.writeText(digest).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? "Copied" : "Copy"}
        <span className="visually-hidden"> full digest {digest}</span>
      </button>
    </>
  );
}

function ComparePicker({ name, versions }: { name: string; versions: DatasetVersionSummary[] }) {
  const ids = useId();
  // versions come newest first: compare the newest with the one before it unless the user picks others.
  const [reference, setReference] = useState(versions[1]!.version);
  const [current, setCurrent] = useState(versions[0]!.version);
  const same = reference === current;
  const options = versions.map((v) => (
    <option key={v.version} value={v.version}>
      Version {v.version}
    </option>
  ));
  return (
    <section className={ui.panel} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className={ui.panelTitle}>
        Compare two versions
      </h2>
      <div className={ui.toolbarFlush}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-reference`}>Reference</label>
          <select id={`${ids}-reference`} className={styles.select} value={reference} onChange={(e) => setReference(Number(e.target.value))}>
            {options}
          </select>
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-current`}>Current</label>
          <select id={`${ids}-current`} className={styles.select} value={current} onChange={(e) => setCurrent(Number(e.target.value))}>
            {options}
          </select>
        </div>
        {same ? (
          <span className={ui.muted} role="status">
            Pick two different versions to compare.
          </span>
        ) : (
          <Link className={ui.button} href={`${datasetHref(name)}/compare?reference=${reference}&current=${current}`}>
            Compare version {reference} with {current}
          </Link>
        )}
      </div>
    </section>
  );
}

function LineageSection({ name }: { name: string }) {
  const trpc = useTRPC();
  const titleId = useId();
  const lineage = useQuery(trpc.datasets.lineage.queryOptions({ name }));
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>Lineage</h2>
      {lineage.error ? (
        <QueryError error={lineage.error} onRetry={() => void lineage.refetch()} />
      ) : lineage.isPending ? (
        <p role="status">Loading lineage…</p>
      ) : (
        <>
          <h3>Runs</h3>
          {lineage.data.runs.length ? (
            <div className={ui.tableWrap}>
              <table className={ui.table} aria-label="Runs that used this dataset">
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Experiment</th>
                    <th scope="col">Version used</th>
                    <th scope="col">Context</th>
                    <th scope="col">Status</th>
                    <th scope="col">Started</th>
                  </tr>
                </thead>
                <tbody>
                  {lineage.data.runs.map((run) => (
                    <tr key={`${run.runId}:${run.version}:${run.context ?? ""}`}>
                      <td>
                        <Link href={`/experiments/${encodeURIComponent(run.experimentId)}/runs/${encodeURIComponent(run.runId)}`}>{run.runName || run.runId}</Link>
                      </td>
                      <td>
                        <Link href={`/experiments/${encodeURIComponent(run.experimentId)}`}>{run.experimentName}</Link>
                      </td>
                      <td>
                        <Link href={versionHref(name, run.version)}>Version {run.version}</Link>
                        <div className={ui.muted}>matched by {run.matchedBy}</div>
                      </td>
                      <td>{run.context || <span className={ui.muted}>—</span>}</td>
                      <td>
                        <span className={`${ui.status} ${ui[run.status] ?? ""}`}>{run.status}</span>
                      </td>
                      <td>{run.startTime ? formatTimestamp(run.startTime) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className={ui.muted}>
              No run has used this dataset yet. A run is linked when it logs an input (MLflow <code>log_input</code>) whose digest is a
              version&apos;s SHA-256, or its first 8 or more characters (copy it from the versions table above); or that is logged under
              this dataset&apos;s name with the digest MLflow computes of the CSV read by pandas, or with a source ending in the file name a
              version was uploaded as (
              <code>mlflow.data.from_pandas(df, source=&quot;…/train.csv&quot;, name=&quot;{name}&quot;)</code>).
            </p>
          )}
          <h3>Model versions</h3>
          {lineage.data.modelVersions.length ? (
            <ul aria-label="Model versions trained on this dataset">
              {lineage.data.modelVersions.map((model) => (
                <li key={`${model.name}/${model.version}`}>
                  <Link href={modelVersionHref(model.name, model.version)}>
                    {model.name} version {model.version}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className={ui.muted}>No model version yet: versions registered from a run that used this dataset are listed here.</p>
          )}
        </>
      )}
    </section>
  );
}
