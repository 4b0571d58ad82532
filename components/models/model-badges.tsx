// Alias chips and stage badges: the colour helps, the text says it.
import ui from "@/components/ui/ui.module.css";
import styles from "./models.module.css";

export function AliasChips({ aliases }: { aliases: readonly string[] }) {
  if (aliases.length === 0) return <span className={ui.muted}>—</span>;
  return (
    <span className={styles.chips}>
      {aliases.map((alias) => (
        <span key={alias} className={styles.chip}>
          {alias}
        </span>
      ))}
    </span>
  );
}

export function StageBadge({ stage }: { stage: string }) {
  return <span className={`${styles.stage} ${styles[stage] ?? ""}`}>{stage === "None" ? "no stage" : stage}</span>;
}
