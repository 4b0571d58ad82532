"use client";
// One model version: header facts, its acceptance reviews, lineage (run, datasets, metrics, derivation), ONNX graph summary, signature, the ZipMap warning and links.
import { TagsTable } from "./tags-table";
import type { ModelLineage } from "@/server/registry/schema";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { requestReviewHref, reviewHref } from "@/components/review/review-format";
import { ReviewsTable } from "@/components/review/reviews-list";
import { useTRPC } from "@/components/trpc-provider";
import { ConfirmDelete } from "@/components/ui/confirm-delete";
import { QueryError } from "@/components/ui/query-error";
import { useMetricFormat, useReviewDates } from "@/components/review/use-review-words";
import ui from "@/components/ui/ui.module.css";
import { useErrorText } from "@/components/ui/use-error-text";
import { useServerSentence } from "@/components/ui/use-server-sentence";
import { signatureFromIntrospection, zTensorSpec, type ColumnSpec, type TensorSpec } from "@/lib/model-signature";
import type { OnnxIntrospection } from "@/server/registry/onnx-introspection";
import type { ModelVersionDetail } from "@/server/registry/schema";
import { GraphSummary } from "./graph-summary";
import { OnnxGraphPreview } from "./onnx-graph-preview";
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
import { PlaygroundWarmUp } from "@/components/playground/playground-warm-up";

/** ortVersion: onnxruntime-web's installed version, for warming the playground's runtime up while this page is read. */
export function ModelVersionPage({ name, version, ortVersion }: { name: string; version: string; ortVersion?: string }) {
  const trpc = useTRPC();
  const canWrite = usePermission("models.write");
  const t = useTranslations("modelVersion");
  const detail = useQuery(trpc.registry.version.queryOptions({ name, version }));
  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/models">{t("models")}</Link> / <Link href={modelHref(name)}>{name}</Link> /
    </p>
  );
  if (detail.error || detail.isPending) {
    return (
      <>
        {breadcrumb}
        <h1>{t("versionTitle", { version })}</h1>
        {detail.error ? <QueryError error={detail.error} onRetry={() => void detail.refetch()} /> : <p role="status">{t("loading")}</p>}
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
      {canWrite ? <DeleteVersion name={data.name} version={data.version} /> : null}
      {introspection && (introspection.usesZipMap || browserProblems.length > 0) ? (
        <RuntimeWarning name={data.name} version={data.version} introspection={introspection} canWrite={canWrite} />
      ) : null}
      <DescriptionPanel
        key={data.description}
        title={t("description")}
        description={data.description}
        canWrite={canWrite}
        emptyText={t("noDescription")}
        save={{ kind: "version", name: data.name, version: data.version }}
      />
      <VersionReviews name={data.name} version={data.version} />
      <LineageSection name={data.name} version={data} lineage={lineage} />
      {introspection ? (
        <>
          <GraphSummary introspection={introspection} />
          <OnnxGraphPreview source={{ source: "version", name: data.name, version: data.version }} withSummary={false} />
          <SignatureSection introspection={introspection} />
        </>
      ) : (
        <section aria-labelledby="graph-summary">
          <h2 id="graph-summary">{t("onnxGraph")}</h2>
          <p className={ui.panel}>{data.onnx_path ? t("graphNotRead") : t("noOnnx")}</p>
        </section>
      )}
      {data.tags.length ? <VersionTags tags={data.tags} /> : null}
      {ortVersion && data.onnx_path && introspection && !introspection.usesZipMap && browserProblems.length === 0 ? (
        <PlaygroundWarmUp name={data.name} version={data.version} modelDigest={data.model_digest ?? null} ortVersion={ortVersion} />
      ) : null}
    </>
  );
}

/** Deletes the version after asking; the server refuses one in production, with an alias or under review, and says why. */
function DeleteVersion({ name, version }: { name: string; version: string }) {
  const trpc = useTRPC();
  const t = useTranslations("modelVersion");
  const queryClient = useQueryClient();
  const router = useRouter();
  const remove = useMutation(
    trpc.registry.deleteVersion.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() });
        router.push(modelHref(name));
      },
    }),
  );
  return (
    <ConfirmDelete
      text={{ button: t("deleteVersion"), question: t("deleteVersionQuestion", { name, version }), confirm: t("deleteVersionConfirm"), keep: t("keepIt") }}
      onConfirm={() => remove.mutate({ name, version })}
      pending={remove.isPending}
      error={remove.error?.message ?? null}
    />
  );
}

/** This version's acceptance reviews: a production alias needs an approved one. */
function VersionReviews({ name, version }: { name: string; version: string }) {
  const trpc = useTRPC();
  const reviews = useQuery(trpc.review.list.queryOptions({ filter: "all", modelName: name, modelVersion: version }));
  const t = useTranslations("modelVersion");
  return (
    <section aria-labelledby="version-reviews">
      <h2 id="version-reviews">{t("reviews")}</h2>
      <p className={styles.links}>
        <Link className={ui.secondary} href={requestReviewHref(name, version)} data-testid="request-review-link">
          {t("requestReview")}
        </Link>
      </p>
      {reviews.error ? (
        <QueryError error={reviews.error} onRetry={() => void reviews.refetch()} />
      ) : reviews.isPending ? (
        <p role="status">{t("loadingReviews")}</p>
      ) : reviews.data.length === 0 ? (
        <p className={ui.muted}>{t("noReview")}</p>
      ) : (
        <ReviewsTable reviews={reviews.data} now={reviews.dataUpdatedAt} label={t("reviewsOfVersion")} showModel={false} />
      )}
    </section>
  );
}

function VersionTags({ tags }: { tags: readonly { key: string; value: string }[] }) {
  const t = useTranslations("modelVersion");
  return (
    <section aria-labelledby="version-tags">
      <h2 id="version-tags">{t("tags")}</h2>
      <TagsTable label={t("versionTags")} tags={tags} />
    </section>
  );
}

function VersionHeader({ version, lineage }: { version: ModelVersionDetail; lineage: ModelLineage | null }) {
  const runId = version.run_id || lineage?.runId || null;
  const t = useTranslations("modelVersion");
  const dates = useReviewDates();
  const say = useServerSentence();
  return (
    <>
      <div className={styles.headerRow}>
        <h1>{t("heading", { name: version.name, version: version.version })}</h1>
        <AliasChips aliases={version.aliases} />
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>{t("stage")}</dt>
          <dd>
            <StageBadge stage={version.current_stage} />
          </dd>
        </div>
        <div>
          <dt>{t("status")}</dt>
          <dd>
            <VersionStatus version={version} />
          </dd>
        </div>
        <div>
          <dt>{t("created")}</dt>
          <dd>
            {dates.timestamp(version.creation_timestamp)}
            {version.user_id ? ` ${t("by", { user: version.user_id })}` : ""}
          </dd>
        </div>
        <div>
          <dt>{t("run")}</dt>
          <dd>{runId ? <RunLink runId={runId} experimentId={lineage?.experimentId} runName={lineage?.runName} /> : <span className={ui.muted}>{t("none")}</span>}</dd>
        </div>
        <div>
          <dt>{t("source")}</dt>
          <dd>
            <code className={styles.code}>{version.source}</code>
          </dd>
        </div>
        {version.onnx_path || version.model_digest ? (
          <>
            <div>
              <dt>{t("modelBytes")}</dt>
              <dd>
                <ModelDigest digest={version.model_digest ?? null} />
              </dd>
            </div>
            <div>
              <dt>{t("approvedReview")}</dt>
              <dd>
                {version.approved_review_id ? (
                  <Link href={reviewHref(version.approved_review_id)}>{t("reviewNumber", { id: version.approved_review_id })}</Link>
                ) : (
                  <span className={ui.muted}>{t("noApprovedReview")}</span>
                )}
              </dd>
            </div>
          </>
        ) : null}
      </dl>
      {version.integrity_failure ? (
        <p className={styles.warning} role="alert">
          {t("integrityFailure", { failure: say(version.integrity_failure_message, version.integrity_failure) })}
        </p>
      ) : null}
      {version.onnx_path ? (
        <p className={styles.links}>
          {/* A document load, not a client-side navigation: the playground needs its own cross-origin isolated
              document (COOP/COEP), and reloads itself when it arrives by a client-side one. */}
          <a className={ui.button} href={playgroundHref(version.name, version.version)}>
            {t("openPlayground")}
          </a>
          <a className={ui.secondary} href={onnxDownloadHref(version.name, version.version)} download={`${version.name}-v${version.version}.onnx`}>
            {t("downloadOnnx")}
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
  const t = useTranslations("modelVersion");
  const errorText = useErrorText();
  return (
    <section className={styles.warning} aria-labelledby="runtime-warning">
      <h2 id="runtime-warning">{t("runtimeTitle")}</h2>
      <p>{introspection.usesZipMap ? t("zipMap") : t("notTensors")}</p>
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
            {t.rich("derived", { version: created.version, link: (chunks) => <Link href={modelVersionHref(created.name, created.version)}>{chunks}</Link> })}
          </p>
        ) : canWrite ? (
          <p>
            <button type="button" className={ui.button} disabled={derive.isPending} onClick={() => derive.mutate({ name, version })}>
              {derive.isPending ? t("deriving") : t("derive")}
            </button>
          </p>
        ) : (
          <p>{t("editorCanDerive")}</p>
        )
      ) : null}
      {derive.error ? (
        <p className={ui.error} role="alert">
          {errorText(derive.error)}
        </p>
      ) : null}
    </section>
  );
}

function LineageSection({ name, version, lineage }: { name: string; version: ModelVersionDetail; lineage: ModelLineage | null }) {
  const titleId = useId();
  const t = useTranslations("modelVersion");
  const fmt = useMetricFormat();
  const metrics = lineage ? Object.entries(lineage.metrics).sort(([a], [b]) => a.localeCompare(b)) : [];
  const params = lineage ? Object.entries(lineage.params).sort(([a], [b]) => a.localeCompare(b)) : [];
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>{t("lineage")}</h2>
      {lineage === null ? (
        <p className={ui.panel}>{version.run_id ? t("noLineage") : t("noLineageNoRun")}</p>
      ) : (
        <div className={ui.panel}>
          <dl className={ui.dl}>
            <dt>{t("run")}</dt>
            <dd>
              {lineage.runId ? (
                <RunLink runId={lineage.runId} experimentId={lineage.experimentId} runName={lineage.runName} />
              ) : (
                <span className={ui.muted}>{t("none")}</span>
              )}
            </dd>
            <dt>{t("experiment")}</dt>
            <dd>
              {lineage.experimentId ? (
                <ExperimentLink experimentId={lineage.experimentId} />
              ) : (
                <span className={ui.muted}>—</span>
              )}
            </dd>
            {lineage.artifactPath ? (
              <>
                <dt>{t("artifact")}</dt>
                <dd>
                  <code>{lineage.artifactPath}</code>
                </dd>
              </>
            ) : null}
            {lineage.derivedFrom ? (
              <>
                <dt>{t("derivedFrom")}</dt>
                <dd>
                  <Link href={modelVersionHref(name, lineage.derivedFrom.version)}>{t("versionTitle", { version: lineage.derivedFrom.version })}</Link>:{" "}
                  {describeTransform(lineage.derivedFrom.transform)}
                </dd>
              </>
            ) : null}
          </dl>
          <h3>{t("datasets")}</h3>
          {lineage.datasets.length ? (
            <ul aria-label={t("datasetsUsed")}>
              {lineage.datasets.map((dataset) => (
                <li key={`${dataset.name}:${dataset.digest}:${dataset.context ?? ""}`}>
                  {dataset.registry ? (
                    <Link href={datasetVersionHref(dataset.registry.datasetName, dataset.registry.version)}>
                      {t("datasetVersion", { name: dataset.registry.datasetName, version: dataset.registry.version })}
                    </Link>
                  ) : (
                    <>
                      {dataset.name} <span className={ui.muted}>{t("notInRegistry")}</span>
                    </>
                  )}
                  {dataset.registry ? (
                    <span className={ui.muted}> ({t("matchedBy", { how: dataset.registry.matchedBy === "name and source" ? "name" : "digest" })})</span>
                  ) : null}
                  {dataset.context ? <span className={ui.muted}> — {dataset.context}</span> : null}{" "}
                  <code className={styles.code} title={dataset.digest}>
                    {dataset.digest.slice(0, 12)}
                  </code>
                  {dataset.registry?.qualityStatus === "failed" ? (
                    <span className={styles.failedBadge} title={dataset.registry.qualityReason ?? t("failedQualityTitle")}>
                      {t("failedQuality")}
                    </span>
                  ) : null}
                  {dataset.registry?.qualityStatus === "failed" && dataset.registry.qualityReason ? (
                    <span className={ui.muted}> {dataset.registry.qualityReason}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className={ui.muted}>{t.rich("noDatasetInputs", { code: (chunks) => <code>{chunks}</code> })}</p>
          )}
          <h3>{t("metricsAtRegistration")}</h3>
          {metrics.length ? (
            <table className={ui.table} aria-label={t("metricsAtRegistration")}>
              <thead>
                <tr>
                  <th scope="col">{t("metric")}</th>
                  <th scope="col" className={ui.num}>{t("value")}</th>
                </tr>
              </thead>
              <tbody>
                {metrics.map(([key, value]) => (
                  <tr key={key}>
                    <td>{key}</td>
                    <td className={ui.num}>{fmt(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className={ui.muted}>{t("noMetrics")}</p>
          )}
          {params.length ? (
            <>
              <h3>{t("parameters")}</h3>
              <table className={ui.table} aria-label={t("parametersAtRegistration")}>
                <thead>
                  <tr>
                    <th scope="col">{t("parameter")}</th>
                    <th scope="col">{t("value")}</th>
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
    ...signature.inputs.map((spec) => ({ role: "input" as const, spec })),
    ...signature.outputs.map((spec) => ({ role: "output" as const, spec })),
  ];
  const t = useTranslations("modelVersion");
  return (
    <section aria-labelledby="signature">
      <h2 id="signature">{t("signature")}</h2>
      <p className={styles.hint}>{fromMlmodel ? t("signatureFromMlmodel") : t("signatureDerived")}</p>
      {rows.length ? (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label={t("signature")}>
            <thead>
              <tr>
                <th scope="col">{t("role")}</th>
                <th scope="col">{t("name")}</th>
                <th scope="col">dtype</th>
                <th scope="col">{t("shape")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ role, spec }) => (
                <tr key={`${role}:${spec.name ?? ""}`}>
                  <td>{t(`roles.${role}`)}</td>
                  <td>
                    <code>{spec.name ?? "—"}</code>
                  </td>
                  <td>{tensorSpecOf(spec)?.dtype ?? spec.type}</td>
                  <td>{tensorSpecOf(spec) ? `(${tensorSpecOf(spec)!.shape.join(", ")})` : t("column")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={ui.muted}>{t("noTensors")}</p>
      )}
    </section>
  );
}
