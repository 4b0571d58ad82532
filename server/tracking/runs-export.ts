// The runs table as CSV: the same filter, order and columns as the page, every matching run (up to a cap).
import { z } from "zod";
import { toCsv, type CsvValue } from "@/lib/csv";
import { decodeUrlList } from "@/lib/url-list";
import { invalidParameter } from "../errors";
import type { ServiceContext } from "../service-context";
import { zSearchRuns, type Run } from "./schema";
import { searchRuns } from "./search-runs";
import type { RunColumnSelection } from "./runs";

/** More rows than a spreadsheet opens comfortably; the file says when it stopped there. */
export const EXPORT_MAX_RUNS = 100_000;
const EXPORT_PAGE = 5_000;

export const zRunsExportQuery = z.object({
  experiment_ids: z.string().min(1, "Name the experiments to export (experiment_ids=1,2)"),
  filter: z.string().max(100_000).optional(),
  order: z.string().max(1000).optional(),
  /** The table's columns as the page's URL writes them: metrics.acc,params.lr,tags.team. */
  cols: z.string().max(100_000).optional(),
});

export interface ParsedColumns {
  selection: Required<RunColumnSelection>;
  /** Column ids in the order chosen, e.g. "metrics.acc". */
  ids: string[];
}

/** "metrics.acc" → { kind: "metrics", key: "acc" }; unknown prefixes are refused with a message. */
export function parseColumnIds(ids: string[]): ParsedColumns {
  const selection: Required<RunColumnSelection> = { metrics: [], params: [], tags: [] };
  for (const id of ids) {
    const dot = id.indexOf(".");
    const kind = id.slice(0, dot);
    if (dot < 1 || !(kind === "metrics" || kind === "params" || kind === "tags") || dot === id.length - 1) {
      throw invalidParameter(`Column '${id}' is not metrics.<key>, params.<key> or tags.<key>.`);
    }
    selection[kind].push(id.slice(dot + 1));
  }
  return { selection, ids };
}

export async function exportRunsCsv(ctx: ServiceContext, query: Record<string, string>): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const input = zRunsExportQuery.parse(query);
  const columns = parseColumnIds(decodeUrlList(input.cols));
  const runs: Run[] = [];
  let pageToken: string | undefined;
  let truncated = false;
  do {
    const search = zSearchRuns.parse({
      experiment_ids: input.experiment_ids.split(","),
      filter: input.filter || undefined,
      order_by: input.order ? [input.order] : undefined,
      max_results: Math.min(EXPORT_PAGE, EXPORT_MAX_RUNS - runs.length),
      page_token: pageToken,
    });
    const page = await searchRuns(ctx, search, columns.selection);
    runs.push(...page.runs);
    pageToken = page.next_page_token;
    if (pageToken && runs.length >= EXPORT_MAX_RUNS) {
      truncated = true;
      break;
    }
  } while (pageToken);

  const header = ["run_id", "run_name", "status", "user", "start_time", "end_time", "duration_s", ...columns.ids];
  const rows = runs.map((run) => {
    const values = new Map<string, CsvValue>();
    for (const m of run.data.metrics) values.set(`metrics.${m.key}`, m.value);
    for (const p of run.data.params) values.set(`params.${p.key}`, p.value);
    for (const t of run.data.tags) values.set(`tags.${t.key}`, t.value);
    const { info } = run;
    return [
      info.run_id,
      info.run_name,
      info.status,
      info.user_id,
      new Date(info.start_time).toISOString(),
      info.end_time ? new Date(info.end_time).toISOString() : "",
      info.end_time ? (info.end_time - info.start_time) / 1000 : "",
      ...columns.ids.map((id) => values.get(id)),
    ];
  });
  return { csv: toCsv(header, rows), rows: runs.length, truncated };
}
