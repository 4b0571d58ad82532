// Which page URLs name something that exists: the answer decides between the page and a 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { pageSubjectExists } from "./page-exists";

describe.each(testBackends)("page subjects on %s", (kind) => {
  let studio: TestStudio;
  let experimentId: string;
  let runId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "exists" })).body.experiment_id as string;
    runId = ((await api.post("runs/create", { experiment_id: experimentId, start_time: 1 })).body.run as { info: { run_id: string } }).info.run_id;
    await api.post("registered-models/create", { name: "fraud model" });
  });
  afterAll(async () => studio.close());

  it("finds an experiment and a run only under their own experiment", async () => {
    expect(await pageSubjectExists(studio.db, { kind: "experiment", experimentId })).toBe(true);
    expect(await pageSubjectExists(studio.db, { kind: "run", experimentId, runId })).toBe(true);
    const otherExperiment = (await mlflowWire(studio).post("experiments/create", { name: "other" })).body.experiment_id as string;
    expect(await pageSubjectExists(studio.db, { kind: "run", experimentId: otherExperiment, runId })).toBe(false);
    expect(await pageSubjectExists(studio.db, { kind: "run", experimentId, runId: "0".repeat(32) })).toBe(false);
  });

  it("answers false, without a database error, for ids that cannot name a row", async () => {
    for (const experimentId of ["999999", "abc", "-1", "1.5", "99999999999999999999", "1; drop table runs"]) {
      expect(await pageSubjectExists(studio.db, { kind: "experiment", experimentId })).toBe(false);
    }
    expect(await pageSubjectExists(studio.db, { kind: "review", reviewId: 424242 })).toBe(false);
  });

  it("finds a model by its exact name, spaces included, and not its versions that were never made", async () => {
    expect(await pageSubjectExists(studio.db, { kind: "model", name: "fraud model" })).toBe(true);
    expect(await pageSubjectExists(studio.db, { kind: "model", name: "Fraud model" })).toBe(false);
    expect(await pageSubjectExists(studio.db, { kind: "modelVersion", name: "fraud model", version: 1 })).toBe(false);
    expect(await pageSubjectExists(studio.db, { kind: "dataset", name: "fraud model" })).toBe(false);
    expect(await pageSubjectExists(studio.db, { kind: "datasetVersion", name: "nope", version: 1 })).toBe(false);
  });
});
