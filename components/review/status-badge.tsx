// A review's status as a badge whose text says it (colour only repeats the words).
import { useTranslations } from "next-intl";
import type { ReviewStatus } from "@/server/review/schema";
import styles from "./review.module.css";

export function ReviewStatusBadge({ status }: { status: ReviewStatus }) {
  const t = useTranslations("reviews.status");
  return <span className={`${styles.status} ${styles[status] ?? ""}`}>{t(status)}</span>;
}

/** "✓ Pass" / "✗ Fail": an icon and a word, never colour alone. */
export function PassFail({ passed }: { passed: boolean }) {
  const t = useTranslations("reviews");
  return passed ? (
    <span className={styles.pass}>
      <span aria-hidden="true">✓ </span>{t("pass")}
    </span>
  ) : (
    <span className={styles.fail}>
      <span aria-hidden="true">✗ </span>{t("fail")}
    </span>
  );
}
