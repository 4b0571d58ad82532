// An error from the server, said plainly, with a way to try again.
import styles from "./ui.module.css";

export function QueryError({ error, onRetry }: { error: { message: string }; onRetry?: () => void }) {
  return (
    <div role="alert" className={styles.panel}>
      <p className={styles.error}>{error.message}</p>
      {onRetry ? (
        <p>
          <button type="button" className={styles.secondary} onClick={onRetry}>
            Try again
          </button>
        </p>
      ) : null}
    </div>
  );
}
