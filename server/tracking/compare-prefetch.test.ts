// The compare page's first charts started with the document: the same answer the chart's own request gets, or none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { COMPARE_CHART_MAX_POINTS, compareChartRequests, parseCompareState } from "@/lib/compare-state";
import { unpackChartSeries } from "@/lib/chart-series-wire";
import { PREFETCHED_COMPARE_CHARTS, startCompareChartPrefetch } from "./compare-prefetch";
import { rebuildMetricRollups } from "./metric-rollups";

describe.each(testBackends)("compare charts started with the page on %s", (kind) => {
  let studio: TestStudio;
  let runIds: string[];
  const link = (query: Record<string, string>) => parseCompareState(new URLSearchParams(query));
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const api = mlflowWire(studio);
    const experimentId = (await api.post("experiments/create", { name: "prefetched charts" })).body.experiment_id as string;
    runIds = [];
    for (let r = 0; r < 3; r++) {
      const created = await api.post("runs/create", { experiment_id: experimentId, run_name: `run-${r}`, start_time: 1000 + r });
      runIds.push((created.body.run as { info: { run_id: string } }).info.run_id);
    }
    // 3,000 steps a series: more than the chart's point count, so what is sent is a reduction, not the raw history.
    // Written straight into the history (as the bench seeds do), then the chart rollups rebuilt.
    await studio.db.execute(sql`
      insert into metrics (run_uuid, key, step, timestamp, value)
      select u.run_uuid, k.key, g, 5000 + g,
        case when k.key = 'acc' then 1 - exp(-g / 500.0) else exp(-g / 700.0) + case when g = 1000 + u.r then 5 else 0 end end
      from unnest(${sql.param(runIds)}::text[]) with ordinality as u(run_uuid, r), unnest(array['loss', 'acc']) as k(key), generate_series(0, 2999) g`);
    await rebuildMetricRollups(studio.db, runIds);
  }, 120_000);
  afterAll(async () => studio.close());

  it("starts each named chart's request exactly as the chart sends it, and answers what tracking.chartSeries answers", async () => {
    const trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    {
      const x = "step";
      const state = link({ runs: runIds.join(","), metrics: "loss,acc" });
      const early = startCompareChartPrefetch(async () => studio, state);
      expect(Object.keys(early)).toEqual(["loss", "acc"]);
      for (const key of ["loss", "acc"]) {
        const [request] = compareChartRequests(state, key);
        expect(early[key].request).toEqual(request);
        expect(request).toMatchObject({ runIds, keys: [key], maxPoints: COMPARE_CHART_MAX_POINTS, xAxis: x });
        const packed = await early[key].data;
        const asked = await trpc.tracking.chartSeries(request);
        // Compared field by field: a diff of two long base64 strings would take the test runner minutes to print.
        expect(packed!.xAxis).toBe(asked.xAxis);
        expect(packed!.series).toEqual(asked.series);
        expect(packed!.data.length).toBe(asked.data.length);
        expect(packed!.data === asked.data).toBe(true);
        const series = unpackChartSeries(packed!);
        expect(series.map((s) => [s.runId, s.total, s.downsampled])).toEqual(runIds.map((id) => [id, 3000, true]));
        for (const s of series) expect(s.x.length).toBeLessThanOrEqual(COMPARE_CHART_MAX_POINTS);
      }
    }
  }, 120_000);

  it("keeps a zoomed range in the request, and starts only the first charts of a long list", async () => {
    const metrics = ["loss", "acc", ...Array.from({ length: PREFETCHED_COMPARE_CHARTS }, (_, i) => `m${i}`)];
    const zoomed = link({ runs: runIds.join(","), metrics: metrics.join(","), from: "100", to: "200" });
    const early = startCompareChartPrefetch(async () => studio, zoomed);
    expect(Object.keys(early)).toEqual(metrics.slice(0, PREFETCHED_COMPARE_CHARTS));
    const loss = await early.loss.data;
    const [sent] = unpackChartSeries(loss!);
    expect(early.loss.request.range).toEqual({ min: 100, max: 200 });
    expect([...sent.x]).toEqual(Array.from({ length: 101 }, (_, i) => 100 + i));
  });

  it("starts nothing it cannot match or may not read; a failed read resolves to none, for the chart to ask itself", async () => {
    let opened = 0;
    const open = async () => {
      opened++;
      return studio;
    };
    // No metrics named (the chart's default metrics come from the runs), a saved selection, no runs: nothing to start.
    expect(startCompareChartPrefetch(open, link({ runs: runIds.join(",") }))).toEqual({});
    expect(startCompareChartPrefetch(open, link({ sel: "abc", metrics: "loss" }))).toEqual({});
    expect(startCompareChartPrefetch(open, link({ metrics: "loss" }))).toEqual({});
    expect(opened).toBe(0);
    // More runs than one request carries: the chart splits them, so there is no single request to start.
    const many = Array.from({ length: 101 }, (_, i) => `${i}`.padStart(32, "0"));
    expect(startCompareChartPrefetch(open, link({ runs: many.join(","), metrics: "loss" }))).toEqual({});

    const named = link({ runs: runIds.join(","), metrics: "loss" });
    expect(await startCompareChartPrefetch(async () => null, named).loss.data).toBeNull();
    const labeller = studio.as({ userId: "u-lab", username: "lab", role: "labeller", via: "token" });
    expect(await startCompareChartPrefetch(async () => labeller, named).loss.data).toBeNull();
    const viewer = studio.as({ userId: "u-view", username: "vera", role: "viewer", via: "token" });
    expect(await startCompareChartPrefetch(async () => viewer, named).loss.data).not.toBeNull();
    expect(await startCompareChartPrefetch(() => Promise.reject(new Error("database down")), named).loss.data).toBeNull();
    // A run id the API refuses (longer than any id): none, and the chart's own request shows the API's message.
    const bad = link({ runs: "x".repeat(200), metrics: "loss" });
    expect(await startCompareChartPrefetch(open, bad).loss.data).toBeNull();
  });
});
