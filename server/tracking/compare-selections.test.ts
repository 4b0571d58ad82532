// Comparing 1,000 runs (issue 19): the chart data and the runs go over real HTTP with the studio's own
// links without outgrowing the request line (it was HTTP 431 from 100 runs on), and a saved selection
// gives the page a short link.
import { unpackChartSeries } from "@/lib/chart-series-wire";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { studioTrpcLinks } from "@/lib/trpc-links";
import { appRouter, type AppRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { handleTrpcRequest } from "../trpc-handler";
import { MAX_SELECTION_RUNS, selectionIdOf } from "./compare-selections";
import { rebuildMetricRollups } from "./metric-rollups";

const RUNS = 1000;
const STEPS = 20;
/** As the compare page asks: one chart-data request per 100 runs. */
const RUNS_PER_REQUEST = 100;

describe.each(testBackends)("comparing %i runs on %s".replace("%i", String(RUNS)), (kind) => {
  let studio: TestStudio;
  let server: Server;
  let baseUrl: string;
  let experimentId: string;
  let runIds: string[];
  const requests: { method: string; urlLength: number; url: string }[] = [];

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const [experiment] = await queryRows<{ experiment_id: string }>(studio.db, sql`
      insert into experiments (name, artifact_location, creation_time, last_update_time)
      values ('thousand runs', 'mlflow-artifacts:/thousand', 1, 1) returning experiment_id::text`);
    experimentId = experiment.experiment_id;
    runIds = Array.from({ length: RUNS }, (_, i) => `run${String(i).padStart(4, "0")}${"f".repeat(25)}`);
    // Set-based, as a sweep's runs would land: 1,000 runs × 20 steps of loss.
    await studio.db.execute(sql`
      insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri)
      select id, ${Number(experimentId)}, 'sweep-' || i, 'test', 'FINISHED', 1000, 'active', 'mlflow-artifacts:/thousand/' || id
      from unnest(${sql.param(runIds)}::text[]) with ordinality as u(id, i)`);
    await studio.db.execute(sql`
      insert into metrics (run_uuid, key, step, timestamp, value)
      select id, 'loss', g, 1000 + g, 1.0 / (g + i)
      from unnest(${sql.param(runIds)}::text[]) with ordinality as u(id, i), generate_series(0, ${STEPS - 1}) g`);
    // Written straight into the history, so the chart rollups are rebuilt as the seeds do.
    await rebuildMetricRollups(studio.db, runIds);
    await studio.db.execute(sql`
      insert into latest_metrics (run_uuid, key, value, timestamp, step)
      select id, 'loss', 1.0 / (${STEPS - 1} + i), ${1000 + STEPS - 1}, ${STEPS - 1}
      from unnest(${sql.param(runIds)}::text[]) with ordinality as u(id, i)`);

    // A real node:http server with Node's default header limit (16 KiB), as `next start` runs.
    server = createServer((req, res) => {
      void (async () => {
        const url = `http://${req.headers.host}${req.url}`;
        requests.push({ method: req.method ?? "", urlLength: (req.url ?? "").length, url: req.url ?? "" });
        const hasBody = req.method !== "GET" && req.method !== "HEAD";
        const request = new Request(url, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
          ...(hasBody ? { duplex: "half" } : {}),
        } as RequestInit);
        const response = await handleTrpcRequest(request, () => ({ ...studio, req: request }));
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`;
  }, 120_000);

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await studio?.close();
  });

  it("loads 1,000 runs and their chart data in request bodies, every URL short", async () => {
    requests.length = 0;
    const client = createTRPCClient<AppRouter>({ links: studioTrpcLinks(baseUrl) });
    const chunks = Array.from({ length: RUNS / RUNS_PER_REQUEST }, (_, i) => runIds.slice(i * RUNS_PER_REQUEST, (i + 1) * RUNS_PER_REQUEST));
    // Fired together, as the page's charts do, so the link batches them.
    const [runs, ...charts] = await Promise.all([
      client.tracking.runsByIds.query({ runIds }),
      ...chunks.map((chunk) => client.tracking.chartSeries.query({ runIds: chunk, keys: ["loss"], maxPoints: 200 })),
    ]);
    expect(runs.map((run) => run.info.run_id)).toEqual(runIds);
    const series = charts.flatMap((chart) => unpackChartSeries(chart));
    expect(series.map((s) => s.runId)).toEqual(runIds);
    for (const [i, s] of series.entries()) {
      expect(s.y).toHaveLength(STEPS);
      expect(s.y[0]).toBeCloseTo(1 / (i + 1), 12);
    }
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(request.urlLength).toBeLessThan(4_100);
    expect(requests.some((request) => request.method === "POST")).toBe(true);

    // And small queries still travel as GET.
    requests.length = 0;
    await client.tracking.experiment.query({ experimentId });
    expect(requests).toEqual([expect.objectContaining({ method: "GET" })]);

    // A chart's query asks for its own request, so it never waits for the slowest query of a batch.
    requests.length = 0;
    const [alone] = await Promise.all([
      client.tracking.chartSeries.query({ runIds: runIds.slice(0, 50), keys: ["loss"], maxPoints: 200 }, { context: { skipBatch: true } }),
      client.tracking.runsByIds.query({ runIds }),
    ]);
    expect(unpackChartSeries(alone)).toHaveLength(50);
    expect(requests).toHaveLength(2);
    const chartRequest = requests.find((request) => request.url.includes("chartSeries"))!;
    expect(chartRequest).toMatchObject({ method: "POST" });
    expect(chartRequest.url).not.toContain("batch=1");
    expect(chartRequest.url).not.toContain("runsByIds");
  });

  it("summarises 1,000 runs' metric in one request body: last, lowest and highest with their steps", async () => {
    const client = createTRPCClient<AppRouter>({ links: studioTrpcLinks(baseUrl) });
    const rows = await client.tracking.metricSummary.query({ runIds, keys: ["loss"] });
    expect(rows.map((row) => row.runId)).toEqual(runIds);
    rows.forEach((row, index) => {
      const i = index + 1; // the seed's ordinality: loss = 1 / (step + i)
      expect(row).toMatchObject({ key: "loss", count: STEPS, lastStep: STEPS - 1, minStep: STEPS - 1, maxStep: 0 });
      expect(row.last).toBeCloseTo(1 / (STEPS - 1 + i), 12);
      expect(row.min).toBeCloseTo(1 / (STEPS - 1 + i), 12);
      expect(row.max).toBeCloseTo(1 / i, 12);
    });
  });

  it("shows the failure it fixes: the same chart data in a GET URL is refused with HTTP 431", async () => {
    // What the page saw: an empty 431 answer, which the client reports as a JSON error.
    const getOnly = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: baseUrl, transformer: superjson })] });
    await expect(getOnly.tracking.chartSeries.query({ runIds: runIds.slice(0, 600), keys: ["loss"] })).rejects.toThrow(/Unexpected end of JSON input/);
    const input = encodeURIComponent(JSON.stringify({ json: { runIds: runIds.slice(0, 600), keys: ["loss"] } }));
    expect((await fetch(`${baseUrl}/tracking.chartSeries?input=${input}`)).status).toBe(431);
  });

  it("saves a selection of 1,000 runs once, under a short id that reopens them in order", async () => {
    const trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    const reversed = [...runIds].reverse();
    const saved = await trpc.tracking.saveCompareSelection({ experimentId, runIds: [...reversed, reversed[0]] });
    expect(saved).toEqual({ selectionId: selectionIdOf(Number(experimentId), reversed), runs: RUNS });
    expect(saved.selectionId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // Saving the same runs again gives the same link and no second row.
    expect(await trpc.tracking.saveCompareSelection({ experimentId, runIds: reversed })).toEqual(saved);
    const [{ count }] = await queryRows<{ count: string }>(studio.db, sql`select count(*)::text as count from compare_selections`);
    expect(count).toBe("1");
    expect(await trpc.tracking.compareSelection({ experimentId, selectionId: saved.selectionId })).toEqual({ selectionId: saved.selectionId, runIds: reversed });
  });

  it("says plainly what is wrong with a selection instead of failing", async () => {
    const trpc = appRouter.createCaller({ ...studio, req: new Request("http://studio.test/api/trpc") });
    const saved = await trpc.tracking.saveCompareSelection({ experimentId, runIds: runIds.slice(0, 3) });
    // Another experiment's link does not open it.
    await expect(trpc.tracking.compareSelection({ experimentId: "0", selectionId: saved.selectionId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(trpc.tracking.compareSelection({ experimentId, selectionId: "unknownSelection" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(trpc.tracking.compareSelection({ experimentId, selectionId: "../../etc" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(trpc.tracking.saveCompareSelection({ experimentId: "987654", runIds: ["a"] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(trpc.tracking.saveCompareSelection({ experimentId, runIds: [] })).rejects.toThrow(/at least one run/);
    const tooMany = Array.from({ length: MAX_SELECTION_RUNS + 1 }, (_, i) => `r${i}`);
    await expect(trpc.tracking.saveCompareSelection({ experimentId, runIds: tooMany })).rejects.toThrow(/at most 5000 runs/);
  });
});
