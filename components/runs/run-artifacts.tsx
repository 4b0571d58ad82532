"use client";
// A run's artifacts as a folder tree beside a preview of the selected file; the selection lives in ?artifact= so a preview is a link.
import { useQuery } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type MouseEvent } from "react";
import { RegisterFromRun } from "@/components/models/register-from-run";
import { isRegistrableArtifact } from "@/components/models/register-name";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import { artifactDownloadHref, artifactProxyRoot } from "./artifact-link";
import { ArtifactPreviewPane } from "./artifact-preview";
import { artifactSelectionHref, selectedArtifactPath } from "./artifact-preview-kind";
import page from "./run-page.module.css";

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface Selection {
  path: string | null;
  hrefFor(path: string): string;
  select(path: string): void;
}

export function RunArtifacts({ runId, artifactUri }: { runId: string; artifactUri: string }) {
  const t = useTranslations("runPage.artifacts");
  const { params, update } = useUrlState();
  const pathname = usePathname();
  const root = artifactProxyRoot(artifactUri);
  if (root === null) {
    return <p className={styles.muted}>{t("outside", { uri: artifactUri })}</p>;
  }
  const param = params.get("artifact");
  const selected = selectedArtifactPath(param);
  const selection: Selection = {
    path: selected,
    hrefFor: (path) => artifactSelectionHref(pathname, params.toString(), path),
    select: (path) => update({ artifact: path }, "push"),
  };
  return (
    <div className={page.browser}>
      <nav aria-label={t("treeLabel")}>
        <ArtifactFolder runId={runId} root={root} path="" selection={selection} />
      </nav>
      <div>
        {param !== null && selected === null ? (
          <p className={styles.error} role="alert">
            {t("badLink", { path: param.slice(0, 200) })}
          </p>
        ) : null}
        <ArtifactPreviewPane root={root} path={selected} />
        {/* An ONNX artifact can become a model version; the button shows to writers only. */}
        {selected !== null && isRegistrableArtifact(selected) ? <RegisterFromRun key={selected} runId={runId} artifactPath={selected} /> : null}
      </div>
    </div>
  );
}

function ArtifactFolder({ runId, root, path, selection }: { runId: string; root: string; path: string; selection: Selection }) {
  const t = useTranslations("runPage.artifacts");
  const trpc = useTRPC();
  const listing = useQuery(trpc.tracking.runArtifacts.queryOptions({ runId, path }));
  if (listing.error) {
    return (
      <div role="alert">
        <p className={styles.error}>{listing.error.message}</p>
        <button type="button" className={styles.secondary} onClick={() => void listing.refetch()}>
          {t("retry")}
        </button>
      </div>
    );
  }
  if (listing.isPending) return <p role="status">{t("loading")}</p>;
  if (!listing.data.files.length) {
    return path ? (
      <p className={styles.muted}>{t("emptyFolder")}</p>
    ) : (
      <p className={styles.muted}>
        {t.rich("none", { code: (chunks) => <code>{chunks}</code> })}
      </p>
    );
  }
  return (
    <ul className={styles.tree}>
      {listing.data.files.map((file) => (
        <li key={file.path}>
          {file.is_dir ? (
            <ArtifactDir runId={runId} root={root} path={file.path} selection={selection} />
          ) : (
            <ArtifactFile root={root} path={file.path} size={file.file_size} selection={selection} />
          )}
        </li>
      ))}
    </ul>
  );
}

function ArtifactDir({ runId, root, path, selection }: { runId: string; root: string; path: string; selection: Selection }) {
  // A folder holding the file named in the link starts open, so a shared preview shows where the file is.
  const [open, setOpen] = useState(() => selection.path?.startsWith(`${path}/`) ?? false);
  const name = path.slice(path.lastIndexOf("/") + 1);
  return (
    <>
      <button type="button" className={styles.sortButton} aria-expanded={open} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? "▾ " : "▸ "}</span>
        {name}/
      </button>
      {open ? <ArtifactFolder runId={runId} root={root} path={path} selection={selection} /> : null}
    </>
  );
}

function ArtifactFile({ root, path, size, selection }: { root: string; path: string; size?: number; selection: Selection }) {
  const t = useTranslations("runPage.artifacts");
  const name = path.slice(path.lastIndexOf("/") + 1);
  const isSelected = selection.path === path;
  function choose(event: MouseEvent<HTMLAnchorElement>) {
    // Plain clicks preview in place; modified clicks (new tab, new window) follow the link as usual.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    selection.select(path);
  }
  return (
    <span className={page.treeFile}>
      <a href={selection.hrefFor(path)} onClick={choose} aria-current={isSelected ? "true" : undefined} className={isSelected ? page.selected : undefined}>
        {name}
      </a>
      <span className={styles.muted}>{formatBytes(size)}</span>
      <a href={artifactDownloadHref(root, path)} download={name} aria-label={t("downloadFile", { name })} title={t("downloadFile", { name })}>
        <span aria-hidden="true">⤓</span>
      </a>
    </span>
  );
}
