// Metric history reads: the full series of one metric (paged), and step intervals across runs.
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import type { z } from "zod";
import { notFound } from "../errors";
import type { ServiceContext } from "../service-context";
import { decodePageToken, encodePageToken } from "./page-token";
import type { Metric, zGetMetricHistoryBulkInterval } from "./schema";

interface HistoryRow {
  step: string | number;
  timestamp: string | number;
  value: number;
  [column: string]: unknown;
}

async function assertRunExists(ctx: ServiceContext, runId: string): Promise<void> {
  const found = await queryRows(ctx.db, sql`select 1 from runs where run_uuid = ${runId}`);
  if (!found.length) throw notFound(`Run '${runId}' not found.`);
}

/** Every point of one metric in (step, timestamp) order, paged when max_results is given. */
export async function getMetricHistory(
  ctx: ServiceContext,
  input: { run_id: string; metric_key: string; max_results?: number; page_token?: string },
): Promise<{ metrics: Metric[]; next_page_token?: string }> {
  await assertRunExists(ctx, input.run_id);
  const offset = decodePageToken(input.page_token);
  const limit = input.max_results;
  const result = await queryRows<HistoryRow>(ctx.db, sql`
    select step, timestamp, value from metrics
    where run_uuid = ${input.run_id} and key = ${input.metric_key}
    order by step, timestamp, value
    ${limit !== undefined ? sql`limit ${limit + 1}` : sql``} offset ${offset}`);
  const rows = limit !== undefined ? result.slice(0, limit) : result;
  const key = input.metric_key;
  const metrics = new Array<Metric>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    metrics[i] = { key, value: r.value, timestamp: Number(r.timestamp), step: Number(r.step) };
  }
  return {
    metrics,
    ...(limit !== undefined && result.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
  };
}

/**
 * Points of one metric for several runs between start_step and end_step, thinned to at most
 * max_results per run by taking evenly spaced steps and always the first and last, as MLflow does.
 */
export async function getMetricHistoryBulkInterval(
  ctx: ServiceContext,
  input: z.output<typeof zGetMetricHistoryBulkInterval>,
): Promise<{ metrics: (Metric & { run_id: string })[] }> {
  const maxResults = input.max_results ?? 320;
  const found = await queryRows<{ run_uuid: string }>(
    ctx.db,
    sql`select run_uuid from runs where run_uuid = any(${sql.param(input.run_ids)}::text[])`,
  );
  const known = new Set(found.map((r) => r.run_uuid));
  const missing = input.run_ids.find((id) => !known.has(id));
  if (missing) throw notFound(`Run '${missing}' not found.`);
  const result = await queryRows<HistoryRow & { run_uuid: string }>(ctx.db, sql`
    with steps as (
      select run_uuid, step, row_number() over (partition by run_uuid order by step) - 1 as i,
             count(*) over (partition by run_uuid) as n
      from (select distinct run_uuid, step from metrics
            where run_uuid = any(${sql.param(input.run_ids)}::text[]) and key = ${input.metric_key}
              ${input.start_step !== undefined ? sql`and step >= ${input.start_step}` : sql``}
              ${input.end_step !== undefined ? sql`and step <= ${input.end_step}` : sql``}) d
    ),
    chosen as (
      select run_uuid, step from steps
      where n <= ${maxResults} or i = 0 or i = n - 1
         or floor(i * (${maxResults} - 1)::float8 / (n - 1)) <> floor((i - 1) * (${maxResults} - 1)::float8 / (n - 1))
    )
    select m.run_uuid, m.step, m.timestamp, m.value
    from metrics m join chosen c on c.run_uuid = m.run_uuid and c.step = m.step
    where m.key = ${input.metric_key}
    order by m.run_uuid, m.step, m.timestamp`);
  return {
    metrics: result.map((r) => ({
      key: input.metric_key,
      value: r.value,
      timestamp: Number(r.timestamp),
      step: Number(r.step),
      run_id: r.run_uuid,
    })),
  };
}
