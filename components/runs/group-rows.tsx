"use client";
// The grouped runs table's own rows: a group's header (value, run count, a box for all its runs, each metric's
// mean and min–max) and the note under an open group that holds more runs than were listed.
import { useTranslations } from "next-intl";
import { memo, useEffect, useRef } from "react";
import { formatMetricValue } from "@/components/ui/time-format";
import styles from "@/components/ui/ui.module.css";
import type { GroupedRow, GroupKey, RunGroup } from "@/lib/run-groups";
import { parseColumnId } from "./run-columns";
import { ROW_HEIGHT } from "./run-table-layout";
import tableStyles from "./runs-table.module.css";

/** "lr = 0.1", or "lr = (none)" for the runs without the key. */
function useGroupLabel(groupKey: GroupKey) {
  const t = useTranslations("runsTable.groups");
  return (value: string | null) => `${groupKey.key} = ${value ?? t("none")}`;
}

/** A group's header row: its value and run count, a box that ticks all its runs, and each metric's mean and min–max. */
export const GroupRowView = memo(function GroupRowView({
  group,
  groupKey,
  rowIndex,
  columnIds,
  sticky,
  selection,
  expanded,
  onExpand,
  onSelect,
}: {
  group: RunGroup;
  groupKey: GroupKey;
  rowIndex: number;
  columnIds: string[];
  sticky: Map<string, number>;
  selection: "all" | "some" | "none";
  expanded: boolean;
  onExpand: (value: string | null) => void;
  onSelect: (runIds: readonly string[], checked: boolean) => void;
}) {
  const t = useTranslations("runsTable.groups");
  const label = useGroupLabel(groupKey)(group.value);
  const groupColumn = `${groupKey.kind === "param" ? "params" : "tags"}.${groupKey.key}`;
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = selection === "some";
  }, [selection]);
  const cell = (id: string) => {
    const left = sticky.get(id);
    const pinned = left === undefined ? {} : { className: tableStyles.pinned, style: { left } };
    if (id === "select") {
      return (
        <td key={id} {...pinned} className={`${tableStyles.select} ${pinned.className ?? ""}`}>
          <input
            ref={box}
            type="checkbox"
            aria-label={t("select", { group: label })}
            checked={selection === "all"}
            onChange={(event) => onSelect(group.runIds, event.target.checked)}
          />
        </td>
      );
    }
    if (id === "name") {
      return (
        <td key={id} {...pinned}>
          <span className={tableStyles.nameCell}>
            <button
              type="button"
              className={tableStyles.expander}
              aria-expanded={expanded}
              aria-label={t(expanded ? "hide" : "show", { count: group.runCount, group: label })}
              onClick={() => onExpand(group.value)}
            >
              <span aria-hidden="true">{expanded ? "▾" : "▸"}</span>
            </button>
            <span className={tableStyles.groupLabel} title={label}>
              {label}
            </span>
            <span className={styles.badge}>{t("runCount", { count: group.runCount })}</span>
          </span>
        </td>
      );
    }
    if (id === groupColumn) return <td key={id} {...pinned}>{group.value ?? t("none")}</td>;
    const column = parseColumnId(id);
    const figures = column?.kind === "metric" ? group.metrics[column.key] : undefined;
    if (!figures) return <td key={id} {...pinned} />;
    const [mean, min, max] = [figures.mean, figures.min, figures.max].map((value) => formatMetricValue(value));
    const title = t("aggregate", { metric: column!.key, count: figures.count, total: group.runCount, group: label, mean, min, max });
    return (
      <td key={id} className={[styles.num, pinned.className ?? ""].join(" ").trim()} style={pinned.style} title={title}>
        {mean}
        {figures.min !== figures.max ? <span className={tableStyles.range}> {min}–{max}</span> : null}
      </td>
    );
  };
  return (
    <tr aria-rowindex={rowIndex} className={tableStyles.groupHeader} style={{ height: ROW_HEIGHT }} data-group={group.value ?? ""}>
      {columnIds.map(cell)}
    </tr>
  );
});

export function MoreRunsRow({ entry, groupKey, rowIndex, columnCount }: { entry: Extract<GroupedRow<unknown>, { type: "more" }>; groupKey: GroupKey; rowIndex: number; columnCount: number }) {
  const t = useTranslations("runsTable.groups");
  const label = useGroupLabel(groupKey)(entry.groupValue);
  return (
    <tr aria-rowindex={rowIndex} style={{ height: ROW_HEIGHT }}>
      <td colSpan={columnCount} className={styles.muted}>
        {t("more", { shown: entry.shown, total: entry.total, group: label })}
      </td>
    </tr>
  );
}
