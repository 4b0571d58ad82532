// The compare charts' data: many long series reduced on the server without losing their extremes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { unpackChartSeries } from "@/lib/chart-series-wire";
import { clearChartSeriesCache, getChartSeries, type ChartSeriesInput } from "./chart-data";
import { rebuildMetricRollups, rollupWidthFor } from "./metric-rollups";

const MAX_POINTS = 800;

describe.each(testBackends)("chart series on %s", (kind) => {
  // PGlite takes 50 runs × 20,000 points (many series in one request, read from the width-64 rollups); PostgreSQL
  // takes 10 runs × 100,000 (long series, read from the width-256 rollups), with every assertion the same. Seeding
  // and rebuilding 50 × 100,000 made this file the suite's slowest by far (64 s of its ~11 minutes).
  const RUNS = kind === "postgres" ? 10 : 50;
  const POINTS = kind === "postgres" ? 100_000 : 20_000;
  const spikeAt = (r: number) => (POINTS / 100) * r + 7;
  const dipAt = (r: number) => POINTS - 1000 - (POINTS / 100) * r;
  let studio: TestStudio;
  let trpc: ReturnType<typeof appRouter.createCaller>;
  let runIds: string[];
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    const api = mlflowWire(studio);
    const experimentId = (await api.post("experiments/create", { name: "long runs" })).body.experiment_id as string;
    runIds = [];
    for (let r = 0; r < RUNS; r++) {
      const created = await api.post("runs/create", { experiment_id: experimentId, run_name: `run-${r}`, start_time: 1 });
      runIds.push((created.body.run as { info: { run_id: string } }).info.run_id);
    }
    // 50 runs of a noisy decaying loss; run r has one spike up and one dip down, single points that
    // plain decimation would drop.
    await studio.db.execute(sql`
      insert into metrics (run_uuid, key, step, timestamp, value)
      select u.run_uuid, 'loss', g, 1700000000000 + g * 100,
        case when g = ${POINTS / 100} * u.r + 7 then 50 + u.r
             when g = ${POINTS - 1000} - ${POINTS / 100} * u.r then -10 - u.r
             else exp(-g / 20000.0) + 0.05 * sin(g * 12.9898 + u.r) end
      from unnest(${sql.param(runIds)}::text[]) with ordinality as u(run_uuid, r), generate_series(0, ${POINTS - 1}) g`);
    // Written straight into the history, so the chart rollups are rebuilt as the seeds do.
    await rebuildMetricRollups(studio.db, runIds);
  }, 300_000);
  afterAll(async () => studio.close());
  // The reduction itself, as points; what travels to the page is checked against it below.
  const chartSeries = (input: ChartSeriesInput) => getChartSeries(studio, input);

  it("sends each series' x and value columns to the page exactly as the reduction holds them", async () => {
    for (const xAxis of ["step", "time"] as const) {
      const input = { runIds: runIds.slice(0, 3), keys: ["loss"], maxPoints: MAX_POINTS, xAxis };
      const { series } = await chartSeries(input);
      const sent = unpackChartSeries(await trpc.tracking.chartSeries(input));
      expect(sent.map((s) => [s.runId, s.key, s.total, s.downsampled, s.runStartTime])).toEqual(series.map((s) => [s.runId, s.key, s.total, s.downsampled, s.runStartTime]));
      sent.forEach((s, i) => {
        expect([...s.x]).toEqual(series[i].points.map((p) => (xAxis === "step" ? p.step : p.timestamp)));
        expect([...s.y]).toEqual(series[i].points.map((p) => p.value));
      });
    }
  }, 120_000);

  it("sends only a series' finite points, on every axis and in a zoomed range, NaN and ±Infinity left out", async () => {
    const api = mlflowWire(studio);
    const created = await api.post("runs/create", { experiment_id: "0", run_name: "diverged", start_time: 1000 });
    const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
    // 60 steps, every fifth one non-finite (NaN, Infinity, -Infinity in turn), the rest a ramp.
    const nonFinite = ["NaN", "Infinity", "-Infinity"];
    const logged = Array.from({ length: 60 }, (_, step) => ({
      key: "blowup",
      value: step % 5 === 4 ? nonFinite[(step / 5) % 3 | 0] : step / 10,
      timestamp: 2000 + step * 10,
      step,
    }));
    expect((await api.post("runs/log-batch", { run_id: runId, metrics: logged })).status).toBe(200);
    const finite = logged.filter((p) => typeof p.value === "number") as { step: number; timestamp: number; value: number }[];
    const cases = [
      { xAxis: "step" as const, x: (p: (typeof finite)[number]) => p.step, range: undefined },
      { xAxis: "step" as const, x: (p: (typeof finite)[number]) => p.step, range: { min: 10, max: 30 } },
      { xAxis: "time" as const, x: (p: (typeof finite)[number]) => p.timestamp, range: { min: 2100, max: 2300 } },
      // The relative axis travels as timestamps too; the page subtracts runStartTime.
      { xAxis: "relative" as const, x: (p: (typeof finite)[number]) => p.timestamp, range: { min: 1100, max: 1300 } },
    ];
    for (const { xAxis, x, range } of cases) {
      const input = { runIds: [runId], keys: ["blowup"], maxPoints: 100, xAxis, ...(range ? { range } : {}) };
      const offset = xAxis === "relative" ? 1000 : 0;
      const expected = finite.filter((p) => !range || (x(p) - offset >= range.min && x(p) - offset <= range.max));
      const [sent] = unpackChartSeries(await trpc.tracking.chartSeries(input));
      expect(sent).toMatchObject({ runId, key: "blowup", total: expected.length, downsampled: false, runStartTime: 1000 });
      expect([...sent.x]).toEqual(expected.map(x));
      expect([...sent.y]).toEqual(expected.map((p) => p.value));
    }
  }, 120_000);

  it("summarises each run's metric: last, lowest and highest value with their steps, from the rollups", async () => {
    const rows = await trpc.tracking.metricSummary({ runIds: [runIds[0], runIds[2], "0123456789abcdef0123456789abcdef"], keys: ["loss", "never-logged"] });
    const lastValue = (r: number) => Math.exp(-(POINTS - 1) / 20000) + 0.05 * Math.sin((POINTS - 1) * 12.9898 + r);
    expect(rows.map((row) => row.runId)).toEqual([runIds[0], runIds[2]]);
    rows.forEach((row, i) => {
      const r = i === 0 ? 1 : 3; // ordinality of the run in the seed
      expect(row).toMatchObject({ key: "loss", count: POINTS, lastStep: POINTS - 1, min: -10 - r, minStep: dipAt(r), max: 50 + r, maxStep: spikeAt(r) });
      expect(row.last).toBeCloseTo(lastValue(r), 9);
    });
    await expect(trpc.tracking.metricSummary({ runIds: [], keys: ["loss"] })).rejects.toThrow(/at least one run/);
  });

  it(`reduces ${RUNS} runs × many points to ≤ ${MAX_POINTS} per series, keeping each series' global min and max`, async () => {
    const { series } = await chartSeries({ runIds, keys: ["loss"], maxPoints: MAX_POINTS });
    expect(series).toHaveLength(RUNS);
    series.forEach((s, index) => {
      const r = index + 1;
      expect(s.runId).toBe(runIds[index]);
      expect(s.total).toBe(POINTS);
      expect(s.downsampled).toBe(true);
      expect(s.points.length).toBeLessThanOrEqual(MAX_POINTS);
      expect(s.points.length).toBeGreaterThan(MAX_POINTS / 2);
      expect(s.points).toContainEqual({ step: spikeAt(r), timestamp: 1700000000000 + spikeAt(r) * 100, value: 50 + r });
      expect(s.points).toContainEqual({ step: dipAt(r), timestamp: 1700000000000 + dipAt(r) * 100, value: -10 - r });
      expect(s.points[0].step).toBe(0);
      expect(s.points.at(-1)!.step).toBe(POINTS - 1);
      for (let i = 1; i < s.points.length; i++) expect(s.points[i].step).toBeGreaterThan(s.points[i - 1].step);
    });
  }, 120_000);

  // Whole series (the first view, cached) and zoomed ranges read the same rollup level by separate code: a range
  // spanning every step must draw exactly the points of the whole series, first view and view shown again alike.
  it("draws a whole series and a range spanning all its steps with the same points", async () => {
    const input = { runIds, keys: ["loss"], maxPoints: MAX_POINTS };
    clearChartSeriesCache();
    const whole = await chartSeries(input);
    const spanning = await chartSeries({ ...input, range: { min: 0, max: POINTS - 1 } });
    expect(spanning.series.map((s) => s.points.length)).toEqual(whole.series.map((s) => s.points.length));
    expect(spanning).toEqual(whole);
    expect(await chartSeries(input)).toEqual(whole);
  }, 120_000);

  // 800 points read the rollups; on PGlite's 20,000-step series 10,000 points ask for more than the finest rollup
  // holds, so those series are reduced from their raw points (PostgreSQL's 100,000-step series still read rollups).
  it.each([
    [MAX_POINTS, 1],
    [10_000, 4],
  ])("serves a repeated view from its cache, and a point logged since redraws it (%i points)", async (maxPoints, run) => {
    expect(rollupWidthFor(POINTS, maxPoints) === 0).toBe(maxPoints === 10_000 && kind === "pglite");
    clearChartSeriesCache();
    const runIds3 = runIds.slice(run - 1, run + 2);
    const request = { runIds: runIds3, keys: ["loss"], maxPoints };
    const first = await chartSeries(request);
    expect(await chartSeries(request)).toEqual(first);
    // A new extreme and a new last step in run 2: its line must show both at once, the others unchanged.
    const api = mlflowWire(studio);
    const logged = await api.post("runs/log-batch", {
      run_id: runIds3[1],
      metrics: [
        { key: "loss", value: 1e6, timestamp: 1700000000000 + 5 * 100, step: 5 },
        { key: "loss", value: 0.5, timestamp: 1700000000000 + POINTS * 100, step: POINTS },
      ],
    });
    expect(logged.status).toBe(200);
    const after = await chartSeries(request);
    expect(after.series[0]).toEqual(first.series[0]);
    expect(after.series[2]).toEqual(first.series[2]);
    expect(after.series[1].total).toBe(POINTS + 2);
    expect(after.series[1].points).toContainEqual({ step: 5, timestamp: 1700000000000 + 500, value: 1e6 });
    expect(after.series[1].points.at(-1)).toEqual({ step: POINTS, timestamp: 1700000000000 + POINTS * 100, value: 0.5 });
    // And what the cache serves equals a computation from scratch.
    clearChartSeriesCache();
    expect(await chartSeries(request)).toEqual(after);
  }, 120_000);

  it("returns a zoomed range at full resolution", async () => {
    const { series } = await chartSeries({ runIds: runIds.slice(0, 2), keys: ["loss"], maxPoints: MAX_POINTS, range: { min: 5000, max: 5499 } });
    expect(series).toHaveLength(2);
    for (const s of series) {
      expect(s.downsampled).toBe(false);
      expect(s.points.map((p) => p.step)).toEqual(Array.from({ length: 500 }, (_, i) => 5000 + i));
    }
  });

  it("buckets by wall time when the x-axis is time, and leaves out NaN and unknown runs", async () => {
    const api = mlflowWire(studio);
    await api.post("runs/log-batch", {
      run_id: runIds[0],
      metrics: [
        { key: "acc", value: 0.5, timestamp: 2000, step: 0 },
        { key: "acc", value: "NaN", timestamp: 3000, step: 1 },
        { key: "acc", value: 0.7, timestamp: 4000, step: 2 },
      ],
    });
    const { series } = await chartSeries({ runIds: [runIds[0], "0123456789abcdef0123456789abcdef"], keys: ["acc"], xAxis: "time" });
    expect(series).toEqual([
      {
        runId: runIds[0],
        key: "acc",
        total: 2,
        downsampled: false,
        runStartTime: 1,
        points: [{ step: 0, timestamp: 2000, value: 0.5 }, { step: 2, timestamp: 4000, value: 0.7 }],
      },
    ]);
  });

  it("zooms on the relative-time axis by milliseconds since each run started", async () => {
    const api = mlflowWire(studio);
    const late = await api.post("runs/create", { experiment_id: "0", run_name: "late start", start_time: 1_000_000 });
    const lateId = (late.body.run as { info: { run_id: string } }).info.run_id;
    await api.post("runs/log-batch", {
      run_id: lateId,
      metrics: [0, 1, 2, 3].map((i) => ({ key: "acc", value: i / 10, timestamp: 1_000_000 + 2000 * (i + 1), step: i })),
    });
    // Run 0 logged acc at 2000 and 4000 ms after its start at 1: relative x 1999 and 3999.
    const { series } = await chartSeries({ runIds: [runIds[0], lateId], keys: ["acc"], xAxis: "relative", range: { min: 1500, max: 4500 } });
    expect(series.map((s) => [s.runId, s.runStartTime, s.points.map((p) => p.timestamp - s.runStartTime)])).toEqual([
      [runIds[0], 1, [1999, 3999]],
      [lateId, 1_000_000, [2000, 4000]],
    ]);
  });

  it("keeps the rollups of logged batches equal to a rebuild, re-sent points counted once", async () => {
    const api = mlflowWire(studio);
    const created = await api.post("runs/create", { experiment_id: "0", run_name: "batched", start_time: 1 });
    const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
    const value = (step: number) => (step === 1234 ? 99 : step === 777 ? -5 : Math.cos(step / 50));
    const points = Array.from({ length: 2000 }, (_, step) => ({ key: "wave", value: value(step), timestamp: 1000 + step, step }));
    // Out of order, in batches that overlap (a client retrying), with a NaN that must not count.
    const batches = [points.slice(1000, 2000), points.slice(0, 1000), points.slice(900, 1100), points.slice(500, 600), [{ key: "wave", value: "NaN", timestamp: 5, step: 5 }]];
    for (const batch of batches) expect((await api.post("runs/log-batch", { run_id: runId, metrics: batch })).status).toBe(200);

    const request = { runIds: [runId], keys: ["wave"], maxPoints: 40 };
    expect(rollupWidthFor(1999, 40)).toBe(64);
    const logged = await chartSeries(request);
    await rebuildMetricRollups(studio.db, [runId]);
    const rebuilt = await chartSeries(request);
    expect(logged).toEqual(rebuilt);
    const [series] = logged.series;
    expect(series.total).toBe(2000);
    expect(series.points.length).toBeLessThanOrEqual(40);
    expect(series.points.map((p) => p.value)).toEqual(expect.arrayContaining([99, -5]));
    // A zoom narrow enough reads the raw points: every step of the range.
    const zoomed = await chartSeries({ ...request, range: { min: 1200, max: 1215 } });
    expect(zoomed.series[0].points.map((p) => p.step)).toEqual(Array.from({ length: 16 }, (_, i) => 1200 + i));
  });

  it("refuses bad input with a message that says what to fix", async () => {
    await expect(trpc.tracking.chartSeries({ runIds: [], keys: ["loss"] })).rejects.toThrow(/at least one run/);
    await expect(trpc.tracking.chartSeries({ runIds, keys: ["loss"], range: { min: 10, max: 1 } })).rejects.toThrow(/min must not exceed/);
    await expect(trpc.tracking.chartSeries({ runIds, keys: ["loss"], maxPoints: 1 })).rejects.toThrow();
  });
});

describe.each(testBackends)("chart series of points a client just logged, on %s", (kind) => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
  }, 120_000);
  afterAll(async () => studio.close());
  const chartSeries = (input: ChartSeriesInput) => getChartSeries(studio, input);

  // Points logged by a client into a new database (not seeded and analysed as above) leave the planner without
  // statistics, PGlite's above all (it has no autovacuum). It then took each series' bounds inside the loop over its points, once per point:
  // 2 × 5,000 points on the time axis took minutes (108 s for 3 × 3,000 under load) instead of a fraction of a second.
  it("draws series just logged by a client on the time and relative axes, each point's x its own", async () => {
    const api = mlflowWire(studio);
    const POINTS_PER_RUN = 5000;
    const logged: { runId: string; startTime: number }[] = [];
    for (let r = 0; r < 2; r++) {
      const startTime = 1_700_000_000_000 + r * 3_600_000;
      const created = await api.post("runs/create", { experiment_id: "0", run_name: `logged-${r}`, start_time: startTime });
      const runId = (created.body.run as { info: { run_id: string } }).info.run_id;
      // One point every 250 ms, the first 10 s after the run started; run 1 dips once to -3.
      const points = Array.from({ length: POINTS_PER_RUN }, (_, step) => ({ key: "val_loss", value: r === 1 && step === 4321 ? -3 : 1 / (1 + step), timestamp: startTime + 10_000 + step * 250, step }));
      for (let i = 0; i < POINTS_PER_RUN; i += 1000) expect((await api.post("runs/log-batch", { run_id: runId, metrics: points.slice(i, i + 1000) })).status).toBe(200);
      logged.push({ runId, startTime });
    }
    for (const xAxis of ["time", "relative"] as const) {
      const { series } = await chartSeries({ runIds: logged.map((l) => l.runId), keys: ["val_loss"], maxPoints: 200, xAxis });
      expect(series.map((s) => [s.runId, s.total, s.downsampled, s.runStartTime])).toEqual(logged.map((l) => [l.runId, POINTS_PER_RUN, true, l.startTime]));
      series.forEach((s, r) => {
        const times = s.points.map((p) => p.timestamp);
        expect(s.points.length).toBeLessThanOrEqual(200);
        // First and last point kept, in time order, each at its own step's time.
        expect(times[0]).toBe(logged[r].startTime + 10_000);
        expect(times.at(-1)).toBe(logged[r].startTime + 10_000 + (POINTS_PER_RUN - 1) * 250);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        for (const p of s.points) expect(p.timestamp).toBe(logged[r].startTime + 10_000 + p.step * 250);
      });
      expect(series[1].points.map((p) => p.value)).toContain(-3);
    }
  }, 60_000);
});
