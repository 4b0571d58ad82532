// A run's name beside its colour swatch, as every compare view writes it.
import { runColor } from "@/lib/run-colors";
import type { Run } from "@/server/tracking/schema";
import styles from "./compare.module.css";

export function runDisplayName(run: Run): string {
  return run.info.run_name || run.info.run_id;
}

export function RunLabel({ runId, name }: { runId: string; name: string }) {
  return (
    <span className={styles.runName} title={name}>
      <span className={styles.swatch} style={{ background: runColor(runId) }} aria-hidden="true" />
      <span className={styles.runNameText}>{name}</span>
    </span>
  );
}
