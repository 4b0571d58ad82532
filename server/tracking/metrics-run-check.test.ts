// Migration 0029: metric points name an existing run, checked once per statement instead of by a per-row foreign key.
// The guarantees the foreign key gave, on both backends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";

/** The SQLSTATE of a failed statement (drizzle keeps the driver's error as the cause). */
async function sqlStateOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
      if (typeof e.code === "string") return e.code;
    }
    return "no sqlstate";
  }
  return undefined;
}

describe.each(testBackends)("metric points and their run on %s", (kind) => {
  let studio: TestStudio;
  let runA: string;
  let runB: string;
  const api = () => mlflowWire(studio);
  const pointsOf = async (runId: string) =>
    Number((await queryRows<{ n: string | number }>(studio.db, sql`select count(*) as n from metrics where run_uuid = ${runId}`))[0].n);

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const newRun = async () => ((await api().post("runs/create", { experiment_id: "0" })).body.run as { info: { run_id: string } }).info.run_id;
    runA = await newRun();
    runB = await newRun();
    const batch = Array.from({ length: 300 }, (_, step) => ({ key: "loss", value: step, timestamp: 1, step }));
    expect((await api().post("runs/log-batch", { run_id: runA, metrics: batch })).status).toBe(200);
    expect((await api().post("runs/log-batch", { run_id: runB, metrics: batch })).status).toBe(200);
  });
  afterAll(async () => studio.close());

  it("refuses a statement naming a run that does not exist, as a foreign key would, writing none of its points", async () => {
    const insert = studio.db.execute(sql`
      insert into metrics (run_uuid, key, step, timestamp, value)
      values (${runA}, 'loss', 1000, 1, 1), ('no-such-run', 'loss', 0, 1, 1), (${runA}, 'loss', 1001, 1, 1)`);
    expect(await sqlStateOf(insert)).toBe("23503");
    expect(await pointsOf(runA)).toBe(300);
    expect(await pointsOf("no-such-run")).toBe(0);
    // Moving points to a run that does not exist is refused too; to one that does, allowed.
    expect(await sqlStateOf(studio.db.execute(sql`update metrics set run_uuid = 'no-such-run' where run_uuid = ${runA} and step = 0`))).toBe("23503");
    expect(await sqlStateOf(studio.db.execute(sql`insert into metrics (run_uuid, key, step, timestamp, value) values (${runB}, 'other', 0, 1, 1)`))).toBeUndefined();
  });

  it("answers log-batch to an unknown run with MLflow's 404 and stores nothing", async () => {
    const res = await api().post("runs/log-batch", { run_id: "0123456789abcdef0123456789abcdef", metrics: [{ key: "k", value: 1, timestamp: 1, step: 0 }] });
    expectMlflowError(res, 404, "RESOURCE_DOES_NOT_EXIST");
    expect(await pointsOf("0123456789abcdef0123456789abcdef")).toBe(0);
  });

  it("deletes a run's points with the run, and keeps a run's id while it has points", async () => {
    expect(await sqlStateOf(studio.db.execute(sql`update runs set run_uuid = 'renamed' where run_uuid = ${runA}`))).toBe("23503");
    expect(await pointsOf(runA)).toBe(300);
    const before = await pointsOf(runB);
    await studio.db.execute(sql`delete from runs where run_uuid = ${runA}`);
    expect(await pointsOf(runA)).toBe(0);
    expect(await pointsOf(runB)).toBe(before);
  });

  it("deletes the points of runs deleted by the cascade from their experiment", async () => {
    const experimentId = (await api().post("experiments/create", { name: "to-drop" })).body.experiment_id as string;
    const runId = ((await api().post("runs/create", { experiment_id: experimentId })).body.run as { info: { run_id: string } }).info.run_id;
    expect((await api().post("runs/log-metric", { run_id: runId, key: "k", value: 1, timestamp: 1, step: 0 })).status).toBe(200);
    expect(await pointsOf(runId)).toBe(1);
    await studio.db.execute(sql`delete from experiments where experiment_id = ${Number(experimentId)}`);
    expect(await pointsOf(runId)).toBe(0);
  });
});
