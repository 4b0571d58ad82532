// A model's health flag from monitoring: the reasons in the tooltip for sight, and in text for screen readers.
import styles from "./monitoring.module.css";

export function HealthFlag({ reasons, showHealthy = false }: { reasons: readonly string[]; showHealthy?: boolean }) {
  if (reasons.length === 0) return showHealthy ? <span className={styles.healthy}>healthy</span> : null;
  const text = reasons.join("; ");
  return (
    <span className={styles.flag} title={text}>
      <span aria-hidden="true">⚑</span> flagged
      <span className="visually-hidden">: {text}</span>
    </span>
  );
}
