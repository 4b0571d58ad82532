"use client";
// A run's artifacts as a folder tree: folders open on demand, files link to the artifact proxy for download.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import styles from "@/components/ui/ui.module.css";
import { artifactDownloadHref, artifactProxyRoot } from "./artifact-link";

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function RunArtifacts({ runId, artifactUri }: { runId: string; artifactUri: string }) {
  const root = artifactProxyRoot(artifactUri);
  if (root === null) {
    return <p className={styles.muted}>This run stores its artifacts at {artifactUri}, outside the studio, so they cannot be listed here.</p>;
  }
  return <ArtifactFolder runId={runId} root={root} path="" />;
}

function ArtifactFolder({ runId, root, path }: { runId: string; root: string; path: string }) {
  const trpc = useTRPC();
  const listing = useQuery(trpc.tracking.runArtifacts.queryOptions({ runId, path }));
  if (listing.error) return <p className={styles.error} role="alert">{listing.error.message}</p>;
  if (listing.isPending) return <p role="status">Loading artifacts…</p>;
  if (!listing.data.files.length) {
    return path ? (
      <p className={styles.muted}>Empty folder.</p>
    ) : (
      <p className={styles.muted}>
        No artifacts yet. Log files from Python with <code>mlflow.log_artifact(&quot;path/to/file&quot;)</code>.
      </p>
    );
  }
  return (
    <ul className={styles.tree}>
      {listing.data.files.map((file) => (
        <li key={file.path}>{file.is_dir ? <ArtifactDir runId={runId} root={root} path={file.path} /> : <ArtifactFile root={root} path={file.path} size={file.file_size} />}</li>
      ))}
    </ul>
  );
}

function ArtifactDir({ runId, root, path }: { runId: string; root: string; path: string }) {
  const [open, setOpen] = useState(false);
  const name = path.slice(path.lastIndexOf("/") + 1);
  return (
    <>
      <button type="button" className={styles.sortButton} aria-expanded={open} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? "▾ " : "▸ "}</span>
        {name}/
      </button>
      {open ? <ArtifactFolder runId={runId} root={root} path={path} /> : null}
    </>
  );
}

function ArtifactFile({ root, path, size }: { root: string; path: string; size?: number }) {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return (
    <>
      <a href={artifactDownloadHref(root, path)} download={name}>
        {name}
      </a>{" "}
      <span className={styles.muted}>{formatBytes(size)}</span>
    </>
  );
}
