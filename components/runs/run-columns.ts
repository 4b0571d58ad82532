// Which key columns the runs table shows (kept in the URL as "metrics.acc,params.lr") and how a
// column maps to an MLflow order_by clause.
import { decodeUrlList, encodeUrlList } from "@/lib/url-list";

/** Columns of each kind shown when the URL chooses none: enough to read, few enough to load fast. */
export const DEFAULT_KEY_COLUMNS = 8;

export type KeyKind = "metric" | "param" | "tag";

export interface KeyColumn {
  kind: KeyKind;
  key: string;
}

export type SortColumn = { kind: "attribute"; key: "start_time" | "run_name" } | KeyColumn;

const PREFIX: Record<KeyKind, string> = { metric: "metrics", param: "params", tag: "tags" };
const KIND_OF_PREFIX: Record<string, KeyKind> = { metrics: "metric", params: "param", tags: "tag" };

/** "metrics.acc": the id the URL and the CSV export use. Only the first dot separates kind from key. */
export function columnId(column: KeyColumn): string {
  return `${PREFIX[column.kind]}.${column.key}`;
}

export function parseColumnId(id: string): KeyColumn | null {
  const dot = id.indexOf(".");
  const kind = KIND_OF_PREFIX[id.slice(0, dot)];
  return dot > 0 && kind && dot < id.length - 1 ? { kind, key: id.slice(dot + 1) } : null;
}

/** The URL value for an explicitly empty choice, so "no key columns" is not mistaken for "defaults". */
const NO_COLUMNS = "none";

/** The URL's `cols`, or null when it has none (the table then shows the defaults). */
export function parseColumnsParam(value: string | null): KeyColumn[] | null {
  if (value === null || value === "") return null;
  if (value === NO_COLUMNS) return [];
  return decodeUrlList(value)
    .map(parseColumnId)
    .filter((c): c is KeyColumn => c !== null);
}

export function columnsParam(columns: KeyColumn[]): string {
  return columns.length ? encodeUrlList(columns.map(columnId)) : NO_COLUMNS;
}

/** The first keys of each kind (the keys come sorted); system tags are never a default column. */
export function defaultColumns(keys: { metrics: string[]; params: string[] }): KeyColumn[] {
  return [
    ...keys.metrics.slice(0, DEFAULT_KEY_COLUMNS).map((key) => ({ kind: "metric" as const, key })),
    ...keys.params.slice(0, DEFAULT_KEY_COLUMNS).map((key) => ({ kind: "param" as const, key })),
  ];
}

/** The keys to ask the server for, per kind. */
export function columnSelection(columns: KeyColumn[]): { metrics: string[]; params: string[]; tags: string[] } {
  const pick = (kind: KeyKind) => columns.filter((c) => c.kind === kind).map((c) => c.key);
  return { metrics: pick("metric"), params: pick("param"), tags: pick("tag") };
}

/** MLflow's column name; keys are backtick-quoted so spaces and dots survive the parser. */
export function orderColumnOf(column: SortColumn): string {
  if (column.kind === "attribute") return `attributes.${column.key}`;
  return `${PREFIX[column.kind]}.\`${column.key}\``;
}

export interface ParsedOrder {
  column: string;
  ascending: boolean;
}

/** The URL's `order` value ("metrics.`acc` DESC"); without one, newest runs first as MLflow does. */
export function parseOrderParam(order: string | null): ParsedOrder {
  const trimmed = order?.trim();
  if (!trimmed) return { column: "attributes.start_time", ascending: false };
  const match = /^(.*?)\s+(ASC|DESC)$/i.exec(trimmed);
  return match ? { column: match[1], ascending: match[2].toUpperCase() === "ASC" } : { column: trimmed, ascending: true };
}

/** Clicking the sorted column flips it; a new column starts with the direction people usually want first. */
export function nextOrder(current: ParsedOrder, column: SortColumn): string {
  const name = orderColumnOf(column);
  if (current.column === name) return `${name} ${current.ascending ? "DESC" : "ASC"}`;
  const descendingFirst = column.kind === "metric" || (column.kind === "attribute" && column.key === "start_time");
  return `${name} ${descendingFirst ? "DESC" : "ASC"}`;
}
