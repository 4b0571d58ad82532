"use client";
// The preview pane of the run's artifact browser: text, pretty JSON, CSV/TSV tables and images, read through the artifact proxy;
// ONNX models as their graph, parsed on the server.
import { useQuery } from "@tanstack/react-query";
import Image from "next/image";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { OnnxGraphPreview } from "@/components/models/onnx-graph-preview";
import styles from "@/components/ui/ui.module.css";
import { artifactDownloadHref } from "./artifact-link";
import {
  PREVIEW_SVG_BYTES,
  PREVIEW_TABLE_ROWS,
  PREVIEW_TEXT_BYTES,
  artifactPreviewKind,
  buildArtifactPreview,
  readFirstBytes,
  type ArtifactPreview,
  type ArtifactPreviewNote,
  type NoPreviewReason,
} from "./artifact-preview-kind";
import page from "./run-page.module.css";

const PREVIEW_LIMIT_LABEL = `${PREVIEW_TEXT_BYTES / 1024} KB`;

type PreviewWords = ReturnType<typeof useTranslations<"runPage.preview">>;

function noteText(note: ArtifactPreviewNote, t: PreviewWords): string {
  return note.code === "jsonCut" ? t("jsonCut") : t("jsonInvalid", { detail: note.detail });
}

function reasonText(reason: NoPreviewReason, t: PreviewWords): string {
  return reason.code === "svgTooLarge" ? t("svgTooLarge", { megabytes: reason.megabytes }) : t("binaryData");
}

/** The proxy answers errors as MLflow JSON ({ error_code, message }); anything else is described by its status. */
async function describeFailedDownload(response: Response, t: PreviewWords): Promise<string> {
  let detail = "";
  try {
    const body = (await response.json()) as { message?: unknown };
    if (typeof body.message === "string") detail = body.message;
  } catch {
    detail = "";
  }
  if (response.status === 401) return t("sessionEnded");
  if (response.status === 404) return detail ? t("notFoundDetail", { detail }) : t("notFound");
  return detail ? t("failedDetail", { status: response.status, detail }) : t("failed", { status: response.status });
}

async function fetchPreview(href: string, kind: "text" | "json" | "csv" | "tsv" | "svg", t: PreviewWords): Promise<ArtifactPreview> {
  let response: Response;
  try {
    response = await fetch(href, { credentials: "same-origin" });
  } catch {
    throw new Error(t("noAnswer"));
  }
  if (!response.ok) throw new Error(await describeFailedDownload(response, t));
  // The proxy sends whole files; reading stops at the limit and the rest of the download is cancelled.
  const { bytes, truncated } = await readFirstBytes(response.body, kind === "svg" ? PREVIEW_SVG_BYTES : PREVIEW_TEXT_BYTES);
  return buildArtifactPreview(kind, bytes, truncated);
}

export function ArtifactPreviewPane({ root, path }: { root: string; path: string | null }) {
  const t = useTranslations("runPage.preview");
  if (path === null) {
    return (
      <div className={page.preview}>
        <p className={styles.muted}>{t("select")}</p>
      </div>
    );
  }
  const name = path.slice(path.lastIndexOf("/") + 1);
  const href = artifactDownloadHref(root, path);
  return (
    <section className={page.preview} aria-label={t("label", { path })}>
      <div className={page.previewHeader}>
        <h3 className={page.previewTitle}>
          <code>{path}</code>
        </h3>
        <a href={href} download={name}>
          {t("download")}
        </a>
      </div>
      <PreviewBody key={href} href={href} root={root} path={path} />
    </section>
  );
}

function PreviewBody({ href, root, path }: { href: string; root: string; path: string }) {
  const t = useTranslations("runPage.preview");
  if (/\.onnx$/i.test(path)) {
    const storePath = [...root.split("/"), ...path.split("/")].filter(Boolean).join("/");
    return <OnnxGraphPreview source={{ source: "artifact", path: storePath }} withSummary />;
  }
  const kind = artifactPreviewKind(path);
  if (kind === "none") return <NoPreview reason={t("noPreview")} />;
  if (kind === "image") return <RasterImage href={href} path={path} />;
  return <FetchedPreview href={href} path={path} kind={kind} />;
}

function NoPreview({ reason }: { reason: string }) {
  const t = useTranslations("runPage.preview");
  return (
    <p className={styles.muted}>
      {reason} {t.rich("useDownload", { strong: (chunks) => <strong>{chunks}</strong> })}
    </p>
  );
}

function RasterImage({ href, path }: { href: string; path: string }) {
  const t = useTranslations("runPage.preview");
  const [state, setState] = useState<"loading" | "loaded" | "failed">("loading");
  if (state === "failed") {
    return (
      <p className={styles.error} role="alert">
        {t("imageFailed")}
      </p>
    );
  }
  return (
    <>
      {state === "loading" ? <p role="status">{t("loadingImage")}</p> : null}
      {/* Unoptimized: the image optimiser would fetch without the user's session, so the browser loads it from the proxy itself. */}
      <Image
        className={page.previewImage}
        src={href}
        alt={t("imageAlt", { path })}
        width={0}
        height={0}
        unoptimized
        loading="eager"
        onLoad={() => setState("loaded")}
        onError={() => setState("failed")}
      />
    </>
  );
}

function FetchedPreview({ href, path, kind }: { href: string; path: string; kind: "text" | "json" | "csv" | "tsv" | "svg" }) {
  const t = useTranslations("runPage.preview");
  const preview = useQuery({
    queryKey: ["artifact-preview", href],
    queryFn: () => fetchPreview(href, kind, t),
    staleTime: 60_000,
    retry: false,
  });
  if (preview.isPending) return <p role="status">{t("loading")}</p>;
  if (preview.error) {
    return (
      <div role="alert">
        <p className={styles.error}>{preview.error.message}</p>
        <p>
          <button type="button" className={styles.secondary} onClick={() => void preview.refetch()}>
            {t("retry")}
          </button>
        </p>
      </div>
    );
  }
  const data = preview.data;
  switch (data.kind) {
    case "binary":
      return <NoPreview reason={reasonText(data.reason, t)} />;
    case "svg":
      // An image element never runs an SVG's scripts, unlike inlining its markup into the page.
      return <Image className={page.previewImage} src={data.src} alt={t("imageAlt", { path })} width={0} height={0} unoptimized loading="eager" />;
    case "json":
      return <pre className={page.previewText} data-testid="artifact-preview-json">{data.pretty}</pre>;
    case "text":
      return (
        <>
          {data.note ? <p className={page.note}>{noteText(data.note, t)}</p> : null}
          {data.truncated ? <p className={page.note}>{t("truncated", { limit: PREVIEW_LIMIT_LABEL })}</p> : null}
          <pre className={page.previewText}>{data.text}</pre>
        </>
      );
    case "table":
      return <TablePreview preview={data} path={path} />;
  }
}

function TablePreview({ preview, path }: { preview: Extract<ArtifactPreview, { kind: "table" }>; path: string }) {
  const t = useTranslations("runPage.preview");
  if (!preview.header.length) return <p className={styles.muted}>{t("empty")}</p>;
  const width = Math.max(preview.header.length, ...preview.rows.map((r) => r.length));
  const columns = Array.from({ length: width }, (_, i) => i);
  return (
    <>
      {preview.moreRows ? (
        <p className={page.note}>
          {preview.truncated
            ? t("firstRowsOfBytes", { rows: preview.rows.length, limit: PREVIEW_LIMIT_LABEL })
            : t("firstRowsOfMore", { rows: preview.rows.length, max: PREVIEW_TABLE_ROWS })}
        </p>
      ) : null}
      {preview.problems.length ? <p className={page.note}>{t("problems", { problems: preview.problems.join("; ") })}</p> : null}
      <div className={`${styles.tableWrap} ${page.previewTable}`}>
        <table className={styles.table} aria-label={t("contents", { path })}>
          <thead>
            <tr>
              {columns.map((i) => (
                <th key={i} scope="col">
                  {preview.header[i] ?? ""}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, r) => (
              <tr key={r}>
                {columns.map((i) => (
                  <td key={i}>{row[i] ?? ""}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
