// An error from the server, said plainly in the reader's language, with a way to try again.
import { useTranslations } from "next-intl";
import styles from "./ui.module.css";
import { useErrorText, type ErrorWithSentence } from "./use-error-text";

export function QueryError({ error, onRetry }: { error: ErrorWithSentence; onRetry?: () => void }) {
  const errorText = useErrorText();
  const t = useTranslations("common");
  return (
    <div role="alert" className={styles.panel}>
      <p className={styles.error}>{errorText(error)}</p>
      {onRetry ? (
        <p>
          <button type="button" className={styles.secondary} onClick={onRetry}>
            {t("tryAgain")}
          </button>
        </p>
      ) : null}
    </div>
  );
}
