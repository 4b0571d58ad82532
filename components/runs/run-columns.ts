// Which columns the runs table shows and how a column maps to an MLflow order_by clause.
import type { Run } from "@/server/tracking/schema";

export const MAX_KEY_COLUMNS = 8;

export type SortColumn =
  | { kind: "attribute"; key: "start_time" | "run_name" }
  | { kind: "metric" | "param"; key: string };

/** The first keys of each kind in the order the page's runs show them, so columns do not jump between pages. */
export function pickKeyColumns(runs: Run[]): { metricKeys: string[]; paramKeys: string[] } {
  const metricKeys = new Set<string>();
  const paramKeys = new Set<string>();
  for (const run of runs) {
    for (const metric of run.data.metrics) if (metricKeys.size < MAX_KEY_COLUMNS) metricKeys.add(metric.key);
    for (const param of run.data.params) if (paramKeys.size < MAX_KEY_COLUMNS) paramKeys.add(param.key);
    if (metricKeys.size >= MAX_KEY_COLUMNS && paramKeys.size >= MAX_KEY_COLUMNS) break;
  }
  return { metricKeys: [...metricKeys], paramKeys: [...paramKeys] };
}

/** MLflow's column name; metric and param keys are backtick-quoted so spaces and dots survive the parser. */
export function orderColumnOf(column: SortColumn): string {
  if (column.kind === "attribute") return `attributes.${column.key}`;
  const prefix = column.kind === "metric" ? "metrics" : "params";
  return `${prefix}.\`${column.key}\``;
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
