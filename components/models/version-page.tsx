"use client";
// One model version: header facts, its acceptance reviews, lineage (run, datasets, metrics, derivation), ONNX graph summary, signature, the ZipMap warning and links.
import { TagsTable } from "./tags-table";
import type { ModelLineage } from "@/server/registry/schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { requestReviewHref, reviewHref } from "@/components/review/review-format";
import { ReviewsTable } from "@/components/review/reviews-list";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatMetricValue, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { signatureFromIntrospection, zTensorSpec, type ColumnSpec, type TensorSpec } from "@/lib/model-signature";
import type { OnnxIntrospection } from "@/server/registry/onnx-introspection";
import type { ModelVersionDetail } from "@/server/registry/schema";
import { GraphSummary } from "./graph-summary";
import { ModelDigest } from "./model-digest";
import { AliasChips, StageBadge } from "./model-badges";
import {
  datasetVersionHref,
  describeTransform,
  modelHref,
  modelVersionHref,
  onnxDownloadHref,
  parseModelLineage,
  playgroundHref,
} from "./model-format";
import { DescriptionPanel, VersionStatus } from "./model-page";
import styles from "./models.module.css";
import { ExperimentLink, RunLink } from "./run-link";
import { TechnicalFileLink } from "@/components/documentation/technical-file-link";

export function ModelVersionPage({ name, version }: { name: string; version: string }) {
  const trpc = useTRPC();
  const canWrite = usePermission("models.write");
  const detail = useQuery(trpc.registry.version.queryOptions({ name, version }));
  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/models">Models</Link> / <Link href={modelHref(name)}>{name}</Link> /
    </p>
  );
  if (detail.error || detail.isPending) {
    return (
      <>
        {breadcrumb}
        <h1>Version {version}</h1>
        {detail.error ? <QueryError error={detail.error} onRetry={() => void detail.refetch()} /> : <p role="status">Loading the version…</p>}
      </>
    );
  }
  const data = detail.data;
  // The server stores the introspection it computed with zOnnxIntrospection; the schema types it as unknown.
  const introspection = data.introspection as OnnxIntrospection | null;
  const lineage = parseModelLineage(data.lineage);
  const browserProblems = introspection ? introspection.unsupportedInBrowser : [];
  return (
    <>
      {breadcrumb}
      <VersionHeader version={data} lineage={lineage} />
      <TechnicalFileLink name={data.name} version={data.version} />
      {introspection && (introspection.usesZipMap || browserProblems.length > 0) ? (
        <RuntimeWarning name={data.name} version={data.version} introspection={introspection} canWrite={canWrite} />
      ) : null}
      <DescriptionPanel
        key={data.description}
        title="Description"
        description={data.description}
        canWrite={canWrite}
        emptyText="No description for this version."
        save={{ kind: "version", name: data.name, version: data.version }}
      />
      <VersionReviews name={data.name} version={data.version} />
      <LineageSection name={data.name} version={data} lineage={lineage} />
      {introspection ? (
        <>
          <GraphSummary introspection={introspection} />
          <SignatureSection introspection={introspection} />
        </>
      ) : (
        <section aria-labelledby="graph-summary">
          <h2 id="graph-summary">ONNX graph</h2>
          <p className={ui.panel}>
            {data.onnx_path
              ? "The graph of this version has not been read. Register the ONNX file again to see its inputs, outputs and operators."
              : "This version has no ONNX file, so there is no graph to summarise or run in the browser. Register a model exported to ONNX (.onnx)."}
          </p>
        </section>
      )}
      {data.tags.length ? <VersionTags tags={data.tags} /> : null}
    </>
  );
}

/** This version's acceptance reviews: a production alias needs an approved one. */
function VersionReviews({ name, version }: { name: string; version: string }) {
  const trpc = useTRPC();
  const reviews = useQuery(trpc.review.list.queryOptions({ filter: "all", modelName: name, modelVersion: version }));
  return (
    <section aria-labelledby="version-reviews">
      <h2 id="version-reviews">Acceptance reviews</h2>
      <p className={styles.links}>
        <Link className={ui.secondary} href={requestReviewHref(name, version)}>
          Request review
        </Link>
      </p>
      {reviews.error ? (
        <QueryError error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : reviews.isPending ? (
        <p role="status">Loading reviews…</p>
      ) : reviews.data.length === 0 ? (
        <p className={ui.muted}>No review yet. The production alias needs an approved acceptance review of this version.</p>
      ) : (
        <ReviewsTable reviews={reviews.data} now={reviews.dataUpdatedAt} label="Reviews of this version" showModel={false} />
      )}
    </section>
  );
}

function VersionTags({ tags }: { tags: readonly { key: string; value: string }[] }) {
  return (
    <section aria-labelledby="version-tags">
      <h2 id="version-tags">Tags</h2>
      <TagsTable label="Version tags" tags={tags} />
    </section>
  );
}

function VersionHeader({ version, lineage }: { version: ModelVersionDetail; lineage: ModelLineage | null }) {
  const runId = version.run_id || lineage?.runId || null;
  return (
    <>
      <div className={styles.headerRow}>
        <h1>
          {version.name} version {version.version}
        </h1>
        <AliasChips aliases={version.aliases} />
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>Stage</dt>
          <dd>
            <StageBadge stage={version.current_stage} />
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <VersionStatus version={version} />
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            {formatTimestamp(version.creation_timestamp)}
            {version.user_id ? ` by ${version.user_id}` : ""}
          </dd>
        </div>
        <div>
          <dt>Run</dt>
          <dd>{runId ? <RunLink runId={runId} experimentId={lineage?.experimentId} runName={lineage?.runName} /> : <span className={ui.muted}>none</span>}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>
            <code className={styles.code}>{version.source}</code>
          </dd>
        </div>
        {version.onnx_path || version.model_digest ? (
          <>
            <div>
              <dt>Model bytes</dt>
              <dd>
                <ModelDigest digest={version.model_digest ?? null} />
              </dd>
            </div>
            <div>
              <dt>Approved review</dt>
              <dd>
                {version.approved_review_id ? (
                  <Link href={reviewHref(version.approved_review_id)}>review #{version.approved_review_id}</Link>
                ) : (
                  <span className={ui.muted}>none: served only by explicit version to editors</span>
                )}
              </dd>
            </div>
          </>
        ) : null}
      </dl>
      {version.integrity_failure ? (
        <p className={styles.warning} role="alert">
          Serving refuses this version: {version.integrity_failure} Restore the file from a backup or register the reviewed model again; the event is in
          the audit log.
        </p>
      ) : null}
      {version.onnx_path ? (
        <p className={styles.links}>
          <Link className={ui.button} href={playgroundHref(version.name, version.version)}>
            Open playground
          </Link>
          <a className={ui.secondary} href={onnxDownloadHref(version.name, version.version)} download={`${version.name}-v${version.version}.onnx`}>
            Download ONNX
          </a>
        </p>
      ) : null}
    </>
  );
}

/** onnxruntime-web and -node return tensors only; a ZipMap output (a sequence of maps) cannot be read by either. */
function RuntimeWarning({ name, version, introspection, canWrite }: { name: string; version: string; introspection: OnnxIntrospection; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const derive = useMutation(
    trpc.registry.deriveWithoutZipMap.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() }),
    }),
  );
  const created = derive.data as { name: string; version: string } | undefined;
  return (
    <section className={styles.warning} aria-labelledby="runtime-warning">
      <h2 id="runtime-warning">The browser and server runtimes cannot run this version as it is</h2>
      <p>
        {introspection.usesZipMap
          ? "Its graph ends in a ZipMap node, so it returns a sequence of maps (one {class: probability} map per row). onnxruntime-web (the playground) and onnxruntime-node (serving) only return tensors."
          : "Some of its outputs are not tensors, and onnxruntime-web (the playground) and onnxruntime-node (serving) only return tensors."}
      </p>
      {introspection.unsupportedInBrowser.length ? (
        <ul>
          {introspection.unsupportedInBrowser.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {introspection.usesZipMap ? (
        created ? (
          <p className={styles.notice} role="status">
            Derived <Link href={modelVersionHref(created.name, created.version)}>version {created.version}</Link>: the same model with the
            probabilities tensor as its output.
          </p>
        ) : canWrite ? (
          <p>
            <button type="button" className={ui.button} disabled={derive.isPending} onClick={() => derive.mutate({ name, version })}>
              {derive.isPending ? "Deriving…" : "Derive a version without ZipMap"}
            </button>
          </p>
        ) : (
          <p>An editor can derive a version without the ZipMap node, whose output is the probabilities tensor.</p>
        )
      ) : null}
      {derive.error ? (
        <p className={ui.error} role="alert">
          {derive.error.message}
        </p>
      ) : null}
    </section>
  );
}

function LineageSection({ name, version, lineage }: { name: string; version: ModelVersionDetail; lineage: ModelLineage | null }) {
  const titleId = useId();
  const metrics = lineage ? Object.entries(lineage.metrics).sort(([a], [b]) => a.localeCompare(b)) : [];
  const params = lineage ? Object.entries(lineage.params).sort(([a], [b]) => a.localeCompare(b)) : [];
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>Lineage</h2>
      {lineage === null ? (
        <p className={ui.panel}>
          No lineage was recorded for this version{version.run_id ? "" : ": it was not registered from a run"}. Versions registered from a run&apos;s
          artifact record the run, its dataset versions and its metrics.
        </p>
      ) : (
        <div className={ui.panel}>
          <dl className={ui.dl}>
            <dt>Run</dt>
            <dd>
              {lineage.runId ? (
                <RunLink runId={lineage.runId} experimentId={lineage.experimentId} runName={lineage.runName} />
              ) : (
                <span className={ui.muted}>none</span>
              )}
            </dd>
            <dt>Experiment</dt>
            <dd>
              {lineage.experimentId ? (
                <ExperimentLink experimentId={lineage.experimentId} />
              ) : (
                <span className={ui.muted}>—</span>
              )}
            </dd>
            {lineage.artifactPath ? (
              <>
                <dt>Artifact</dt>
                <dd>
                  <code>{lineage.artifactPath}</code>
                </dd>
              </>
            ) : null}
            {lineage.derivedFrom ? (
              <>
                <dt>Derived from</dt>
                <dd>
                  <Link href={modelVersionHref(name, lineage.derivedFrom.version)}>Version {lineage.derivedFrom.version}</Link>:{" "}
                  {describeTransform(lineage.derivedFrom.transform)}
                </dd>
              </>
            ) : null}
          </dl>
          <h3>Datasets</h3>
          {lineage.datasets.length ? (
            <ul aria-label="Datasets used">
              {lineage.datasets.map((dataset) => (
                <li key={`${dataset.name}:${dataset.digest}:${dataset.context ?? ""}`}>
                  {dataset.registry ? (
                    <Link href={datasetVersionHref(dataset.registry.datasetName, dataset.registry.version)}>
                      {dataset.registry.datasetName} version {dataset.registry.version}
                    </Link>
                  ) : (
                    <>
                      {dataset.name} <span className={ui.muted}>(not in the dataset registry)</span>
                    </>
                  )}
                  {dataset.context ? <span className={ui.muted}> — {dataset.context}</span> : null}{" "}
                  <code className={styles.code} title={dataset.digest}>
                    {dataset.digest.slice(0, 12)}
                  </code>
                  {dataset.registry?.qualityStatus === "failed" ? (
                    <span className={styles.failedBadge} title={dataset.registry.qualityReason ?? "This dataset version failed quality"}>
                      failed quality
                    </span>
                  ) : null}
                  {dataset.registry?.qualityStatus === "failed" && dataset.registry.qualityReason ? (
                    <span className={ui.muted}> {dataset.registry.qualityReason}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className={ui.muted}>The run logged no dataset inputs (MLflow <code>log_input</code>).</p>
          )}
          <h3>Metrics at registration</h3>
          {metrics.length ? (
            <table className={ui.table} aria-label="Metrics at registration">
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className={ui.num}>Value</th>
                </tr>
              </thead>
              <tbody>
                {metrics.map(([key, value]) => (
                  <tr key={key}>
                    <td>{key}</td>
                    <td className={ui.num}>{formatMetricValue(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className={ui.muted}>No metrics were recorded at registration.</p>
          )}
          {params.length ? (
            <>
              <h3>Parameters</h3>
              <table className={ui.table} aria-label="Parameters at registration">
                <thead>
                  <tr>
                    <th scope="col">Parameter</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {params.map(([key, value]) => (
                    <tr key={key}>
                      <td>{key}</td>
                      <td className={ui.wrap}>{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </div>
      )}
    </section>
  );
}

/** A tensor spec's dtype and shape; null for a column spec (column-based signatures from an MLmodel file). */
function tensorSpecOf(spec: TensorSpec | ColumnSpec): TensorSpec["tensor-spec"] | null {
  const parsed = zTensorSpec.safeParse(spec);
  return parsed.success ? parsed.data["tensor-spec"] : null;
}

function SignatureSection({ introspection }: { introspection: OnnxIntrospection }) {
  // The MLmodel file's signature, when one was logged with the model, is what MLflow clients validate against.
  const fromMlmodel = introspection.mlmodelSignature ?? null;
  const signature = fromMlmodel ?? signatureFromIntrospection(introspection);
  const rows = [
    ...signature.inputs.map((spec) => ({ role: "input", spec })),
    ...signature.outputs.map((spec) => ({ role: "output", spec })),
  ];
  return (
    <section aria-labelledby="signature">
      <h2 id="signature">Signature</h2>
      <p className={styles.hint}>
        {fromMlmodel
          ? "From the MLmodel file logged with the model."
          : "Derived from the ONNX graph (MLflow tensor-based signature); -1 marks a dimension of any size. Non-tensor outputs have no tensor spec and are left out."}
      </p>
      {rows.length ? (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label="Signature">
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Name</th>
                <th scope="col">dtype</th>
                <th scope="col">Shape</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ role, spec }) => (
                <tr key={`${role}:${spec.name ?? ""}`}>
                  <td>{role}</td>
                  <td>
                    <code>{spec.name ?? "—"}</code>
                  </td>
                  <td>{tensorSpecOf(spec)?.dtype ?? spec.type}</td>
                  <td>{tensorSpecOf(spec) ? `(${tensorSpecOf(spec)!.shape.join(", ")})` : "column"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={ui.muted}>No tensor inputs or outputs.</p>
      )}
    </section>
  );
}
