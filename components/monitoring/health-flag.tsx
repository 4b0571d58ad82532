// A model's health flag from monitoring: the reasons in the tooltip for sight, and in text for screen readers, in the
// reader's language where the server kept their codes (else as the server wrote them, in English).
import { useTranslations } from "next-intl";
import { useServerSentenceList } from "@/components/ui/use-server-sentence";
import type { ServerSentence } from "@/lib/i18n/server-sentence";
import styles from "./monitoring.module.css";

export function HealthFlag({
  reasons,
  messages,
  showHealthy = false,
}: {
  reasons: readonly string[];
  /** The reasons as catalogue codes, one for one (a null entry, or none at all: that reason's English text). */
  messages?: readonly (ServerSentence | null)[] | null;
  showHealthy?: boolean;
}) {
  const t = useTranslations("monitoring.healthFlag");
  const say = useServerSentenceList();
  if (reasons.length === 0) return showHealthy ? <span className={styles.healthy}>{t("healthy")}</span> : null;
  const text = say(messages ?? [], reasons);
  return (
    <span className={styles.flag} title={text}>
      <span aria-hidden="true">⚑</span> {t("flagged")}
      <span className="visually-hidden">: {text}</span>
    </span>
  );
}
