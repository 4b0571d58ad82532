"use client";
// Which metric, param and tag columns the runs table shows; the table loads only these.
import { useState } from "react";
import styles from "@/components/ui/ui.module.css";
import { columnId, type KeyColumn, type KeyKind } from "./run-columns";
import tableStyles from "./runs-table.module.css";

/** Long key lists are filtered rather than scrolled: thousands of metric keys stay usable. */
const SHOWN_PER_KIND = 200;

const GROUPS: { kind: KeyKind; title: string; of: "metrics" | "params" | "tags" }[] = [
  { kind: "metric", title: "Metrics", of: "metrics" },
  { kind: "param", title: "Params", of: "params" },
  { kind: "tag", title: "Tags", of: "tags" },
];

export function ColumnChooser({
  keys,
  columns,
  onChange,
  onReset,
}: {
  keys: { metrics: string[]; params: string[]; tags: string[] } | undefined;
  columns: KeyColumn[];
  onChange: (columns: KeyColumn[]) => void;
  onReset: () => void;
}) {
  const [search, setSearch] = useState("");
  const chosen = new Set(columns.map(columnId));
  const needle = search.trim().toLowerCase();
  function toggle(column: KeyColumn, on: boolean) {
    onChange(on ? [...columns, column] : columns.filter((c) => columnId(c) !== columnId(column)));
  }
  return (
    <details className={tableStyles.chooser}>
      <summary className={styles.secondary}>Columns ({columns.length})</summary>
      <div className={tableStyles.chooserPanel} role="group" aria-label="Choose columns">
        <div className={tableStyles.chooserActions}>
          <label htmlFor="column-search" className="visually-hidden">
            Find a key
          </label>
          <input
            id="column-search"
            type="search"
            className={`${styles.input} ${styles.grow}`}
            placeholder="Find a key…"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <button type="button" className={styles.secondary} onClick={onReset}>
            Default columns
          </button>
          <button type="button" className={styles.secondary} onClick={() => onChange([])}>
            None
          </button>
        </div>
        {!keys ? (
          <p role="status">Loading keys…</p>
        ) : (
          <div className={tableStyles.chooserGroups}>
            {GROUPS.map((group) => {
              const all = keys[group.of];
              const matching = needle ? all.filter((key) => key.toLowerCase().includes(needle)) : all;
              return (
                <fieldset key={group.kind}>
                  <legend>
                    {group.title} ({all.length})
                  </legend>
                  {matching.length === 0 ? <p className={styles.muted}>{all.length ? "No key matches." : "None logged."}</p> : null}
                  {matching.slice(0, SHOWN_PER_KIND).map((key) => {
                    const column = { kind: group.kind, key };
                    return (
                      <label key={key}>
                        <input type="checkbox" checked={chosen.has(columnId(column))} onChange={(event) => toggle(column, event.target.checked)} />
                        {key}
                      </label>
                    );
                  })}
                  {matching.length > SHOWN_PER_KIND ? (
                    <p className={styles.muted}>{matching.length - SHOWN_PER_KIND} more: type to narrow the list.</p>
                  ) : null}
                </fieldset>
              );
            })}
          </div>
        )}
      </div>
    </details>
  );
}
