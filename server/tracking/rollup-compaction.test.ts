// Chart rollups of logged points: a batch of new points merges its own in its statement; points a re-sending batch
// queued reach metric_rollups exactly once through compaction, whatever crashes, races or retries happen; and a
// chart read never sees rollups behind the points logged before it.
import { unpackChartSeries } from "@/lib/chart-series-wire";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { rebuildMetricRollups, rollupWidthFor } from "./metric-rollups";
import { logBatch } from "./runs";
import type { MetricInput } from "./schema";
import { backgroundCompactionSettled, catchUpRollups, compactRollupBacklog, pauseRollupCompaction } from "./rollup-compaction";

type Api = ReturnType<typeof mlflowWire>;
type Point = { key: string; value: number | string; timestamp: number; step: number };

/** Every rollup row of the runs, as text so that arrays and float8 compare exactly. */
async function rollupsOf(db: Database, runIds: string[]): Promise<string[]> {
  const rows = await queryRows<{ row: string }>(db, sql`
    select concat_ws('|', run_uuid, key, width, bucket, n, lo::text, hi::text, first::text, last::text) as row
    from metric_rollups where run_uuid = any(${sql.param(runIds)}::text[])
    order by run_uuid, key, width, bucket`);
  return rows.map((r) => r.row);
}

async function backlogCount(db: Database): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from metric_rollup_backlog`);
  return Number(row.n);
}

/** Asserts the rollups the backlog produced are exactly what a rebuild from the stored history gives. */
async function expectRollupsEqualRebuild(db: Database, runIds: string[]): Promise<void> {
  const folded = await rollupsOf(db, runIds);
  expect(folded.length).toBeGreaterThan(0);
  await rebuildMetricRollups(db, runIds);
  expect(folded).toEqual(await rollupsOf(db, runIds));
}

/** A noisy series with a spike and a NaN that must not count, split in batches of 500. */
function wave(key: string, from: number, to: number): Point[] {
  return Array.from({ length: to - from }, (_, i) => {
    const step = from + i;
    const value = step === 1234 ? 99 : step === 17 ? "NaN" : Math.cos(step / 37) + (step % 7) / 10;
    return { key, value, timestamp: 1000 + step, step };
  });
}

function batches(points: Point[], size = 500): Point[][] {
  const out: Point[][] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size));
  return out;
}

/**
 * Batches that each re-send one stored point (the series' first, logged alone before them), as a retrying client
 * does: the database must find which points are new, so it queues them for compaction instead of merging their
 * rollups in the statement. Log the first batch before the others.
 */
function resending(points: Point[], size = 500): Point[][] {
  return [[points[0]], ...batches(points.slice(1), size).map((b) => [points[0], ...b])];
}

describe.each(testBackends)("rollup compaction on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let trpc: ReturnType<typeof appRouter.createCaller>;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
  });
  afterAll(async () => {
    await backgroundCompactionSettled(studio.db);
    await studio.close();
  });

  async function newRun(): Promise<string> {
    const created = await api.post("runs/create", { experiment_id: "0", start_time: 1 });
    return (created.body.run as { info: { run_id: string } }).info.run_id;
  }

  async function log(runId: string, metrics: Point[]): Promise<void> {
    const res = await api.post("runs/log-batch", { run_id: runId, metrics });
    expect(res.status, res.text).toBe(200);
  }

  it("queues only newly inserted points: re-sent and overlapping batches are folded once", async () => {
    const runId = await newRun();
    const points = [...wave("a", 0, 3000), ...wave("b", 500, 1500)];
    // Concurrent, overlapping, and the whole thing sent again as a retrying client would.
    await Promise.all(batches(points).map((b) => log(runId, b)));
    await Promise.all(batches(points.slice(800, 2300), 300).map((b) => log(runId, b)));
    await log(runId, points.slice(0, 1000));
    // One statement, one snapshot: a background fold commits wholly before or after it.
    const [counts] = await queryRows<{ queued: string | number; folded: string | number; stored: string | number }>(studio.db, sql`
      select (select count(*) from metric_rollup_backlog b cross join unnest(b.vals) v
               where b.run_uuid = ${runId} and v not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)) as queued,
             (select coalesce(sum(n), 0) from metric_rollups where run_uuid = ${runId} and width = 16) as folded,
             (select count(*) from metrics where run_uuid = ${runId}) as stored`);
    expect(Number(counts.stored)).toBe(4000);
    // Every finite stored point (all but the NaN) is either queued or already folded, never both, never twice.
    expect(Number(counts.queued) + Number(counts.folded)).toBe(3999);
    await catchUpRollups(studio.db, [runId]);
    expect(Number((await queryRows<{ n: string | number }>(studio.db, sql`select count(*) as n from metric_rollup_backlog where run_uuid = ${runId}`))[0].n)).toBe(0);
    await expectRollupsEqualRebuild(studio.db, [runId]);
  });

  it("stores and queues once a point repeated inside one batch, and the new points beside an old one", async () => {
    const runId = await newRun();
    const points = wave("loss", 0, 300);
    // The same point twice in one request, then a batch of one stored point and 200 new ones, with params
    // (inside a transaction) and without.
    await log(runId, [...points.slice(0, 100), points[50]]);
    await log(runId, [points[10], ...points.slice(100, 200)]);
    const withParams = await api.post("runs/log-batch", { run_id: runId, metrics: [points[20], ...points.slice(200, 300)], params: [{ key: "p", value: "1" }] });
    expect(withParams.status, withParams.text).toBe(200);
    // A caller's own transaction as ctx.db: a stored point must not fail (and so abort) it.
    await studio.db.transaction(async (tx) => {
      await logBatch({ ...studio, db: tx as unknown as Database }, { run_id: runId, metrics: [points[30] as MetricInput] });
      await tx.execute(sql`select 1`);
    });
    const history = await api.get("metrics/get-history", { run_id: runId, metric_key: "loss" });
    expect((history.body.metrics as Point[]).map((m) => m.step)).toEqual(points.map((p) => p.step));
    await catchUpRollups(studio.db, [runId]);
    const [width16] = await queryRows<{ n: string | number }>(studio.db, sql`select sum(n) as n from metric_rollups where run_uuid = ${runId} and width = 16`);
    expect(Number(width16.n)).toBe(299); // every point but the NaN at step 17, each once
    await expectRollupsEqualRebuild(studio.db, [runId]);
  });

  it("merges a batch of new points into the rollups in its own statement, queuing nothing, whatever the batches hold", async () => {
    const runId = await newRun();
    const resume = pauseRollupCompaction(studio.db);
    await backgroundCompactionSettled(studio.db);
    onTestFinished(resume);
    const points = [...wave("loss", 0, 2000), ...wave("acc", 0, 700)];
    // Steps out of order, the same step at other timestamps, NaN and ±Infinity, negative steps; then concurrent
    // batches sharing one run, key and buckets (steps interleaved), which must wait on each other's rollup rows.
    const shuffled = points.map((p, i) => ({ p, at: (i * 7919) % points.length })).sort((a, b) => a.at - b.at).map((x) => x.p);
    for (const b of batches(shuffled, 600)) await log(runId, b);
    await log(runId, [
      { key: "loss", value: "Infinity", timestamp: 5, step: 3 },
      { key: "loss", value: "-Infinity", timestamp: 6, step: 3 },
      { key: "loss", value: -7.5, timestamp: 7, step: 3 },
      { key: "loss", value: 2, timestamp: 1, step: -40 },
      { key: "acc", value: 0, timestamp: 9, step: 0 },
    ]);
    const interleaved = Array.from({ length: 8 }, (_, c) =>
      Array.from({ length: 250 }, (_, i) => ({ key: "shared", value: Math.sin(i * 8 + c), timestamp: 1, step: i * 8 + c })),
    );
    await Promise.all(interleaved.map((b) => log(runId, b)));
    const [row] = await queryRows<{ queued: string | number; n: string | number }>(studio.db, sql`
      select (select count(*) from metric_rollup_backlog where run_uuid = ${runId}) as queued,
             (select sum(n) from metric_rollups where run_uuid = ${runId} and width = 1024) as n`);
    expect(Number(row.queued)).toBe(0);
    // Every finite point once: the two waves less their NaN each, the -7.5, the step -40, the 0 and the 2,000 shared.
    expect(Number(row.n)).toBe(2700 - 2 + 3 + 2000);
    await expectRollupsEqualRebuild(studio.db, [runId]);
  });

  it("folds the backlog in the background without any read", async () => {
    const runId = await newRun();
    for (const b of resending(wave("loss", 0, 2000))) await log(runId, b);
    expect(await backlogCount(studio.db)).toBeGreaterThan(0);
    await backgroundCompactionSettled(studio.db);
    expect(await backlogCount(studio.db)).toBe(0);
    await expectRollupsEqualRebuild(studio.db, [runId]);
  });

  it("lets a chart read see the points logged just before it, batch after batch", async () => {
    const runId = await newRun();
    const request = { runIds: [runId], keys: ["loss"], maxPoints: 40 };
    // No background pass: only the read's own catch-up can bring the rollups up to date.
    const resume = pauseRollupCompaction(studio.db);
    await backgroundCompactionSettled(studio.db);
    onTestFinished(resume);
    const loss = wave("loss", 0, 4000);
    for (const [i, b] of batches(loss).entries()) {
      // Every other batch re-sends the first point: its new points are queued, and the read must fold them first.
      await log(runId, i % 2 ? [loss[0], ...b] : b);
      const series = unpackChartSeries(await trpc.tracking.chartSeries(request));
      // Read from the rollups (the span is long enough); the NaN at step 17 is never drawn.
      expect(rollupWidthFor((i + 1) * 500 - 1, request.maxPoints)).toBeGreaterThan(0);
      expect(series[0].total).toBe((i + 1) * 500 - 1);
      expect(series[0].x.at(-1)).toBe((i + 1) * 500 - 1);
    }
    const series = unpackChartSeries(await trpc.tracking.chartSeries(request));
    expect([...series[0].y]).toContain(99);
    await expectRollupsEqualRebuild(studio.db, [runId]);
  });

  it("keeps queued work when a fold fails mid-way, and folds it exactly once later", async () => {
    const runId = await newRun();
    for (const b of batches(wave("loss", 0, 2000))) await log(runId, b);
    await catchUpRollups(studio.db, [runId]);
    const resume = pauseRollupCompaction(studio.db);
    await backgroundCompactionSettled(studio.db);
    onTestFinished(resume);
    for (const b of resending(wave("loss", 2000, 3000))) await log(runId, b); // queued, not folded
    const before = await rollupsOf(studio.db, [runId]);
    const queued = await backlogCount(studio.db);
    expect(queued).toBeGreaterThan(0);
    // A compactor that dies after its fold statement but before committing: the database rolls both back.
    await expect(
      studio.db.transaction(async (tx) => {
        expect(await compactRollupBacklog(tx as unknown as Database)).toBeGreaterThan(0);
        throw new Error("compactor crashed");
      }),
    ).rejects.toThrow("compactor crashed");
    expect(await backlogCount(studio.db)).toBe(queued);
    expect(await rollupsOf(studio.db, [runId])).toEqual(before);
    await catchUpRollups(studio.db, [runId]);
    await expectRollupsEqualRebuild(studio.db, [runId]);
  });

  it("lets concurrent compactors and chart catch-ups fold every queued point exactly once", async () => {
    const runIds = [await newRun(), await newRun(), await newRun()];
    // Many small batches so that the compactors have many backlog rows to compete for.
    const series = runIds.map((_, r) => resending(wave(`m${r}`, 0, 3000), 100));
    for (const [r, runId] of runIds.entries()) await log(runId, series[r][0]);
    // Three clients per run log at once: racing writers, yet no more requests in flight than the pool's 10
    // connections (87 at once waited over the pool's 5 s connect timeout on a busy CI machine and answered 503).
    await Promise.all(runIds.flatMap((runId, r) => Array.from({ length: 3 }, async (_, client) => {
      const own = series[r].slice(1).filter((_, i) => i % 3 === client);
      for (const b of own) await log(runId, b);
    })));
    expect(await backlogCount(studio.db)).toBeGreaterThan(0);
    await Promise.all([
      ...Array.from({ length: 4 }, async () => {
        while ((await compactRollupBacklog(studio.db, 3)) > 0) {
          // fold until nothing is left for this compactor
        }
      }),
      catchUpRollups(studio.db, runIds),
      catchUpRollups(studio.db, [runIds[1]]),
      backgroundCompactionSettled(studio.db),
    ]);
    expect(await backlogCount(studio.db)).toBe(0);
    await expectRollupsEqualRebuild(studio.db, runIds);
  });

  it("rebuilding drops the run's queued points, so they are not counted twice", async () => {
    const runId = await newRun();
    await log(runId, wave("loss", 0, 1000));
    await rebuildMetricRollups(studio.db, [runId]);
    await catchUpRollups(studio.db, [runId]);
    await backgroundCompactionSettled(studio.db);
    await expectRollupsEqualRebuild(studio.db, [runId]);
  });

  it("refuses points for a deleted or missing run and queues nothing", async () => {
    const runId = await newRun();
    expect((await api.post("runs/delete", { run_id: runId })).status).toBe(200);
    const res = await api.post("runs/log-batch", { run_id: runId, metrics: wave("loss", 0, 10) });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const missing = await api.post("runs/log-batch", { run_id: "f".repeat(32), metrics: wave("loss", 0, 10) });
    expect(missing.status).toBe(404);
    const [row] = await queryRows<{ points: string | number; queued: string | number }>(studio.db, sql`
      select (select count(*) from metrics where run_uuid = ${runId}) as points,
             (select count(*) from metric_rollup_backlog where run_uuid = ${runId}) as queued`);
    expect([Number(row.points), Number(row.queued)]).toEqual([0, 0]);
  });
});

describe.skipIf(!testBackends.includes("postgres"))("rollup compaction across connections on postgres", () => {
  let studio: TestStudio;
  let api: Api;
  beforeAll(async () => {
    studio = await createTestStudio("postgres");
    api = mlflowWire(studio);
  });
  afterAll(async () => {
    await backgroundCompactionSettled(studio.db);
    await studio.close();
  });

  it("skips rows another compactor holds, and a chart catch-up waits for that compactor to commit", async () => {
    const newRunId = async () => ((await api.post("runs/create", { experiment_id: "0", start_time: 1 })).body.run as { info: { run_id: string } }).info.run_id;
    const held = await newRunId();
    const other = await newRunId();
    const resume = pauseRollupCompaction(studio.db);
    await backgroundCompactionSettled(studio.db);
    onTestFinished(resume);
    await catchUpRollups(studio.db, [held, other]);
    for (const b of resending(wave("loss", 0, 1000))) {
      expect((await api.post("runs/log-batch", { run_id: held, metrics: b })).status).toBe(200);
    }
    // Another process's compactor claims the two oldest batches (all of `held`'s) and stalls before committing.
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const hasClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const holder = studio.db.transaction(async (tx) => {
      expect(await compactRollupBacklog(tx as unknown as Database, 2)).toBe(2);
      claimed();
      await stalled;
    });
    onTestFinished(() => release());
    await hasClaimed;
    for (const b of resending(wave("loss", 0, 3000))) {
      expect((await api.post("runs/log-batch", { run_id: other, metrics: b })).status).toBe(200);
    }
    // A second compactor takes the other run's rows without waiting for the held ones. (Rows of the
    // held run would wait: the stalled fold also holds its rollup buckets until it commits.)
    let folded = 0;
    for (let n; (n = await compactRollupBacklog(studio.db, 4)) > 0; ) folded += n;
    expect(folded).toBe(6);
    expect(await backlogCount(studio.db)).toBe(2);
    // A chart catch-up must not read around the held rows: it waits for them.
    let caughtUp = false;
    const catchUp = catchUpRollups(studio.db, [held]).then(() => (caughtUp = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(caughtUp).toBe(false);
    release();
    await holder;
    await catchUp;
    expect(await backlogCount(studio.db)).toBe(0);
    await expectRollupsEqualRebuild(studio.db, [held, other]);
  });

  it("keeps a dead connection's claimed rows for the next compactor", async () => {
    const created = await api.post("runs/create", { experiment_id: "0", start_time: 1 });
    const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
    const resume = pauseRollupCompaction(studio.db);
    await backgroundCompactionSettled(studio.db);
    onTestFinished(resume);
    for (const b of resending(wave("loss", 0, 2000))) {
      expect((await api.post("runs/log-batch", { run_id: runId, metrics: b })).status).toBe(200);
    }
    const queued = await backlogCount(studio.db);
    expect(queued).toBeGreaterThan(0);
    // A process killed mid-fold: its own connection, terminated while the fold is uncommitted.
    const [{ db: dbName }] = await queryRows<{ db: string }>(studio.db, sql`select current_database() as db`);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${dbName}`;
    const { Client } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const victim = new Client({ connectionString: url.toString() });
    victim.on("error", () => undefined); // the termination below is the point of the test
    await victim.connect();
    const victimDb = drizzle(victim) as unknown as Database;
    await victimDb.execute(sql`begin`);
    expect(await compactRollupBacklog(victimDb, 1000)).toBe(queued);
    const [{ pid }] = await queryRows<{ pid: number }>(victimDb, sql`select pg_backend_pid() as pid`);
    await studio.db.execute(sql`select pg_terminate_backend(${pid})`);
    await victim.end().catch(() => undefined);
    expect(await backlogCount(studio.db)).toBe(queued);
    await catchUpRollups(studio.db, [runId]);
    await expectRollupsEqualRebuild(studio.db, [runId]);
  });
});
