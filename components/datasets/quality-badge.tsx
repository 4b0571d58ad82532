// A version's quality (passed / failed / pending / none) and profile status as text badges, with the failing reason written out.
import type { DatasetVersionSummary, QualityStatus } from "@/server/datasets/schema";
import styles from "./datasets.module.css";

const qualityLabels: Record<QualityStatus, string> = {
  passed: "passed",
  failed: "failed quality",
  pending: "checking…",
  none: "no rules",
};

const qualityTitles: Record<QualityStatus, string> = {
  passed: "Every quality rule passed on this version",
  failed: "This version failed quality",
  pending: "The quality rules are being evaluated",
  none: "The dataset had no quality rules when this version was checked",
};

export function QualityBadge({ status, reason }: { status: QualityStatus; reason: string | null }) {
  return (
    <>
      <span className={`${styles.quality} ${styles[status]}`} title={qualityTitles[status]}>
        {qualityLabels[status]}
      </span>
      {reason ? <span className={status === "failed" ? styles.failedReason : styles.reason}>{reason}</span> : null}
    </>
  );
}

/** "profiling 40% (reading)", "done", "failed: <error>"; the stage is the server's own word for what it is doing. */
export function profileStatusText(version: Pick<DatasetVersionSummary, "profileStatus" | "profileProgress" | "profileStage">): string {
  switch (version.profileStatus) {
    case "pending":
      return "waiting to profile";
    case "running": {
      // profileProgress is a fraction (0…1) of the work done.
      const percent = Math.round(Math.max(0, Math.min(1, version.profileProgress)) * 100);
      return `profiling ${percent}%${version.profileStage ? ` (${version.profileStage})` : ""}`;
    }
    case "done":
      return "profiled";
    case "failed":
      return "profiling failed";
  }
}

export function ProfileStatus({ version }: { version: Pick<DatasetVersionSummary, "profileStatus" | "profileProgress" | "profileStage"> }) {
  const className = version.profileStatus === "failed" ? styles.failed : version.profileStatus === "done" ? styles.passed : styles.pending;
  return <span className={`${styles.quality} ${className}`}>{profileStatusText(version)}</span>;
}
