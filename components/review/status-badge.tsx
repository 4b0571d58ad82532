// A review's status as a badge whose text says it (colour only repeats the words).
import type { ReviewStatus } from "@/server/review/schema";
import { reviewStatusLabels } from "./review-format";
import styles from "./review.module.css";

export function ReviewStatusBadge({ status }: { status: ReviewStatus }) {
  return <span className={`${styles.status} ${styles[status] ?? ""}`}>{reviewStatusLabels[status]}</span>;
}

/** "✓ Pass" / "✗ Fail": an icon and a word, never colour alone. */
export function PassFail({ passed }: { passed: boolean }) {
  return passed ? (
    <span className={styles.pass}>
      <span aria-hidden="true">✓ </span>Pass
    </span>
  ) : (
    <span className={styles.fail}>
      <span aria-hidden="true">✗ </span>Fail
    </span>
  );
}
