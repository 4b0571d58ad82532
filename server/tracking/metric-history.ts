// Metric history reads: the full series of one metric (paged), and step intervals across runs.
import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { onNodePostgresPool, queryRowsPrepared } from "@/db/prepared-reads";
import type { z } from "zod";
import { invalidParameter, notFound } from "../errors";
import type { ServiceContext } from "../service-context";
import { PreEncodedJson } from "../http/mlflow-wire";
import { decodePageToken, encodePageToken } from "./page-token";
import { hasSnapshotCacheEntry, peekSnapshotCacheEntry, readThroughSnapshotCache, SNAPSHOT_SQL } from "./snapshot-cache";
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

/** Where a history page ends: the last point's (step, timestamp, value), value as float8 text (NaN and ±Infinity included). */
interface HistoryCursor {
  step: number;
  timestamp: number;
  value: string;
}

const FLOAT8_TEXT = /^(-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?|NaN|-?Infinity)$/i;

function encodeHistoryToken(after: HistoryCursor): string {
  return Buffer.from(JSON.stringify({ after: [after.step, after.timestamp, after.value] }), "utf8").toString("base64url");
}

/** A history page token: a cursor after the previous page's last point, or an offset (tokens of earlier versions). */
function decodeHistoryToken(token: string | undefined): { after?: HistoryCursor; offset: number } {
  if (!token) return { offset: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    const after = parsed?.after;
    if (Array.isArray(after) && after.length === 3) {
      const [step, timestamp, value] = after as unknown[];
      if (Number.isSafeInteger(step) && Number.isSafeInteger(timestamp) && typeof value === "string" && FLOAT8_TEXT.test(value)) {
        return { after: { step: step as number, timestamp: timestamp as number, value }, offset: 0 };
      }
    }
  } catch {
    // not a cursor: an offset token, or garbage that decodePageToken refuses with MLflow's message
  }
  return { offset: decodePageToken(token) };
}

/**
 * A history page as answered, with what proves it still holds: the run row's version (xmin) and how many points
 * the page's range held, the point read past its end included.
 */
interface HistoryPage {
  /** The answer's UTF-8 bytes, encoded once when the page is built: every answer of it writes them as they are. */
  bytes: Buffer;
  json: PreEncodedJson;
  /** The page's next_page_token, when another page follows. */
  next?: string;
  /** Absent for pages of offset tokens (earlier versions), which are always read again. */
  proof?: { runVersion: string; points: number; through?: HistoryCursor };
}

/** The page's range of the primary key's index, after the cursor (and, with `through`, up to that point inclusive). */
function historyRange(input: { run_id: string; metric_key: string }, after: HistoryCursor | undefined, through?: HistoryCursor): SQL {
  return sql`run_uuid = ${input.run_id} and key = ${input.metric_key}
    ${after ? sql`and (step, timestamp, value) > (${after.step}::int8, ${after.timestamp}::int8, ${after.value}::float8)` : sql``}
    ${through ? sql`and (step, timestamp, value) <= (${through.step}::int8, ${through.timestamp}::int8, ${through.value}::float8)` : sql``}`;
}

/**
 * The page is a range of the primary key's index, in its order: reading it there is right whatever the statistics
 * say. Right after a long series is logged they are missing or stale (PGlite never analyzes), and the first page (no
 * cursor) was planned as a bitmap scan of the whole series plus a sort spilling to disk: 173 ms for 100,000 points
 * on PostgreSQL 15 where the index-only scan takes 24.
 */
const INDEX_RANGE_ONLY = ["enable_sort", "enable_bitmapscan", "enable_seqscan"] as const;

/**
 * The same page as getMetricHistory, already encoded as MLflow's JSON response. The database writes
 * the JSON text itself: for a 100,000-point series, turning rows into objects and encoding them again
 * cost twice the query. float8 text output is shortest-exact (PostgreSQL ≥ 12, PGlite), so values
 * round-trip; NaN and ±Infinity come out as MLflow's strings. Pages continue from a cursor (the last
 * point's step, timestamp, value) rather than an offset: the mlflow client reads a long history in
 * pages of 25,000, and with offsets page k re-read the k−1 pages before it from the index. A page asked for
 * again while nothing was written since is answered from memory (snapshot-cache.ts).
 *
 * After a write anywhere, a page answered before is checked rather than rebuilt: writing its 25,000 points as text
 * was ~20 ms of the database's CPU, counting them in the index ~4. Points are only ever added (log-batch inserts;
 * nothing updates or deletes a point except its run's deletion, which takes every point of the run along, and the
 * chart rollups rely on this too), so a range holding as many points as when the page was read holds the same
 * points. The run row's xmin changes when the run is deleted and made again, or updated at all, and then the page is
 * read again. A page that had a next one proves its range up to the point read past its end; the last page proves
 * that nothing follows it.
 */
export async function getMetricHistoryWire(
  ctx: ServiceContext,
  input: HistoryPageInput,
): Promise<PreEncodedJson> {
  const series = seriesKey(ctx, input);
  const key = pageKey(series, input.page_token);
  const inFlight = readAheadsOf(ctx.db).get(series);
  // This very page is being read ahead: wait for it rather than build it twice (learning which page it is costs at
  // most the index read that finds its token); it is then answered from the cache, validated against the current
  // snapshot like any cached page (a write since makes it proved or read again).
  if (inFlight && (await inFlight.key) === key) await inFlight.settled;
  const page = await readHistoryPage(ctx.db, series, input, key);
  if (page.next !== undefined) readAhead(ctx.db, series, { ...input, page_token: page.next });
  return page.json;
}

type HistoryPageInput = { run_id: string; metric_key: string; max_results?: number; page_token?: string };

/** Who reads which series in pages of how many: the cache key of each page is this plus its page token. */
function seriesKey(ctx: ServiceContext, input: HistoryPageInput): string {
  return JSON.stringify(["metrics/get-history", ctx.actor.userId, input.run_id, input.metric_key, input.max_results ?? null]);
}

function pageKey(series: string, pageToken: string | undefined): string {
  return `${series.slice(0, -1)},${JSON.stringify(pageToken ?? null)}]`;
}

/*
 * Read-ahead. The mlflow client reads a long history in pages of 25,000 points and always follows next_page_token,
 * one request after the other: while page k travels to it and is parsed there (~30 ms for a page of 25,000 on the
 * bench machine), the database would sit idle, then build page k+1 once asked (~50–70 ms of its CPU when a write
 * moved every page, so that none answered before can be kept). So the page after one being built is built beside
 * it, in the background on another pool connection, and kept in the snapshot cache under the exact key the client
 * will ask: its request waits for that build instead of starting its own, then validates the kept page against the
 * current snapshot as any cached page is (kept, proved, or read again), so a write that lands between two pages is
 * seen exactly as without read-ahead.
 *
 * Two moments start one. When a page must be built, the next page's token is found at once by a cheap index-only
 * read of the point where the page will end (the page's own text takes ~10× longer to write), and the next page is
 * built on a second connection while this one is, on the core the first build leaves idle. When a page is answered
 * with a token, the page it names is built while the answer travels (unless it is being built or kept already).
 *
 * Bounds: one read-ahead per series (reader, run, metric, page size) in flight, so at most one page ahead of the
 * last one answered; none when the next page is in the cache already (the client's own request then costs one gated
 * statement or a count, not a build, and repeated reads cost what they did); none on PGlite, whose statements run on
 * the server's own thread, one at a time, where a build beside the answer would only delay sending it. A read-ahead
 * never holds up the answer that started it, and one that fails (the run deleted meanwhile, the pool closing) is
 * dropped: the client's request then reads as if there had been none.
 */
interface ReadAhead {
  /** The cache key of the page being read ahead, once its token is known (undefined: nothing to read). */
  key: Promise<string | undefined>;
  /** Resolves when the read-ahead has finished, whatever its outcome; never rejects. */
  settled: Promise<void>;
  /** Whether the page after this one is read ahead too once this one is built (see chainedReadAhead). */
  chain: boolean;
}

const readAheads = new WeakMap<object, Map<string, ReadAhead>>();

function readAheadsOf(db: ServiceContext["db"]): Map<string, ReadAhead> {
  let inFlight = readAheads.get(db);
  if (!inFlight) {
    inFlight = new Map();
    readAheads.set(db, inFlight);
  }
  return inFlight;
}

/**
 * Reads the page `findPage` names (its input, or undefined for none) as the series' read-ahead, unless one is in
 * flight or the database cannot run it beside the reads.
 */
function startReadAhead(db: ServiceContext["db"], series: string, findPage: () => Promise<HistoryPageInput | undefined>, chain: boolean): void {
  const inFlight = readAheadsOf(db);
  if (inFlight.has(series) || !onNodePostgresPool(db)) return;
  const page = findPage().then(
    (input) => (input ? { input, key: pageKey(series, input.page_token) } : undefined),
    () => undefined,
  );
  const entry: ReadAhead = {
    key: page.then((found) => found?.key),
    chain,
    settled: page
      .then((found) => {
        if (found && !hasSnapshotCacheEntry(db, found.key)) return readHistoryPage(db, series, found.input, found.key).then((built) => ({ found, built }));
      })
      .then(
        (done) => done,
        () => undefined,
      )
      .then((done) => {
        if (inFlight.get(series) === entry) inFlight.delete(series);
        if (done && entry.chain && done.built.next !== undefined) chainedReadAhead(db, series, { ...done.found.input, page_token: done.built.next });
      }),
  };
  inFlight.set(series, entry);
}

/** The page after one just read ahead, read ahead in turn; it does not chain further (see readAhead). */
function chainedReadAhead(db: ServiceContext["db"], series: string, input: HistoryPageInput): void {
  if (hasSnapshotCacheEntry(db, pageKey(series, input.page_token))) return;
  startReadAhead(db, series, async () => input, false);
}

/*
 * Two pages ahead. With the page after the one answered only, the read that must rebuild every page left a core idle:
 * the first two pages are built side by side, then page 3 waited for the client to ask for page 2, and page 4 for
 * page 3, each build then running while the client waited. So a read-ahead started beside a build or after an answer
 * chains: once built, the page after it is read ahead too, and an answer whose next page is kept or being built
 * already reads ahead the one after that. The series' read-ahead stays one at a time, so the database builds at most
 * two pages of a series at once (the asked one and one ahead), and none further than two pages past the last answer.
 */

/** Builds the page `input` names in the background, after the current answer is handed back (see above). */
function readAhead(db: ServiceContext["db"], series: string, input: HistoryPageInput): void {
  const key = pageKey(series, input.page_token);
  const kept = peekSnapshotCacheEntry<HistoryPage>(db, key);
  if (kept) {
    // The next page is kept (read ahead, or answered before): the one after it, as its token names it. After a write
    // that token may be stale; the page is then one nobody asks for, and dropped from the cache in time.
    if (kept.next !== undefined) chainedReadAhead(db, series, { ...input, page_token: kept.next });
    return;
  }
  const inFlight = readAheadsOf(db).get(series);
  if (inFlight) {
    // Being read ahead already: it chains to the one after it once built, if it is the next page.
    void inFlight.key.then((reading) => {
      if (reading === key) inFlight.chain = true;
    });
    return;
  }
  startReadAhead(db, series, () => new Promise((resolve) => setImmediate(() => resolve(input))), true);
}

/**
 * Builds the page after the one being built from `after` (limit points per page), beside it: the token that page
 * will be answered with is the cursor of its last point, read here from the index (the point past it proves that
 * another page follows). A write between this read and the page's own build gives the page another token, and this
 * read-ahead is then of a page nobody asks for, and dropped from the cache in time.
 */
function readNextAhead(db: ServiceContext["db"], series: string, input: HistoryPageInput, after: HistoryCursor | undefined, limit: number): void {
  startReadAhead(db, series, async () => {
    const rows = await queryRowsPrepared<{ step: string | number; timestamp: string | number; value_text: string }>(
      db,
      sql`select step, timestamp, value::text as value_text from metrics
          where ${historyRange(input, after)}
          order by step, timestamp, value offset ${limit - 1} limit 2`,
      [...INDEX_RANGE_ONLY],
    );
    if (rows.length < 2) return undefined;
    const [last] = rows;
    const cursor: HistoryCursor = {
      step: Number(last.step),
      timestamp: Number(last.timestamp),
      // As cursorOf reads it back from the page's JSON: the shortest text of the same double, or NaN and ±Infinity.
      value: /^-?Infinity$|^NaN$/.test(last.value_text) ? last.value_text : String(Number(last.value_text)),
    };
    if (!Number.isSafeInteger(cursor.step) || !Number.isSafeInteger(cursor.timestamp)) return undefined;
    return { ...input, page_token: encodeHistoryToken(cursor) };
  }, true);
}

/** Resolves once no history read-ahead of this database is in flight (tests: a read-ahead is a read too). */
export async function historyReadAheadsSettled(db: ServiceContext["db"]): Promise<void> {
  for (let pending = [...readAheadsOf(db).values()]; pending.length; pending = [...readAheadsOf(db).values()]) {
    await Promise.all(pending.map((entry) => entry.settled));
  }
}

/** One page, through the snapshot cache (see getMetricHistoryWire). */
async function readHistoryPage(db: ServiceContext["db"], series: string, input: HistoryPageInput, key: string): Promise<HistoryPage> {
  const { after, offset } = decodeHistoryToken(input.page_token);
  const limit = input.max_results;
  const pointPrefix = `{"key":${JSON.stringify(input.metric_key)},"value":`;
  const runVersion = sql`(select xmin::text from runs where run_uuid = ${input.run_id})`;
  return readThroughSnapshotCache<HistoryPage>(db, key, async (fresh, previous) => {
    const proof = previous?.proof;
    if (proof) {
      // `fresh` gates the count as it gates the read below: an unchanged snapshot counts nothing.
      const [check] = await queryRowsPrepared<{ run_version: string | null; n: string | number; fresh: boolean; snapshot: string }>(
        db,
        sql`select ${runVersion} as run_version, ${fresh} as fresh, ${SNAPSHOT_SQL} as snapshot,
                   (select count(*) from metrics where ${historyRange(input, after, proof.through)} and ${fresh}) as n`,
        [...INDEX_RANGE_ONLY],
      );
      if (!check.fresh) return { value: undefined, snapshot: check.snapshot };
      if (check.run_version === proof.runVersion && Number(check.n) === proof.points) return { value: previous, snapshot: check.snapshot };
    }
    // The page is read one point past its end to learn whether another follows; that point is cut off the
    // text below. No window function numbers the rows for it: on a 25,000-point page, materializing and
    // numbering them cost about a third of the query. Whether the run exists is asked in the same statement.
    // `fresh` gates the points: an unchanged snapshot reads none.
    // Per point the database writes only what varies: the key's prefix and the braces are string_agg's separator
    // (`},` + prefix, a parameter), put around the whole text below; a finite value is told by one comparison of its
    // absolute value (NaN sorts above Infinity in PostgreSQL). Backend CPU per 25,000-point page, same run: 29.6 →
    // 26.1 ms (the prefix and closing brace concatenated per point, and three comparisons for NaN and ±Infinity).
    const separator = `},${pointPrefix}`;
    const reading = queryRowsPrepared<{ run_version: string | null; points: string | null; n: string | number; fresh: boolean; snapshot: string }>(
      db,
      sql`
        select ${runVersion} as run_version, page.points, page.n, ${fresh} as fresh, ${SNAPSHOT_SQL} as snapshot
        from (
          select string_agg(
                   case when abs(value) < 'Infinity'::float8 then value::text else '"' || value::text || '"' end ||
                   ',"timestamp":' || timestamp::text || ',"step":' || step::text, ${separator}::text) as points,
                 count(*) as n
          from (
            select step, timestamp, value from metrics
            where ${historyRange(input, after)} and ${fresh}
            order by step, timestamp, value
            ${limit !== undefined ? sql`limit ${limit + 1}` : sql``} offset ${offset}
          ) points
        ) page`,
      [...INDEX_RANGE_ONLY],
    );
    // The next page is built beside this one (see readNextAhead); not for offset tokens, which earlier versions gave.
    if (limit !== undefined && offset === 0) readNextAhead(db, series, input, after, limit);
    const [row] = await reading;
    if (!row.fresh) return { value: undefined, snapshot: row.snapshot };
    if (row.run_version === null) throw notFound(`Run '${input.run_id}' not found.`);
    // The points' text without the first prefix and the last closing brace: value,"timestamp":…,"step":…},{"key":…
    let points = row.points ?? "";
    let token = "";
    let next: string | undefined;
    let through: HistoryCursor | undefined;
    // The separator holds raw quotes that a JSON-encoded key never holds unescaped, so it marks point boundaries
    // only: the text after the last one is the last point's.
    const lastPoint = (text: string) => {
      const at = text.lastIndexOf(separator);
      return `${pointPrefix}${at < 0 ? text : text.slice(at + separator.length)}}`;
    };
    if (limit !== undefined && Number(row.n) > limit) {
      // Cut the point read past the page's end, then read the page's last.
      through = cursorOf(lastPoint(points));
      // A step or timestamp beyond 2^53 has no exact cursor here: such a page is read again after a write.
      if (!Number.isSafeInteger(through.step) || !Number.isSafeInteger(through.timestamp)) through = undefined;
      points = points.slice(0, points.lastIndexOf(separator));
      next = encodeHistoryToken(cursorOf(lastPoint(points)));
      token = `,"next_page_token":${JSON.stringify(next)}`;
    }
    const bytes = Buffer.from(points ? `{"metrics":[${pointPrefix}${points}}]${token}}` : `{"metrics":[]${token}}`, "utf8");
    return {
      value: {
        bytes,
        json: new PreEncodedJson(bytes),
        ...(next !== undefined ? { next } : {}),
        ...(offset === 0 && (through || Number(row.n) <= (limit ?? Infinity)) ? { proof: { runVersion: row.run_version, points: Number(row.n), ...(through ? { through } : {}) } } : {}),
      },
      snapshot: row.snapshot,
    };
  });
}

/** The cursor of one point's JSON text; String(value) is the shortest text that reads back as the same double, as float8 output is. */
function cursorOf(pointJson: string): HistoryCursor {
  const point = JSON.parse(pointJson) as { value: number | string; timestamp: number; step: number };
  return { step: point.step, timestamp: point.timestamp, value: String(point.value) };
}

/** MLflow's default and ceiling for points per run in get-history-bulk-interval. */
export const BULK_INTERVAL_MAX_RESULTS = 2500;

/**
 * Points of one metric for several runs between start_step and end_step, as MLflow samples them:
 * the steps logged by any of the runs are thinned to at most max_results evenly spaced ones (the
 * last always kept), so that every run is sampled at the same steps and the curves line up; each
 * run's first and last step in the range are added back so no curve loses its ends.
 */
export async function getMetricHistoryBulkInterval(
  ctx: ServiceContext,
  input: z.output<typeof zGetMetricHistoryBulkInterval>,
): Promise<PreEncodedJson> {
  const maxResults = input.max_results ?? BULK_INTERVAL_MAX_RESULTS;
  const { start_step: startStep, end_step: endStep } = input;
  if ((startStep === undefined) !== (endStep === undefined)) {
    throw invalidParameter("If either start_step or end_step is given, both must be given.");
  }
  if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
    throw invalidParameter(`end_step must be greater than or equal to start_step; got start_step=${startStep} and end_step=${endStep}.`);
  }
  const runIds = [...new Set(input.run_ids)];
  const found = await queryRows<{ run_uuid: string }>(
    ctx.db,
    sql`select run_uuid from runs where run_uuid = any(${sql.param(runIds)}::text[])`,
  );
  const known = new Set(found.map((r) => r.run_uuid));
  const missing = runIds.find((id) => !known.has(id));
  if (missing) throw notFound(`Run '${missing}' not found.`);
  const inRange =
    startStep !== undefined && endStep !== undefined ? sql`and step between ${startStep} and ${endStep}` : sql``;
  const max = sql`${maxResults}::int8`;
  // Up to 100 runs × 2,500 points: the database writes the response text (as getMetricHistoryWire does)
  // in the response's order, instead of rows that are turned into objects and encoded again.
  const keyPrefix = `{"key":${JSON.stringify(input.metric_key)},"value":`;
  const [page] = await queryRows<{ points: string | null }>(ctx.db, sql`
    with points as (
      select run_uuid, step, timestamp, value from metrics
      where run_uuid = any(${sql.param(runIds)}::text[]) and key = ${input.metric_key} ${inRange}
    ),
    numbered as (
      select step, row_number() over (order by step) - 1 as i, count(*) over () as n
      from (select distinct step from points) d
    ),
    chosen as (
      -- step i is sampled when some g in [0, max) has floor(g * n / max) = i; g = ceil(i * max / n) is the candidate.
      select step from numbered
      where n <= ${max} or i = n - 1
         or (((i * ${max} + n - 1) / n) < ${max} and ((i * ${max} + n - 1) / n) * n / ${max} = i)
      union select min(step) from points group by run_uuid
      union select max(step) from points group by run_uuid
    )
    select string_agg(concat(
             ${keyPrefix}::text,
             case when p.value = 'NaN'::float8 or p.value in ('Infinity'::float8, '-Infinity'::float8) then '"' || p.value::text || '"' else p.value::text end,
             ',"timestamp":', p.timestamp, ',"step":', p.step, ',"run_id":', to_json(p.run_uuid)::text, '}'), ','
             order by array_position(${sql.param(runIds)}::text[], p.run_uuid), p.step, p.timestamp, p.value) as points
    from points p
    where p.step in (select step from chosen)`);
  return new PreEncodedJson(`{"metrics":[${page.points ?? ""}]}`);
}
