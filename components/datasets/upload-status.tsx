"use client";
// The register form's upload status: progress with cancel, cancelled, refused with the server's reason, or already registered.
import Link from "@/components/ui/intent-link";
import ui from "@/components/ui/ui.module.css";
import type { DatasetVersionDetail } from "@/server/datasets/schema";
import styles from "./datasets.module.css";
import { formatBytes } from "./format-bytes";

export type Upload =
  | { state: "idle" }
  | { state: "uploading"; loaded: number; total: number }
  | { state: "cancelled" }
  | { state: "failed"; message: string }
  | { state: "duplicate"; version: DatasetVersionDetail };

export function UploadStatus({ upload, onCancel, progressLabelId }: { upload: Upload; onCancel: () => void; progressLabelId: string }) {
  switch (upload.state) {
    case "idle":
      return null;
    case "uploading": {
      const percent = upload.total > 0 ? Math.floor((upload.loaded / upload.total) * 100) : 0;
      const sent = upload.total > 0 && upload.loaded >= upload.total;
      return (
        <section className={ui.panel} aria-labelledby={progressLabelId}>
          <h2 id={progressLabelId} className={ui.panelTitle}>
            Upload progress
          </h2>
          <div className={styles.progressRow}>
            <progress className={styles.progress} aria-labelledby={progressLabelId} value={upload.loaded} max={upload.total || 1}>
              {percent}%
            </progress>
            <span role="status" aria-live="polite">
              {sent
                ? "100% sent — the server is masking and storing the file…"
                : `${percent}% — ${formatBytes(upload.loaded)} of ${formatBytes(upload.total)}`}
            </span>
            <button type="button" className={ui.danger} onClick={onCancel}>
              Cancel upload
            </button>
          </div>
        </section>
      );
    }
    case "cancelled":
      return (
        <p className={ui.panel} role="status">
          Upload cancelled: nothing was stored. Register version sends the file again.
        </p>
      );
    case "failed":
      return (
        <div className={ui.panel} role="alert">
          <p className={ui.error}>{upload.message}</p>
          <p className={styles.hint}>Nothing was registered. Fix what the message says and use Register version again.</p>
        </div>
      );
    case "duplicate": {
      const href = `/datasets/${encodeURIComponent(upload.version.datasetName)}/versions/${upload.version.version}`;
      return (
        <p className={ui.panel} role="status">
          These bytes are already version {upload.version.version} of {upload.version.datasetName}: nothing new was stored.{" "}
          <Link href={href}>Open version {upload.version.version}</Link>
        </p>
      );
    }
  }
}
