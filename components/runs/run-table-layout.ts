// How the runs table is laid out: which columns show in which group, which key columns are pinned beside the
// run name, and each column's width. Kept per experiment (or set of experiments) in the browser, and in saved views.
import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, zTableLayout, type TableLayout } from "@/lib/saved-view-state";
import { columnId, type KeyColumn, type KeyKind } from "./run-columns";

/** Rows are one line high; a fixed estimate lets the window skip measuring 100,000 rows. */
export const ROW_HEIGHT = 37;

export type { TableLayout };

export type FixedColumnId = "select" | "name" | "experiment" | "status" | "start" | "duration" | "user";

// Wide enough for what the cells hold by default: a full "2026-12-05 00:03:27 UTC", "Duration ▼", a six-digit metric.
const DEFAULT_WIDTHS: Record<FixedColumnId, number> = { select: 40, name: 240, experiment: 170, status: 120, start: 215, duration: 115, user: 120 };
const DEFAULT_KEY_WIDTH = 140;

export const EMPTY_LAYOUT: TableLayout = { widths: {}, pinned: [] };

export function columnWidth(layout: TableLayout, id: string): number {
  return layout.widths[id] ?? DEFAULT_WIDTHS[id as FixedColumnId] ?? DEFAULT_KEY_WIDTH;
}

export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

export interface ColumnGroup {
  /** "Pinned", "Run", "Metrics", "Params", "Tags"; null over the selection and name columns. */
  title: string | null;
  columnIds: string[];
}

const GROUP_OF_KIND: { kind: KeyKind; title: string }[] = [
  { kind: "metric", title: "Metrics" },
  { kind: "param", title: "Params" },
  { kind: "tag", title: "Tags" },
];

/**
 * The table's columns in display order, grouped for the header's top row: selection and name, then pinned key
 * columns (which stay in view when scrolling sideways), the run's details, then metrics, params and tags.
 */
export function tableColumnGroups(columns: readonly KeyColumn[], layout: TableLayout, severalExperiments: boolean): ColumnGroup[] {
  const chosen = new Set(columns.map(columnId));
  const pinned = layout.pinned.filter((id) => chosen.has(id));
  const pinnedSet = new Set(pinned);
  const groups: ColumnGroup[] = [
    { title: null, columnIds: ["select", "name"] },
    { title: "Pinned", columnIds: pinned },
    { title: "Run", columnIds: [...(severalExperiments ? ["experiment"] : []), "status", "start", "duration", "user"] },
    ...GROUP_OF_KIND.map(({ kind, title }) => ({
      title,
      columnIds: columns.filter((c) => c.kind === kind).map(columnId).filter((id) => !pinnedSet.has(id)),
    })),
  ];
  return groups.filter((group) => group.columnIds.length > 0);
}

/** Left offsets of the columns that stay in view when the table scrolls sideways (selection, name, pinned). */
export function stickyOffsets(groups: readonly ColumnGroup[], layout: TableLayout): Map<string, number> {
  const offsets = new Map<string, number>();
  let left = 0;
  for (const group of groups) {
    if (group.title !== null && group.title !== "Pinned") break;
    for (const id of group.columnIds) {
      offsets.set(id, left);
      left += columnWidth(layout, id);
    }
  }
  return offsets;
}

export function togglePinned(layout: TableLayout, id: string): TableLayout {
  return { ...layout, pinned: layout.pinned.includes(id) ? layout.pinned.filter((p) => p !== id) : [...layout.pinned, id] };
}

/** The browser's copy of a table's layout; anything unreadable falls back to the defaults. */
export function readStoredLayout(storageKey: string): TableLayout {
  try {
    const raw = window.localStorage.getItem(storageKey);
    if (!raw) return EMPTY_LAYOUT;
    const parsed = zTableLayout.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : EMPTY_LAYOUT;
  } catch {
    return EMPTY_LAYOUT;
  }
}

export function storeLayout(storageKey: string, layout: TableLayout): void {
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(layout));
  } catch {
    // Private windows or a full quota: the layout lasts for this visit only.
  }
}

export function layoutStorageKey(experimentIds: readonly string[]): string {
  return `runs-table-layout:${[...experimentIds].sort().join(",")}`;
}
