// A run's name beside its colour swatch, as every compare view writes it.
import type { Run } from "@/server/tracking/schema";
import styles from "./compare.module.css";
import { useRunColors } from "./run-colors-context";

export function runDisplayName(run: Run): string {
  return run.info.run_name || run.info.run_id;
}

/**
 * `full`: the whole name, wrapped, for tooltips and hover lines: there is no pointer left to hover a cut
 * name's title, and sweeps' names often differ only at their end ("…-seed-1", "…-seed-2").
 */
export function RunLabel({ runId, name, full = false }: { runId: string; name: string; full?: boolean }) {
  const colorOf = useRunColors();
  return (
    <span className={full ? `${styles.runName} ${styles.runNameFull}` : styles.runName} title={name}>
      <span className={styles.swatch} style={{ background: colorOf(runId) }} aria-hidden="true" />
      <span className={styles.runNameText}>{name}</span>
    </span>
  );
}
