"use client";
// The runs table: windowed rows (100,000 loaded runs scroll smoothly), nested runs under their parent, runs
// grouped by a param or tag under header rows with each metric's mean and min–max, ticks that show at once,
// column groups, pinned and resizable columns.
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "@/components/ui/intent-link";
import { memo, useCallback, useEffect, useMemo, useRef, type CSSProperties, type KeyboardEvent, type PointerEvent } from "react";
import { groupSelectionState, type GroupedRow, type GroupKey } from "@/lib/run-groups";
import { formatDuration, formatMetricValue, formatTimestamp } from "@/components/ui/time-format";
import styles from "@/components/ui/ui.module.css";
import { columnId, orderColumnOf, parseColumnId, type KeyColumn, type ParsedOrder, type SortColumn } from "./run-columns";
import { GroupRowView, MoreRunsRow } from "./group-rows";
import { clampWidth, columnWidth, ROW_HEIGHT, stickyOffsets, tableColumnGroups, type TableLayout } from "./run-table-layout";
import type { RunRow } from "./run-tree";
import tableStyles from "./runs-table.module.css";

const RESIZE_KEY_STEP = 16;

const FIXED_LABELS: Record<string, string> = { experiment: "Experiment", status: "Status", start: "Start time", duration: "Duration", user: "User" };
const FIXED_SORT: Record<string, SortColumn> = {
  name: { kind: "attribute", key: "run_name" },
  start: { kind: "attribute", key: "start_time" },
};

/** A row of the table: a run (in the tree or in a group), a group's header, or a note that a group has more runs. */
export type TableRow = GroupedRow<RunRow>;

export interface RunsTableProps {
  rows: TableRow[];
  /** The key the rows are grouped by, or null. */
  groupKey: GroupKey | null;
  expandedGroups: ReadonlySet<string | null>;
  onExpandGroup: (value: string | null) => void;
  /** Ticks or unticks every run of a group. */
  onSelectGroup: (runIds: readonly string[], checked: boolean) => void;
  /** The runs "select every loaded run" ticks; when absent, the run rows shown. */
  selectableIds?: readonly string[];
  columns: KeyColumn[];
  layout: TableLayout;
  onLayout: (layout: TableLayout) => void;
  onTogglePin: (columnId: string) => void;
  experimentNames: Map<string, string> | null;
  order: ParsedOrder;
  onSort: (column: SortColumn) => void;
  selected: string[];
  onToggle: (runId: string, checked: boolean, shiftKey: boolean, order: readonly string[]) => void;
  onSelectAll: (checked: boolean, runIds: string[]) => void;
  expanded: ReadonlySet<string>;
  onExpand: (runId: string) => void;
  onNearEnd: () => void;
}

export function RunsTable(props: RunsTableProps) {
  const { rows, columns, layout, onLayout, experimentNames, order, onSort, selected, onToggle, expanded, onExpand, onNearEnd } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the first measurement (and in tests without layout), render a first screenful.
    initialRect: { width: 1000, height: 700 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 30) onNearEnd();
  }, [lastIndex, rows.length, onNearEnd]);

  const groups = useMemo(() => tableColumnGroups(columns, layout, experimentNames !== null), [columns, layout, experimentNames]);
  const columnIds = useMemo(() => groups.flatMap((group) => group.columnIds), [groups]);
  const sticky = useMemo(() => stickyOffsets(groups, layout), [groups, layout]);
  const keyColumns = useMemo(() => new Map(columns.map((c) => [columnId(c), c])), [columns]);
  const tableWidth = columnIds.reduce((sum, id) => sum + columnWidth(layout, id), 0);

  // Row order for shift-click ranges, read at click time so the row callbacks stay the same between renders.
  const rowIds = useRef<string[]>([]);
  rowIds.current = rows.flatMap((row) => (row.type === "run" ? [row.row.run.info.run_id] : []));
  const selectable = useRef<readonly string[]>([]);
  selectable.current = props.selectableIds ?? rowIds.current;
  const toggle = useCallback((runId: string, checked: boolean, shiftKey: boolean) => onToggle(runId, checked, shiftKey, rowIds.current), [onToggle]);

  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const allShownSelected = selectable.current.length > 0 && selectable.current.every((id) => selectedSet.has(id));
  const paddingTop = items.length ? items[0].start : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  const stickyStyle = (id: string): CSSProperties | undefined => {
    const left = sticky.get(id);
    return left === undefined ? undefined : { left };
  };
  const stickyClass = (id: string) => (sticky.has(id) ? tableStyles.pinned : undefined);

  return (
    <div ref={scroller} className={`${styles.tableWrap} ${tableStyles.scroller}`} tabIndex={0} aria-label="Runs table, scrollable">
      <table className={`${styles.table} ${tableStyles.table}`} style={{ width: tableWidth }} aria-label="Runs" aria-rowcount={rows.length + 1}>
        <colgroup>
          {columnIds.map((id) => (
            <col key={id} style={{ width: columnWidth(layout, id) }} />
          ))}
        </colgroup>
        <thead>
          {/* The groups repeat what each column's header says; to assistive technology the table keeps one header row. */}
          <tr className={tableStyles.groupRow} aria-hidden="true">
            {groups.map((group) =>
              group.title === null ? (
                <td key="lead" colSpan={group.columnIds.length} className={tableStyles.pinned} style={{ left: 0 }} />
              ) : (
                <th key={group.title} scope="colgroup" colSpan={group.columnIds.length} className={group.title === "Pinned" ? tableStyles.pinned : undefined} style={stickyStyle(group.columnIds[0])}>
                  {group.title}
                </th>
              ),
            )}
          </tr>
          <tr className={tableStyles.headerRow}>
            {columnIds.map((id) => {
              if (id === "select") {
                return (
                  <th key={id} scope="col" className={`${tableStyles.select} ${tableStyles.pinned}`} style={stickyStyle(id)}>
                    <input
                      type="checkbox"
                      aria-label="Select every loaded run"
                      checked={allShownSelected}
                      onChange={(event) => props.onSelectAll(event.target.checked, [...selectable.current])}
                    />
                  </th>
                );
              }
              const key = keyColumns.get(id);
              const sortColumn = key ?? FIXED_SORT[id];
              const label = key ? (key.kind === "tag" ? `tag: ${key.key}` : key.key) : id === "name" ? "Run name" : FIXED_LABELS[id];
              return (
                <HeaderCell
                  key={id}
                  id={id}
                  label={label}
                  numeric={key?.kind === "metric"}
                  sort={sortColumn ? { column: sortColumn, order, onSort } : null}
                  pinned={key ? layout.pinned.includes(id) : null}
                  onTogglePin={props.onTogglePin}
                  width={columnWidth(layout, id)}
                  onWidth={(width) => onLayout({ ...layout, widths: { ...layout.widths, [id]: width } })}
                  className={stickyClass(id)}
                  style={stickyStyle(id)}
                />
              );
            })}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr aria-hidden="true" className={tableStyles.spacer}>
              <td colSpan={columnIds.length} style={{ height: paddingTop }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const entry = rows[item.index];
            if (entry.type === "group") {
              return (
                <GroupRowView
                  key={`group:${entry.group.value ?? ""}:${entry.group.value === null}`}
                  group={entry.group}
                  groupKey={props.groupKey!}
                  rowIndex={item.index + 2}
                  columnIds={columnIds}
                  sticky={sticky}
                  selection={groupSelectionState(entry.group.runIds, selectedSet)}
                  expanded={props.expandedGroups.has(entry.group.value)}
                  onExpand={props.onExpandGroup}
                  onSelect={props.onSelectGroup}
                />
              );
            }
            if (entry.type === "more") {
              return <MoreRunsRow key={`more:${entry.groupValue ?? ""}:${entry.groupValue === null}`} entry={entry} groupKey={props.groupKey!} rowIndex={item.index + 2} columnCount={columnIds.length} />;
            }
            const row = entry.row;
            const runId = row.run.info.run_id;
            return (
              <RunRowView
                key={runId}
                run={row.run}
                depth={row.depth}
                childCount={row.childCount}
                parentId={row.parentId}
                rowIndex={item.index + 2}
                columnIds={columnIds}
                sticky={sticky}
                experimentName={experimentNames ? (experimentNames.get(row.run.info.experiment_id) ?? `experiment ${row.run.info.experiment_id}`) : null}
                checked={selectedSet.has(runId)}
                expanded={expanded.has(runId)}
                onToggle={toggle}
                onExpand={onExpand}
              />
            );
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true" className={tableStyles.spacer}>
              <td colSpan={columnIds.length} style={{ height: paddingBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function HeaderCell({
  id,
  label,
  numeric,
  sort,
  pinned,
  onTogglePin,
  width,
  onWidth,
  className,
  style,
}: {
  id: string;
  label: string;
  numeric: boolean;
  sort: { column: SortColumn; order: ParsedOrder; onSort: (column: SortColumn) => void } | null;
  /** null: this column cannot be pinned (the run's own details). */
  pinned: boolean | null;
  onTogglePin: (columnId: string) => void;
  width: number;
  onWidth: (width: number) => void;
  className?: string;
  style?: CSSProperties;
}) {
  const active = sort !== null && sort.order.column === orderColumnOf(sort.column);
  const direction = active ? (sort.order.ascending ? "ascending" : "descending") : undefined;
  const dragStart = useRef<{ x: number; width: number } | null>(null);
  const onPointerDown = (event: PointerEvent<HTMLSpanElement>) => {
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    dragStart.current = { x: event.clientX, width };
  };
  const onPointerMove = (event: PointerEvent<HTMLSpanElement>) => {
    if (dragStart.current) onWidth(clampWidth(dragStart.current.width + event.clientX - dragStart.current.x));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLSpanElement>) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    onWidth(clampWidth(width + (event.key === "ArrowRight" ? RESIZE_KEY_STEP : -RESIZE_KEY_STEP)));
  };
  const cellClass = [numeric ? styles.num : "", tableStyles.headerCell, className ?? ""].filter(Boolean).join(" ");
  return (
    <th scope="col" aria-sort={sort ? (direction ?? "none") : undefined} className={cellClass} style={style} title={label}>
      <span className={tableStyles.headerLabel}>
        {sort ? (
          <button type="button" className={styles.sortButton} onClick={() => sort.onSort(sort.column)}>
            {label}
            <span aria-hidden="true">{active ? (sort.order.ascending ? " ▲" : " ▼") : ""}</span>
            <span className="visually-hidden">, sort</span>
          </button>
        ) : (
          label
        )}
      </span>
      {pinned !== null ? (
        // A checkbox, not a button: the header keeps one button (sort), and "pinned" is an on/off state.
        <label className={tableStyles.pinToggle} title={pinned ? "Unpin: let it scroll with the others" : "Pin: keep it beside the run name"}>
          <input type="checkbox" aria-label={`Pin ${label}`} checked={pinned} onChange={() => onTogglePin(id)} />
          <span aria-hidden="true">{pinned ? "◆" : "◇"}</span>
        </label>
      ) : null}
      <span
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${label}`}
        aria-valuenow={width}
        aria-valuemin={60}
        aria-valuemax={800}
        tabIndex={0}
        className={tableStyles.resizer}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (dragStart.current = null)}
        onKeyDown={onKeyDown}
      />
    </th>
  );
}

// Props are the row's parts, not the row object (rebuilt on every render): a tick re-renders only its own row.
const RunRowView = memo(function RunRowView({
  run,
  depth,
  childCount,
  parentId,
  rowIndex,
  columnIds,
  sticky,
  experimentName,
  checked,
  expanded,
  onToggle,
  onExpand,
}: {
  run: RunRow["run"];
  depth: number;
  childCount: number;
  parentId: string | null;
  rowIndex: number;
  columnIds: string[];
  sticky: Map<string, number>;
  experimentName: string | null;
  checked: boolean;
  expanded: boolean;
  onToggle: (runId: string, checked: boolean, shiftKey: boolean) => void;
  onExpand: (runId: string) => void;
}) {
  const runId = run.info.run_id;
  const name = run.info.run_name || runId;
  const values = useMemo(() => {
    const byId = new Map<string, string>();
    for (const m of run.data.metrics) byId.set(`metrics.${m.key}`, formatMetricValue(m.value));
    for (const p of run.data.params) byId.set(`params.${p.key}`, p.value);
    for (const t of run.data.tags) byId.set(`tags.${t.key}`, t.value);
    return byId;
  }, [run]);
  const cell = (id: string) => {
    const left = sticky.get(id);
    const props = left === undefined ? {} : { className: tableStyles.pinned, style: { left } };
    switch (id) {
      case "select":
        return (
          <td key={id} {...props} className={`${tableStyles.select} ${props.className ?? ""}`}>
            <input
              type="checkbox"
              aria-label={`Select ${name}`}
              checked={checked}
              // onClick (not onChange) carries the shift key; the box's new state is already in `checked`.
              onClick={(event) => onToggle(runId, event.currentTarget.checked, event.shiftKey)}
              onChange={() => {}}
            />
          </td>
        );
      case "name":
        return (
          <td key={id} {...props}>
            <span className={tableStyles.nameCell} style={{ paddingLeft: `${depth * 1.25}rem` }}>
              {childCount > 0 ? (
                <button
                  type="button"
                  className={tableStyles.expander}
                  aria-expanded={expanded}
                  aria-label={`${expanded ? "Hide" : "Show"} ${childCount} nested run${childCount === 1 ? "" : "s"} of ${name}`}
                  onClick={() => onExpand(runId)}
                >
                  <span aria-hidden="true">{expanded ? "▾" : "▸"}</span>
                </button>
              ) : depth > 0 ? (
                <span aria-hidden="true" className={tableStyles.branch}>
                  ↳
                </span>
              ) : null}
              <Link href={`/experiments/${run.info.experiment_id}/runs/${runId}`}>{name}</Link>
              {childCount > 0 ? <span className={styles.badge}>{childCount}</span> : null}
              {depth === 0 && parentId ? (
                <Link className={tableStyles.parentLink} href={`/experiments/${run.info.experiment_id}/runs/${parentId}`} title="This run is nested under another run">
                  nested · parent
                </Link>
              ) : null}
            </span>
          </td>
        );
      case "experiment":
        return (
          <td key={id} {...props}>
            <Link href={`/experiments/${run.info.experiment_id}`}>{experimentName}</Link>
          </td>
        );
      case "status":
        return (
          <td key={id} {...props}>
            <span className={`${styles.status} ${styles[run.info.status] ?? ""}`}>{run.info.status}</span>
          </td>
        );
      case "start":
        return (
          <td key={id} {...props}>
            {formatTimestamp(run.info.start_time)}
          </td>
        );
      case "duration":
        return (
          <td key={id} {...props}>
            {formatDuration(run.info.start_time, run.info.end_time)}
          </td>
        );
      case "user":
        return (
          <td key={id} {...props}>
            {run.info.user_id || "—"}
          </td>
        );
      default: {
        const numeric = parseColumnId(id)?.kind === "metric";
        return (
          <td key={id} {...props} className={[numeric ? styles.num : "", props.className ?? ""].join(" ").trim() || undefined}>
            {values.get(id) ?? ""}
          </td>
        );
      }
    }
  };
  return (
    <tr aria-rowindex={rowIndex} aria-selected={checked} style={{ height: ROW_HEIGHT }} data-depth={depth}>
      {columnIds.map(cell)}
    </tr>
  );
});
