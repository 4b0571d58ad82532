// What a saved view holds, shared by the server (which validates it) and the pages (which apply it): the query
// parameters of the view's page, and for the runs table its layout (pinned columns and widths).
import { z } from "zod";

export const MIN_COLUMN_WIDTH = 60;
export const MAX_COLUMN_WIDTH = 800;

export const zTableLayout = z.object({
  widths: z.record(z.string().max(600), z.number().int().min(MIN_COLUMN_WIDTH).max(MAX_COLUMN_WIDTH)).default({}),
  pinned: z.array(z.string().max(600)).max(50).default([]),
});
export type TableLayout = z.infer<typeof zTableLayout>;

export const SAVED_VIEW_KINDS = ["runs", "compare"] as const;
export type SavedViewKind = (typeof SAVED_VIEW_KINDS)[number];

/** The query parameters each kind of view keeps; anything else in a page's link (the ticked runs) is not the view's. */
export const VIEW_QUERY_KEYS: Record<SavedViewKind, readonly string[]> = {
  runs: ["filter", "order", "cols", "open", "group"],
  compare: ["runs", "sel", "metrics", "x", "smooth", "log", "hidden", "from", "to", "sx", "sy", "axes", "pm", "group", "base", "sm"],
};

const zQueryValue = z.string().max(20_000, "A view's setting can be at most 20,000 characters");

export const zRunsViewState = z.object({
  query: z.partialRecord(z.enum(VIEW_QUERY_KEYS.runs as [string, ...string[]]), zQueryValue),
  layout: zTableLayout.optional(),
});
export const zCompareViewState = z.object({
  query: z.partialRecord(z.enum(VIEW_QUERY_KEYS.compare as [string, ...string[]]), zQueryValue),
});
export type SavedViewState = z.infer<typeof zRunsViewState>;

/** The part of a page's query string that a view of this kind keeps. */
export function viewQueryOf(kind: SavedViewKind, params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of VIEW_QUERY_KEYS[kind]) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  return query;
}

/** True when the link already carries view state of its own (then no default view is applied over it). */
export function hasViewQuery(kind: SavedViewKind, params: URLSearchParams): boolean {
  return VIEW_QUERY_KEYS[kind].some((key) => params.has(key));
}
