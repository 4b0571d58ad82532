// log-batch's insert as a client relies on it: exact values whatever their encoding on the way (binary arrays on
// PostgreSQL, literals on PGlite), a re-sent batch stored once, a refused batch refused whole, rollups equal a rebuild.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";
import { rebuildMetricRollups } from "./metric-rollups";

type Api = ReturnType<typeof mlflowWire>;
type Point = { key: string; value: number | string; timestamp: number | string; step: number | string };

const MAX = Number.MAX_SAFE_INTEGER;

/** 1,000 points over 10 keys, the edge values in the first key: every one must come back as sent. */
function batch(from: number): Point[] {
  const points: Point[] = [];
  for (let k = 0; k < 10; k++) for (let s = 0; s < 100; s++) points.push({ key: `m${k}`, value: Math.sin(from + s + k) * 10 ** (k - 5), timestamp: 1_700_000_000_000 + s, step: from + s });
  points[0] = { key: "m0", value: "NaN", timestamp: 1, step: -MAX };
  points[1] = { key: "m0", value: "Infinity", timestamp: MAX, step: String(MAX) };
  points[2] = { key: "m0", value: "-Infinity", timestamp: 0, step: 2 ** 32 };
  points[3] = { key: "m0", value: -0, timestamp: 2, step: -(2 ** 32) - 1 };
  points[4] = { key: "m0", value: 5e-324, timestamp: 3, step: 0 };
  points[5] = { key: "m0", value: -1.7976931348623157e308, timestamp: 4, step: 1 };
  return points;
}

describe.each(testBackends)("log-batch writes on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let experimentId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "log-batch-writes" })).body.experiment_id as string;
  });
  afterAll(async () => studio.close());

  const newRun = async () => ((await api.post("runs/create", { experiment_id: experimentId, start_time: 1 })).body.run as { info: { run_id: string } }).info.run_id;
  const history = async (runId: string, key: string) =>
    (await api.get("metrics/get-history", { run_id: runId, metric_key: key, max_results: 25_000 })).body.metrics as { value: unknown; timestamp: number; step: number }[];
  const stored = async (runId: string) => {
    const [row] = await queryRows<{ points: string | number; latest: string | null; rollups: string | null }>(studio.db, sql`
      select (select count(*) from metrics where run_uuid = ${runId}) as points,
             (select string_agg(concat_ws('|', key, step, timestamp, value), ';' order by key) from latest_metrics where run_uuid = ${runId}) as latest,
             (select string_agg(concat_ws('|', key, width, bucket, n, lo::text, hi::text, first::text, last::text), ';' order by key, width, bucket)
                from metric_rollups where run_uuid = ${runId}) as rollups`);
    return { points: Number(row.points), latest: row.latest, rollups: row.rollups };
  };

  it("stores every value exactly as sent, NaN, ±Infinity and the largest steps included", async () => {
    const runId = await newRun();
    const points = batch(1000);
    const res = await api.post("runs/log-batch", { run_id: runId, metrics: points });
    expect(res.status, res.text).toBe(200);
    const m0 = await history(runId, "m0");
    expect(m0).toHaveLength(100);
    const byStep = new Map(m0.map((p) => [p.step, p]));
    expect(byStep.get(-MAX)).toMatchObject({ value: "NaN", timestamp: 1 });
    expect(byStep.get(MAX)).toMatchObject({ value: "Infinity", timestamp: MAX });
    expect(byStep.get(2 ** 32)).toMatchObject({ value: "-Infinity", timestamp: 0 });
    // -0 is stored as 0, as it always was.
    expect(Object.is(byStep.get(-(2 ** 32) - 1)!.value, 0)).toBe(true);
    expect(byStep.get(0)).toMatchObject({ value: 5e-324, timestamp: 3 });
    expect(byStep.get(1)).toMatchObject({ value: -1.7976931348623157e308, timestamp: 4 });
    const m7 = new Map((await history(runId, "m7")).map((h) => [h.step, h.value]));
    for (const p of points.filter((q) => q.key === "m7")) expect(m7.get(p.step as number)).toBe(p.value);
    // The latest value is the greatest step's: Infinity at MAX.
    expect((await stored(runId)).latest).toMatch(/^m0\|9007199254740991\|9007199254740991\|Infinity;/);
  });

  it("stores a re-sent batch once, with the new points it adds, and keeps the rollups equal to a rebuild", async () => {
    const runId = await newRun();
    const first = batch(0);
    expect((await api.post("runs/log-batch", { run_id: runId, metrics: first })).status).toBe(200);
    // A client retrying after a timeout: 999 of the same points again, with one new.
    const again = [...first.slice(0, 999), { key: "m9", value: 1, timestamp: 5, step: 100_000 }];
    const res = await api.post("runs/log-batch", { run_id: runId, metrics: again });
    expect(res.status, res.text).toBe(200);
    expect((await stored(runId)).points).toBe(1001);
    // Its six edge points (the same in every batch()) are stored already: 994 new.
    expect((await api.post("runs/log-batch", { run_id: runId, metrics: batch(100) })).status).toBe(200);
    expect((await stored(runId)).points).toBe(1995);
    // Points re-sent in the retried batch were queued for compaction: fold them, then compare with a rebuild.
    const { catchUpRollups } = await import("./rollup-compaction");
    await catchUpRollups(studio.db, [runId]);
    const folded = await stored(runId);
    await rebuildMetricRollups(studio.db, [runId]);
    expect((await stored(runId)).rollups).toBe(folded.rollups);
  });

  it("refuses a batch to a deleted or unknown run whole, with a clear status, writing nothing", async () => {
    const runId = await newRun();
    expect((await api.post("runs/log-batch", { run_id: runId, metrics: batch(0) })).status).toBe(200);
    const before = await stored(runId);
    expect((await api.post("runs/delete", { run_id: runId })).status).toBe(200);
    expectMlflowError(await api.post("runs/log-batch", { run_id: runId, metrics: batch(100) }), 400, "INVALID_PARAMETER_VALUE", /must be in the 'active' state/);
    expect(await stored(runId)).toEqual(before);
    const unknown = "f".repeat(32);
    expectMlflowError(await api.post("runs/log-batch", { run_id: unknown, metrics: batch(0) }), 404, "RESOURCE_DOES_NOT_EXIST", /not found/);
    expect((await stored(unknown)).points).toBe(0);
    // One bad point refuses the whole batch before anything is written.
    const restored = await api.post("runs/restore", { run_id: runId });
    expect(restored.status).toBe(200);
    const bad = batch(100);
    bad[999] = { ...bad[999], step: 2 ** 53 };
    expectMlflowError(await api.post("runs/log-batch", { run_id: runId, metrics: bad }), 400, "INVALID_PARAMETER_VALUE", /step/);
    expect(await stored(runId)).toEqual(before);
  });
});
