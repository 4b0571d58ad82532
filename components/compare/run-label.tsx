// A run's name beside its colour swatch, as every compare view writes it.
import type { Run } from "@/server/tracking/schema";
import styles from "./compare.module.css";
import { useRunColors } from "./run-colors-context";

export function runDisplayName(run: Run): string {
  return run.info.run_name || run.info.run_id;
}

export function RunLabel({ runId, name }: { runId: string; name: string }) {
  const colorOf = useRunColors();
  return (
    <span className={styles.runName} title={name}>
      <span className={styles.swatch} style={{ background: colorOf(runId) }} aria-hidden="true" />
      <span className={styles.runNameText}>{name}</span>
    </span>
  );
}
